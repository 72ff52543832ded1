"""The document expands beyond what any record needs: an alias bomb, a recursive alias, deep nesting.

A record has a few hundred values, five levels deep. YAML aliases can make a small file expand to
billions of values ("billion laughs"); jmb stops at a limit and reports it instead of running out of
memory.
"""

from jmb.findings import Severity

ID = "JMB008"
NAME = "too-complex"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
