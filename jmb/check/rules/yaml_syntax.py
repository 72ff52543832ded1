"""The file is not valid YAML.

jmb reports the first syntax error libyaml meets, at its line and column, and checks nothing else in
that file until it parses. Common causes: a colon followed by a space inside an unquoted value (quote
the value, or use a ``|`` block), a tab used for indentation, or an unclosed quote or bracket.

It also reports each NEL, LS or PS (U+0085, U+2028, U+2029) outside quoted text. YAML ends a line
there, and so a comment, where editors show the line going on: ``# withdrawn:<LS>- release the
reserve`` looks like a comment and is a recommendation. The rest of the file is still checked.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.SYNTAX
NAME = "yaml-syntax"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = True
