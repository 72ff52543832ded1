"""The file is not valid YAML.

jmb reports the first syntax error libyaml meets, at its line and column, and checks nothing else in
that file until it parses. Common causes: a colon followed by a space inside an unquoted value (quote
the value, or use a ``|`` block), a tab used for indentation, or an unclosed quote or bracket.
Two habits of Word users are named as such: a tab in the indentation ("a tab is used for indentation;
indent with spaces", at the tab), and a value in typographic (curly) quotes with a colon inside
(``title: “Decision: single online home”``), which YAML reads as text rather than quotes, so the
colon breaks the line; the finding points at the quote. (Curly quotes that do not break the line
are JMB014.)

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
