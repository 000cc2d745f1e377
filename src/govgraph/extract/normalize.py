"""Normalize a copy of the raw text with an offset map; split it into tokens, lines, sentences;
tell page furniture from the body.

Layer: extract. Input: the raw text (a ``str``, exactly as archived). Output: a
:class:`Document` whose every token, line and sentence carries code-point offsets into the raw
text, and a :class:`Layout` saying which lines are the title, the body and the furniture.
Imports: the standard library, govgraph.model.text, and this package's lexicons.

The folded copy is :func:`govgraph.model.text.search_key` applied one character at a time:
diacritics, tatweel and bidi marks vanish, Arabic letter forms are unified, Latin letters are
casefolded without accents, digits become ASCII. Punctuation is kept (Arabic comma, semicolon
and question mark become their Latin forms; typographic quotes and dashes become ``"`` and
``-``) and whitespace runs become one space, or one newline when they hold a line break. Each
folded character remembers the raw character it came from, so a span found in the folded copy
maps back to the raw text exactly.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from govgraph.model.text import search_key

__all__ = [
    "Document",
    "Layout",
    "Sentence",
    "Token",
    "fold",
    "fold_char",
    "segment",
    "split_sentences",
]

_PUNCT_MAP = {
    "\u060c": ",",  # Arabic comma
    "\u061b": ";",  # Arabic semicolon
    "\u061f": "?",  # Arabic question mark
    "\u06d4": ".",  # Arabic full stop
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u02bc": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
}


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Fold one raw character: what :func:`search_key` makes of it, punctuation kept.

    >>> [fold_char(c) for c in "لـأُ،É\u00a0«٣"]
    ['ل', '', 'ا', '', ',', 'e', ' ', '"', '3']
    """
    if char in "\n\r\u2028\u2029\x0b\x0c\x85":
        return "\n"
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category.startswith("P"):
        return _PUNCT_MAP.get(char, char)
    return search_key(char)


def fold(raw: str) -> tuple[str, list[int]]:
    """Return the folded copy of ``raw`` and the raw offset of each folded character.

    Whitespace runs collapse to one space (a newline if the run holds one).

    >>> text, starts = fold("لـمنظمة  التعاون")
    >>> text
    'لمنظمه التعاون'
    >>> starts[:3], starts[6:8]
    ([0, 2, 3], [7, 9])
    """
    out: list[str] = []
    starts: list[int] = []
    last_space = -1
    for offset, char in enumerate(raw):
        folded = fold_char(char)
        if not folded:
            continue
        if folded in (" ", "\n"):
            if out and last_space == len(out) - 1:
                if folded == "\n":
                    out[-1] = "\n"
                continue
            out.append(folded)
            starts.append(offset)
            last_space = len(out) - 1
            continue
        for piece in folded:
            out.append(piece)
            starts.append(offset)
    return "".join(out), starts


@dataclass(frozen=True)
class Token:
    """A word of the folded text: its key, the raw span and the word as written."""

    key: str
    start: int
    """Raw offset of the first character."""
    end: int
    """Raw offset after the last character."""
    fstart: int
    """Offset in the folded text."""
    surface: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body: tokens ``[first, last)`` and the raw span ``[start, end)``."""

    first: int
    last: int
    start: int
    end: int
    line: int
    """Index of the line it is on."""


_TOKEN = re.compile(r"[^\s]+")
_BREAKS = frozenset(
    ",;:.!?()[]{}\"\u201c\u201d\u00ab\u00bb\u201e\u060c\u061b\u061f\u2026/|\u2022\u00b7"
)


@lru_cache(maxsize=4096)
def _is_sep(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


class Document:
    """The raw text, its folded copy, tokens and lines.

    >>> doc = Document("Le Maroc, élu.\\nلـمنظمة")
    >>> [t.key for t in doc.tokens]
    ['le', 'maroc', 'elu', 'لمنظمه']
    >>> doc.raw[doc.tokens[3].start:doc.tokens[3].end]
    'لـمنظمة'
    >>> [doc.raw[s:e] for s, e in doc.lines]
    ['Le Maroc, élu.', 'لـمنظمة']
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.folded, self._starts = fold(raw)
        self.tokens: list[Token] = []
        sep_free = self.folded.translate(
            {ord(c): " " for c in set(self.folded) if c != "&" and _is_sep(c)})
        for match in _TOKEN.finditer(sep_free):
            fs, fe = match.start(), match.end()
            rs, re_ = self._starts[fs], self._raw_end(fe)
            self.tokens.append(Token(match.group(), rs, re_, fs, raw[rs:re_]))
        self._token_starts = [t.start for t in self.tokens]
        self.lines: list[tuple[int, int]] = []
        pos = 0
        for line in raw.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            self.lines.append((pos, pos + len(body)))
            pos += len(line)
        self._line_starts = [s for s, _ in self.lines]

    def _raw_end(self, folded_end: int) -> int:
        """Raw offset after the raw character behind folded character ``folded_end - 1``.

        Combining marks and tatweel that follow it belong to it («فضاءً» ends after the tanwin).
        """
        end = self._starts[folded_end - 1] + 1
        while end < len(self.raw) and (
            unicodedata.category(self.raw[end]) in ("Mn", "Me") or self.raw[end] == "\u0640"
        ):
            end += 1
        return end

    def token_index(self, raw_offset: int) -> int:
        """Index of the first token starting at or after ``raw_offset``."""
        return bisect.bisect_left(self._token_starts, raw_offset)

    def line_of(self, raw_offset: int) -> int:
        """Index of the line holding ``raw_offset``."""
        return max(0, bisect.bisect_right(self._line_starts, raw_offset) - 1)

    def tokens_in(self, start: int, end: int) -> range:
        """Indices of the tokens inside raw span ``[start, end)``."""
        return range(self.token_index(start), bisect.bisect_left(self._token_starts, end))

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Raw span of tokens ``[first, last)``."""
        return self.tokens[first].start, self.tokens[last - 1].end

    def gap(self, index: int) -> bool:
        """Tell whether punctuation (not an apostrophe or hyphen) follows token ``index``.

        >>> doc = Document("l'Organisation, du Maroc (MA)")
        >>> [doc.gap(i) for i in range(len(doc.tokens))]
        [False, True, False, True, True]
        """
        if index + 1 >= len(self.tokens):
            return True
        between = self.raw[self.tokens[index].end:self.tokens[index + 1].start]
        return any(c in _BREAKS for c in between)

    def between(self, index: int) -> str:
        """The raw text between token ``index`` and the next one."""
        end = self.tokens[index + 1].start if index + 1 < len(self.tokens) else len(self.raw)
        return self.raw[self.tokens[index].end:end]

    def folded_between(self, start: int, end: int) -> str:
        """The folded text of raw span ``[start, end)``."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self.folded[lo:hi]


@dataclass
class Layout:
    """Which lines of a document are its title, body and page furniture."""

    title: tuple[int, int] | None = None
    body: list[tuple[int, int]] = field(default_factory=list)
    furniture: list[tuple[int, int, str]] = field(default_factory=list)
    """Raw spans with the reason they were set aside (``skip-link``, ``breadcrumb``...)."""
    breadcrumb: list[tuple[int, int]] = field(default_factory=list)


_BULLETS = "•·▪►›»>|/-–*"


@lru_cache(maxsize=8192)
def _line_key(text: str) -> str:
    return " ".join(search_key(text).split())


@lru_cache(maxsize=64)
def _phrase_keys(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(" ".join(search_key(p).split()) for p in phrases)


def segment(doc: Document, furniture: dict[str, list[str]], *, html_title: str | None = None,
            min_title_words: int = 4, find_title: bool = True) -> Layout:
    """Split a document's lines into title, body and furniture.

    ``furniture`` maps a reason (``skip-link``, ``newsletter``, ``date-icon``, ``share``,
    ``home``, ``footer``) to phrases in any language. A line is furniture when its words are
    one of those phrases or start with one (``home``: a breadcrumb's first item), when it is a
    bulleted item of a breadcrumb, when it is a short line before the title (site name,
    template labels), or when it repeats the title cut short with "...". The title is
    ``html_title`` when given and found, else the first line of at least ``min_title_words``
    words that is not furniture; with ``find_title`` false (a page whose title is not in its
    text) no line is the title.

    >>> doc = Document("Skip to main content\\nSite\\nMorocco elected to the Council\\n"
    ...                "  • Home\\n  • News\\nThe text.\\nSubscribe to our newsletter")
    >>> lay = segment(doc, {"skip-link": ["Skip to main content"], "home": ["Home"],
    ...                     "newsletter": ["Subscribe to our newsletter"]})
    >>> doc.raw[slice(*lay.title)]
    'Morocco elected to the Council'
    >>> [doc.raw[s:e] for s, e in lay.body]
    ['The text.']
    >>> sorted({why for _, _, why in lay.furniture})
    ['breadcrumb', 'newsletter', 'pre-title', 'skip-link']
    """
    keyed = {why: _phrase_keys(tuple(phrases)) for why, phrases in furniture.items()}
    exact = {k: why for why, keys in keyed.items() for k in keys if why != "home"}
    homes = set(keyed.get("home", ()))
    layout = Layout()
    title_key = " ".join(search_key(html_title).split()) if html_title else None
    in_crumbs = False
    for start, end in doc.lines:
        text = doc.raw[start:end]
        stripped = text.strip()
        if not stripped.strip("\u00a0\u200b\ufeff "):
            in_crumbs = False
            continue
        lead = len(text) - len(text.lstrip())
        s, e = start + lead, start + len(text.rstrip())
        if len(stripped) > 160 and (layout.title is not None or not find_title):
            in_crumbs = False  # a paragraph: no furniture phrase is that long
            layout.body.append((s, e))
            continue
        key = _line_key(stripped)
        words = key.split()
        bullet = stripped[0] in _BULLETS
        why = exact.get(key)
        if why is None:
            why = next((exact[k] for k in exact if k and key.startswith(k + " ")
                        and len(words) <= len(k.split()) + 3), None)
        if why is None and words and (key in homes or (bullet and words[0] in homes)):
            why, in_crumbs = "breadcrumb", True
        elif why is None and bullet and in_crumbs:
            why = "breadcrumb"
        elif why is None and _is_crumb_chain(stripped, words, homes):
            why = "breadcrumb"
        elif why is None and stripped.endswith(("...", "…")) and layout.title is not None \
                and _line_key(doc.raw[slice(*layout.title)]).startswith(key.rstrip(". ")):
            why = "truncated-title"
        if why is None and layout.title is None and find_title:
            if title_key is not None:
                why = None if key == title_key else "pre-title"
            elif len(words) < min_title_words:
                why = "pre-title"
        if why is not None:
            layout.furniture.append((s, e, why))
            if why == "breadcrumb":
                layout.breadcrumb.append((s, e))
            continue
        in_crumbs = False
        if layout.title is None and find_title:
            layout.title = (s, e)
        else:
            layout.body.append((s, e))
    if layout.title is None and title_key is None and find_title and layout.body:
        layout.title = layout.body.pop(0)
    return layout


_TERMINATORS = frozenset(".!?\u061f\u06d4")


def split_sentences(doc: Document, spans: list[tuple[int, int]],
                    abbreviations: frozenset[str] = frozenset()) -> list[Sentence]:
    """Split raw spans (body lines) into sentences at ``.``, ``!``, ``?`` and ``؟``.

    A full stop after an abbreviation (``m``, ``mme``, ``dr``), after a one-letter initial, or
    between two numbers does not end a sentence.

    >>> doc = Document("M. Karim Alaoui est arrivé. Il a 3.5 ans! Fin")
    >>> [doc.raw[s.start:s.end] for s in split_sentences(doc, doc.lines, frozenset({"m"}))]
    ['M. Karim Alaoui est arrivé.', 'Il a 3.5 ans!', 'Fin']
    """
    sentences: list[Sentence] = []
    for start, end in spans:
        indices = doc.tokens_in(start, end)
        if not indices:
            continue
        line = doc.line_of(start)
        first = indices[0]
        for i in indices:
            token = doc.tokens[i]
            gap_end = doc.tokens[i + 1].start if i + 1 < indices.stop else end
            gap = doc.raw[token.end:gap_end]
            if not any(c in _TERMINATORS for c in gap):
                continue
            nxt = doc.tokens[i + 1] if i + 1 < indices.stop else None
            if gap.strip() == "." and (
                token.key in abbreviations
                or (len(token.surface) == 1 and token.surface.isupper())
                or (nxt is not None and token.key.isdigit() and nxt.key.isdigit()
                    and gap == ".")
            ):
                continue
            stop = token.end + next(k for k, c in enumerate(gap) if c in _TERMINATORS) + 1
            sentences.append(Sentence(first, i + 1, doc.tokens[first].start, stop, line))
            first = i + 1
        if first < indices.stop:
            last_end = doc.tokens[indices.stop - 1].end
            tail = doc.raw[last_end:end].rstrip()
            sentences.append(Sentence(first, indices.stop, doc.tokens[first].start,
                                      last_end + len(tail), line))
    return sentences


def _is_crumb_chain(line: str, words: list[str], homes: set[str]) -> bool:
    """A one-line breadcrumb: "Home › News › Title" (a home word, then separators)."""
    if not words or words[0] not in homes:
        return False
    return any(sep in line for sep in ("›", "»", " > ", " / ", " | ", "•"))
