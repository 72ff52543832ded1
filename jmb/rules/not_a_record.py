"""The file is valid YAML but not one record: empty, a list or single value, or several documents.

A record is one YAML document whose top level is a mapping of fields (``jmb: 1``, ``number: ...``).
Start a new record with ``jmb new`` rather than an empty file.
"""

from jmb.findings import Severity

ID = "JMB009"
NAME = "not-a-record"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
