"""The path cannot be read as a record: a folder, binary data, text that is not UTF-8, too large, not a
regular file, or a link out of the repository; or a folder of records cannot be listed.

Records are UTF-8 text files. A file saved by a word processor in another encoding (Windows-1252, for
example) shows up here with the line and column of the first byte that is not UTF-8.

jmb reads regular files only: a FIFO, a device, a socket or a link to one named like a record is
reported, never waited on or read without end. A link inside the repository to a record inside it is
read; a link that leads out of the repository is not (a record's text ends up in findings and CI
logs). A folder under ``records/`` that jmb cannot list is reported too, rather than its records being
skipped without a word.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.UNREADABLE
NAME = "unreadable-file"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = True
