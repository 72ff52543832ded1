"""The document expands beyond what any record needs: an alias bomb, a recursive alias, deep nesting.

A record has a few hundred values, five levels deep. YAML aliases can make a small file expand to
billions of values ("billion laughs"); jmb stops at a limit and reports it instead of running out of
memory.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.TOO_COMPLEX
NAME = "too-complex"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = True
