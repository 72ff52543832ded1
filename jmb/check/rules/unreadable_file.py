"""The path cannot be read as a record: a folder, binary data, text that is not UTF-8, or too large.

Records are UTF-8 text files. A file saved by a word processor in another encoding (Windows-1252, for
example) shows up here with the line and column of the first byte that is not UTF-8.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.UNREADABLE
NAME = "unreadable-file"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = True
