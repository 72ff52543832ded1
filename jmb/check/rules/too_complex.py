"""The document expands beyond what any record needs: an alias bomb, a recursive alias, deep nesting.

A record has a few hundred values, five levels deep. YAML aliases can make a small file expand to
billions of values ("billion laughs"), or a megabyte of text to gigabytes; jmb counts the values and
the characters of text the document would expand to, without expanding it, and stops at 50,000 values
or 2,000,000 characters, so that no file can make it run out of time or memory. (Aliases are refused
anyway, by JMB011.)
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.TOO_COMPLEX
NAME = "too-complex"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = True
