"""The file is valid YAML but not one record: empty, a list or single value, or several documents.

A record is one YAML document whose top level is a mapping of fields (``jmb: 1``, ``number: ...``).
Start a new record with ``jmb new`` rather than an empty file.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.NOT_A_RECORD
NAME = "not-a-record"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = True
