"""Part 2 text repeated in Part 1: a run of 8 or more words, or a figure or code.

Part 2 is withheld from the public; Part 1 is published. A sentence copied from a Part 2 section into
the background, or the contract value or project code that Part 2 withholds written into a
recommendation, publishes what the exemption protects. Reported, at the Part 1 field, is any run of
8 or more words, and any figure or code of 4 or more characters holding a digit (``412,000``,
``KESTREL-88``, ``2019/10``), that appears both in a Part 2 section (its heading or text) and in a
field Part 1 prints: the title, ``report_by``, the board, the executive summary, the recommendation,
sections 1 to 4, the titles and references of background papers, the appendices, the names of the
signatories, and the exemption Part 2 relies on (which Part 1 prints: a run of words only).

Text is compared as words: case, line breaks, spacing and the punctuation around words do not
matter, so a pasted and reflowed sentence is still found. A figure is found inside a longer word of
Part 1 too (``KESTREL-88-terms.pdf``, ``£412,000-£450,000``), and ``412,000`` is ``412000``. Not
figures: a year (``2019``), a financial year (``2019/20``) and a time (``10:30``, ``10am``), which
every report mentions; nor what Part 1 states openly of the record anyway: its number and date, and
Part 2's marking, exemption and review date.

The finding names the Part 2 field the text came from and never quotes it. Take the text out of Part 1
(say what Part 2 is about in other words), or, if it is not confidential after all, out of Part 2.
An error at any status that no comment can silence, and ``jmb render`` refuses the record even as a
draft: a draft is still published to someone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.core.names import dotted
from jmb.record.document import FieldPath
from jmb.record.model import PART2_KEY

ID = "JMB106"
NAME = "part2-in-part1"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = False

#: The fewest words in a row that make a copied passage.
RUN = 8
#: The fewest characters that make a figure or code.
FIGURE = 4
#: The most findings one field gets; the rest are counted in one more.
_MOST_PER_FIELD = 10
#: Up to this many runs and figures of Part 2, Part 1 is first searched for each as a string.
_FIRST_LOOK = 400
#: A word with more parts than this (a long URL) is not searched for figures part by part.
_MOST_PARTS = 12

# A word: from the first letter or digit of a run of non-spaces to its last, so the punctuation
# inside it is kept ("412,000", "KESTREL-88", "s.43", "Mayor's") and that around it dropped.
_WORD = re.compile(r"\w(?:\S*\w)?")
_PART = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
# The same character typed several ways: a pasted text keeps the writer's, the reflowed one may not.
_SAME = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        # Invisible characters that copying from a web page or a PDF leaves inside words.
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_TYPED_AGAIN = re.compile(f"[{''.join(map(chr, _SAME))}]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_FINANCIAL_YEAR = re.compile(r"((?:19|20)\d\d)[/-](\d\d|\d{4})")
_TIME = re.compile(r"\d{1,2}(?::\d\d)?(?:am|pm)|\d{1,2}:\d\d")

#: The Part 1 fields of a record that hold text a reader of Part 1 sees: top-level, in a mapping,
#: and in the entries of a list.
_TOP = ("title", "report_by", "board", "executive_summary", "background", "plan_links")
_TOP_AFTER = ("consultation",)
_IMPLICATIONS = ("risks", "legal", "financial", "equality")
_ENTRIES = {
    "background_papers": ("title", "reference"),
    "appendices": ("label", "title", "file"),
    "signatures": ("name",),
}
#: What Part 1 states of Part 2 openly (or what is the record's public identity): not secret.
_OPEN = (("number",), ("date",))
_OPEN_PART2 = ("marking", "exemption", "review_on")


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each run of Part 2 words, and each Part 2 figure or code, found in a Part 1 field."""
    part2 = context.data.get("part2")
    if not isinstance(part2, dict) or not isinstance(part2.get("sections"), list):
        return  # most records: no Part 2, nothing to compare, nothing spent
    runs: dict[tuple[str, ...], FieldPath] = {}
    figures: dict[str, FieldPath] = {}
    for path, text in _part2_texts(part2["sections"]):
        words = _words(text)
        for start in range(len(words) - RUN + 1):
            runs.setdefault(tuple(words[start : start + RUN]), path)
        for word in words:
            figure = None if word.isalpha() else _part2_figure(word)
            if figure is not None:
                figures.setdefault(figure, path)
    if not runs and not figures:
        return
    for text in _open_texts(context, part2):
        for word in _words(text):
            for figure in (word, *_figures(word)):
                figures.pop(figure, None)
    part1 = list(_part1_texts(context))
    exemption = part2.get("exemption")
    if isinstance(exemption, str):
        # Part 1 prints the exemption: a sentence of Part 2 pasted there is published too (its
        # figures are what Part 1 states openly, so only runs of words are looked for).
        part1.append(((PART2_KEY, "exemption"), exemption))
    if len(runs) + len(figures) <= _FIRST_LOOK:
        # A first look, mostly in C: every word of Part 1 in one string, searched for each run of
        # Part 2 and each figure. Nearly every record is clean, and is done with here. (Each search
        # reads the whole string: for a long Part 2 the word-by-word pass below is the quicker.)
        everything = "\n".join(text for _, text in part1)
        joined = f" {' '.join(_words(everything))} "
        if not any(f" {' '.join(window)} " in joined for window in runs) and not any(
            figure in joined for figure in figures
        ):
            return
    vocabulary = {word for window in runs for word in window}
    for path, text in part1:
        looked_for = {} if path == (PART2_KEY, "exemption") else figures
        hits = _hits(_words(text), runs, vocabulary, looked_for)
        if not hits:
            continue
        offsets = _offsets(text)
        for index, length, source in hits[:_MOST_PER_FIELD]:
            what = f"{length} words" if length else "a figure or code"
            them = "them" if length else "it"
            yield Problem(
                path,
                f"{what} of {dotted(source)} {'appear' if length else 'appears'} here: Part 2 is "
                f"confidential; take {them} out of Part 1",
                offset=offsets[index],
            )
        if len(hits) > _MOST_PER_FIELD:
            # A field that is mostly Part 2 gets a few findings and a count, not one a word.
            more = len(hits) - _MOST_PER_FIELD
            what = "passage or figure" if more == 1 else "passages or figures"
            yield Problem(
                path,
                f"and {more} more {what} of Part 2 from here on: Part 2 is confidential; take "
                f"{'it' if more == 1 else 'them'} out of Part 1",
                offset=offsets[hits[_MOST_PER_FIELD][0]],
            )


#: Where Part 2 shows in a field of Part 1: the index of the first word, how many words were copied
#: (0 for a figure or code), and the Part 2 field they are from.
Hit = tuple[int, int, FieldPath]


def _hits(
    words: list[str],
    runs: dict[tuple[str, ...], FieldPath],
    vocabulary: set[str],
    figures: dict[str, FieldPath],
) -> list[Hit]:
    """Where Part 2 shows in the ``words`` of one Part 1 field, in order: each stretch of copied
    words once, and each figure that is not inside such a stretch."""
    hits: list[Hit] = []
    copied = [False] * len(words)
    streak = 0
    stretch: list[Hit] = []  # the stretch being read, as [first word, end, source]
    for index, word in enumerate(words):
        streak = streak + 1 if word in vocabulary else 0
        if streak < RUN:
            continue
        start = index - RUN + 1
        source = runs.get(tuple(words[start : index + 1]))
        if source is None:
            continue
        if stretch and start < stretch[0][0] + stretch[0][1]:
            first, _, origin = stretch[0]
            stretch[0] = (first, index + 1 - first, origin)  # the stretch goes on
        else:
            hits.extend(stretch)
            stretch = [(start, RUN, source)]
    hits.extend(stretch)
    for first, length, _ in hits:
        copied[first : first + length] = [True] * length
    if figures:
        for index, word in enumerate(words):
            if copied[index] or word.isalpha():
                continue
            for figure in _figures(word):
                source = figures.get(figure)
                if source is not None:
                    hits.append((index, 0, source))
                    break
    return sorted(hits, key=lambda hit: hit[0])


def _words(text: str) -> list[str]:
    """The words of ``text`` as compared (see the module): case-folded, the same character typed
    different ways made one, thousands separators dropped."""
    normalised = _normalised(text)
    if normalised is not None:
        words = _WORD.findall(normalised)
    else:
        # Each run of non-spaces normalised alone, and only then cut into words, as the whole text
        # would be: a character that normalises to punctuation (a modifier letter apostrophe) or
        # joins the one before it (a combining accent) moves where a word ends.
        words = [word for chunk in _CHUNK.findall(text) for word in _WORD.findall(_fold(chunk))]
    return [_THOUSANDS.sub("", word) if "," in word else word for word in words]


def _offsets(text: str) -> list[int]:
    """Where each word of :func:`_words` starts in ``text`` (for the findings: rarely needed)."""
    normalised = _normalised(text)
    if normalised is not None:
        return [match.start() for match in _WORD.finditer(normalised)]
    offsets: list[int] = []
    for chunk in _CHUNK.finditer(text):
        folded = _fold(chunk.group())
        # A word stands where it stood in its run of non-spaces ("£412,000"), unless the run
        # normalised to more or fewer characters ("ﬁnal"): then at the run's start.
        kept = len(folded) == len(chunk.group())
        offsets.extend(
            chunk.start() + (word.start() if kept else 0) for word in _WORD.finditer(folded)
        )
    return offsets


def _fold(text: str) -> str:
    """``text`` as compared: NFKC-normalised, case-folded, the same character typed different ways
    made one."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_SAME)


def _normalised(text: str) -> str | None:
    """``text`` normalised as a whole, when that keeps every character where it was (nearly always:
    one call for the field instead of one a word); ``None`` when the words must be normalised one
    run of non-spaces at a time (a character that normalises to several, such as ``ß``, or that
    joins the one before it, such as a combining accent)."""
    if text.isascii():
        return text.lower()
    normalised = unicodedata.normalize("NFKC", text).casefold()
    if _TYPED_AGAIN.search(normalised):
        normalised = normalised.translate(_SAME)
    if len(normalised) != len(text):
        return None
    # The same length can still hide a character made two before one made of two (a ligature, then
    # an accent typed as a combining mark), which moves every word between them: each character
    # must have become one character, where it stood.
    each = {ord(character): _fold(character) for character in set(text)}
    return normalised if text.translate(each) == normalised else None


def _figures(word: str) -> Iterator[str]:
    """The figures and codes in one compared word of Part 1: the word itself and every run of its
    parts (``kestrel-88`` in ``kestrel-88-terms.pdf``, ``412000`` in ``412000-£450000``) that is a
    figure (:func:`_is_figure`)."""
    if len(word) < FIGURE or not _DIGIT.search(word):
        return
    bounds = [(part.start(), part.end()) for part in _PART.finditer(word)]
    if len(bounds) > _MOST_PARTS:
        bounds = [(0, len(word))]  # too many parts to pair up (a long URL): the whole word only
    for first in range(len(bounds)):
        for last in range(first, len(bounds)):
            candidate = word[bounds[first][0] : bounds[last][1]]
            if _is_figure(candidate):
                yield candidate


def _part2_figure(word: str) -> str | None:
    """The figure or code that a word of Part 2 is, if it is one: the whole word (its parts alone
    would match too much: the ``06-12`` of every date in June), less a possessive ``'s``."""
    word = word.removesuffix("'s")
    return word if _is_figure(word) else None


def _is_figure(candidate: str) -> bool:
    if len(candidate) < FIGURE or not _DIGIT.search(candidate):
        return False
    if _YEAR.fullmatch(candidate) or _TIME.fullmatch(candidate):
        return False
    financial = _FINANCIAL_YEAR.fullmatch(candidate)
    if financial:
        start, end = int(financial.group(1)), int(financial.group(2))
        if end in (start + 1, (start + 1) % 100):
            return False
    return True


def _part2_texts(sections: list[object]) -> Iterator[tuple[FieldPath, str]]:
    for index, section in enumerate(sections):
        if isinstance(section, dict):
            for key in ("heading", "text"):
                value = section.get(key)
                if isinstance(value, str):
                    yield (PART2_KEY, "sections", index, key), value


def _open_texts(context: RecordContext, part2: dict[str, object]) -> Iterator[str]:
    for path in _OPEN:
        value = context.get(path)
        if value is not None:
            yield str(value)
    for key in _OPEN_PART2:
        value = part2.get(key)
        if value is not None:
            yield str(value)


def _part1_texts(context: RecordContext) -> Iterator[tuple[FieldPath, str]]:
    """Every text of the record that Part 1 prints, with its path, in the order of the form."""
    data = context.data

    def strings(path: FieldPath, value: object) -> Iterable[tuple[FieldPath, str]]:
        return ((path, value),) if isinstance(value, str) else ()

    for key in _TOP:
        yield from strings((key,), data.get(key))
    recommendation = data.get("recommendation")
    if isinstance(recommendation, dict):
        yield from strings(("recommendation", "lead"), recommendation.get("lead"))
        items = recommendation.get("items")
        for index, item in enumerate(items if isinstance(items, list) else ()):
            yield from strings(("recommendation", "items", index), item)
    for key in _TOP_AFTER:
        yield from strings((key,), data.get(key))
    implications = data.get("implications")
    if isinstance(implications, dict):
        for key in _IMPLICATIONS:
            yield from strings(("implications", key), implications.get(key))
    for key, fields in _ENTRIES.items():
        for index, entry in context.mappings(key):
            for name in fields:
                yield from strings((key, index, name), entry.get(name))
