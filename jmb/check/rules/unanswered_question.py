"""A question left unanswered in a section.

Reviewers leave questions in drafts ("What are the financial implications of on boarding SOH"); a
decision that goes to the board with one still in it was not finished. Two shapes are caught:

- a sentence ending in ``?``, quoted from its start: a sentence goes on over a line break (where the
  editor wrapped it), and a new line starts one only after a full stop, a question mark, a colon or
  a semicolon, or at a list item's marker (``-``, ``*``, ``1.``, ``2)``, ``(a)``);
- a paragraph that opens as a question ("What are ...", "How will ...", "Is there ...", "Does the
  ...") and does not end in a full stop, which is how a question typed without its question mark
  looks.

A paragraph that opens with such words but ends in a full stop ("What is proposed is a two-year
agreement.") is a statement and passes, and so is a question quoted inside a sentence that goes on
(`residents were asked "Would you report a crime online?" and 68% said yes.`). Recommendation items
complete "... are recommended to", so only a question mark makes one a question.
"""

import re
from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, quote
from jmb.core.findings import Severity

ID = "JMB202"
NAME = "unanswered-question"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True

_AUXILIARY = (
    "am|are|is|was|were|will|would|shall|should|can|could|may|might|must|do|does|did|has|have|had"
)
# The first words of a paragraph that can open a question; the full expression runs only on those.
_INTERROGATIVES = "what|how|why|when|where|who|whom|whose|which"
_STARTERS = frozenset(f"{_INTERROGATIVES}|{_AUXILIARY}".split("|"))
_OPENS_AS_QUESTION = re.compile(
    rf"^(?=(?-i:[A-Z]))(?:(?:{_INTERROGATIVES})\s+(?:{_AUXILIARY})\b"
    rf"|(?:{_AUXILIARY})\s+(?:there|the|this|that|these|those|it|we|they|you|he|she|any|anyone"
    rf"|a|an|our|their|(?-i:[A-Z]\w*))\b)",
    re.IGNORECASE,
)
# A question mark ends a question when a space or the end follows it (a "?" in a URL is not one),
# unless the sentence carries on in lower case or the question is quoted: `asked "Would you report
# a crime online?" and 68% said yes` reports a question, it does not leave one.
_QUESTION_END = re.compile(
    r"\?(?![\"\u201d\u2019])(?=[)\]]*(?:\s+(?![a-z])|$))|\?[\"\u201d\u2019][)\]]*$"
)
# A sentence starts after a full stop, question mark, colon or semicolon and any closing bracket or
# quotation mark with it ("(is it enough?) Who approves it?" asks "Who approves it?"), and after the
# marker of a list item that opens a line ("- ", "* ", a bullet, "1. ", "2) ", "(a) ", "b) "). Any
# other line break is where the officer's editor wrapped a sentence: "Has the Head of Legal Services
# seen the whole\nagreement now?" is one question.
_SENTENCE_START = re.compile(
    r"(?:^|(?<=[.!?:;])[)\]\"\u201d\u2019]*\s+"
    r"|\n[ \t]*(?:[-*\u2022]|\d{1,3}[.)]|\(?[a-z]\))[ \t]+)\s*(?=\S)"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def check(context: RecordContext) -> Iterator[Problem]:
    """Report every question in every prose field."""
    for path, text in context.prose:
        for base, body in _paragraphs(text):
            reported = False
            previous = 0  # a question ends a sentence: the next one starts after it
            for end in _QUESTION_END.finditer(body) if "?" in body else ():
                start = _sentence_start(body, previous, end.start())
                previous = end.end()
                yield Problem(
                    path,
                    f"unanswered question {quote(body[start : end.end()])}: answer it or take it out",
                    offset=base + start,
                )
                reported = True
            # A recommendation item completes "... are recommended to", so "have the Chief
            # Finance Officer sign" is an instruction, not a question.
            opening_counts = path[:2] != ("recommendation", "items")
            if (
                not reported
                and opening_counts
                and body[:10].split(None, 1)[0].lower() in _STARTERS
                and _OPENS_AS_QUESTION.match(body)
                and not body.endswith(".")
            ):
                yield Problem(
                    path,
                    f"unanswered question {quote(body)}: answer it or take it out",
                    offset=base,
                )


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """The paragraphs of ``text`` (separated by blank lines), stripped, with their offsets."""
    start = 0
    for separator in [*_BLANK_LINE.finditer(text), None]:
        end = separator.start() if separator is not None else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            yield start + chunk.index(stripped[0]), stripped
        if separator is not None:
            start = separator.end()


def _sentence_start(body: str, after: int, question_mark: int) -> int:
    """Where the sentence holding the ``?`` at ``question_mark`` starts, looking no further back
    than ``after`` (the end of the previous question, or the paragraph's start)."""
    start = after
    for match in _SENTENCE_START.finditer(body, after, question_mark):
        start = match.end()
    return start
