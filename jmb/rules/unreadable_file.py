"""The path cannot be read as a record: a folder, binary data, text that is not UTF-8, or too large.

Records are UTF-8 text files. A file saved by a word processor in another encoding (Windows-1252, for
example) shows up here with the line and column of the first byte that is not UTF-8.
"""

from jmb.findings import Severity

ID = "JMB002"
NAME = "unreadable-file"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
