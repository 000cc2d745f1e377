"""Per-language lexicons (``lexicons/<lang>.yaml``) and the cue patterns compiled from them.

Layer: extract. Input: the YAML files of this package, read on first use (never at import
time). Output: :class:`Lexicon` objects. Imports: the standard library, PyYAML,
govgraph.model.text, govgraph.errors.

A cue is a phrase in plain words, written as a reader would ("a représenté", «تم انتخاب»);
it is folded with :func:`search_key` when loaded, so accents, harakat and hamza forms do not
matter. Inside a phrase:

- ``{num}`` stands for a number (digits or number words of the lexicon), ``{ord}`` for an
  ordinal (words, ``5th``, ``5e``, ``5ème`` or digits), ``{year}`` for a year,
  ``{letter}`` for one letter;
- ``*`` stands for any one word, ``**`` for up to four words.

Arabic phrases also match with a conjunction (و, ف) on their first word, and a placeholder
with a preposition (ب, ل, ك) on its word: «بأربع عشرة» is ``{num}``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from govgraph.errors import ExtractError, Location
from govgraph.model.text import search_key

__all__ = ["CueMatch", "Lexicon", "TokenLine", "load_lexicon", "LANGUAGES"]

LANGUAGES = ("ar", "fr", "en")


@lru_cache(maxsize=16384)
def fold_phrase(phrase: str) -> str:
    """Fold a lexicon phrase the way document tokens are folded.

    >>> fold_phrase("a représenté")
    'a represente'
    >>> fold_phrase("{ord} place")
    '{ord} place'
    """
    parts = []
    for word in phrase.split():
        if word in ("*", "**") or (word.startswith("{") and word.endswith("}")):
            parts.append(word)
        else:
            parts.extend(search_key(word).split())
    return " ".join(parts)


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a token line: tokens ``[first, last)`` and the placeholder values."""

    first: int
    last: int
    phrase: str
    values: tuple[tuple[str, str], ...]
    """(placeholder name, matched words) in order."""

    def value(self, name: str) -> str | None:
        """The words matched by the first placeholder ``name``."""
        return next((v for n, v in self.values if n == name), None)

    def all_values(self, name: str) -> list[str]:
        """The words matched by every placeholder ``name``, in order."""
        return [v for n, v in self.values if n == name]


class TokenLine:
    """Folded tokens joined by spaces, with the map back to token indices.

    >>> line = TokenLine(["a", "ete", "elu"], offset=10)
    >>> line.text
    ' a ete elu '
    >>> line.token_at(3), line.token_at(7)
    (11, 12)
    """

    def __init__(self, keys: Sequence[str], offset: int = 0) -> None:
        self.offset = offset
        self.starts: list[int] = []
        pieces = [" "]
        pos = 1
        for key in keys:
            self.starts.append(pos)
            pieces.append(key)
            pieces.append(" ")
            pos += len(key) + 1
        self.text = "".join(pieces)
        self._words: frozenset[str] | None = None

    def has_any(self, words: frozenset[str], arabic: bool) -> bool:
        """Tell whether a token of the line is one of ``words`` (after و/ف in Arabic)."""
        if self._words is None:
            self._words = frozenset(self.text.split())
            if arabic:
                self._words |= {w[1:] for w in self._words if w[:1] in ("و", "ف")}
        return not words.isdisjoint(self._words)

    def token_at(self, char: int) -> int:
        """Index (plus offset) of the token holding character ``char`` of the line."""
        return self.offset + max(0, bisect.bisect_right(self.starts, char) - 1)

    def token_after(self, char: int) -> int:
        """Index (plus offset) of the token ending at character ``char`` plus one."""
        return self.offset + bisect.bisect_left(self.starts, char)


class CuePattern:
    """A set of cue phrases compiled into one regular expression over a :class:`TokenLine`."""

    def __init__(self, phrases: Iterable[str], slots: dict[str, str], arabic: bool) -> None:
        self.phrases = sorted({fold_phrase(p) for p in phrases}, key=lambda p: (-len(p), p))
        self._groups: list[tuple[str, str]] = []  # (group name, placeholder name)
        alternatives = []
        for index, phrase in enumerate(self.phrases):
            parts = []
            for position, word in enumerate(phrase.split()):
                if word == "*":
                    parts.append(r"\S+")
                elif word == "**":
                    parts.append(r"(?:\S+ ){0,4}")
                    continue
                elif word.startswith("{") and word.endswith("}"):
                    name = word[1:-1]
                    if name not in slots:
                        raise ExtractError(Location("lexicon"), f"unknown placeholder {word!r} "
                                           f"in cue {phrase!r}; known: {', '.join(slots)}")
                    group = f"g{index}_{len(self._groups)}"
                    self._groups.append((group, name))
                    # «بأربع عشرة», «بـ 14»: a preposition on the number, or standing alone
                    clitic = "(?:ب )?(?:[وف]?[بلك]?)" if arabic else ""
                    parts.append(f"{clitic}(?P<{group}>{slots[name]})")
                else:
                    word_re = re.escape(word)
                    if arabic and position == 0:
                        word_re = f"(?:[وف])?{word_re}"
                    parts.append(word_re)
                parts.append(" ")
            body = "".join(parts).rstrip(" ")
            if body.endswith("{0,4}"):
                body = body[: -len(r"(?:\S+ ){0,4}")]
            alternatives.append(f"(?P<p{index}>{body})")
        self._regex = (
            re.compile("(?<= )(?:" + "|".join(alternatives) + ")(?= )") if alternatives else None
        )
        firsts = [p.split()[0] for p in self.phrases if p]
        # a line holding none of the literal first words cannot match (placeholders excepted)
        self._firsts: frozenset[str] | None = None if any(
            f.startswith("{") or f in ("*", "**") for f in firsts) else frozenset(firsts)
        self._arabic = arabic

    def __bool__(self) -> bool:
        return self._regex is not None

    def finditer(self, line: TokenLine, start: int = 0, end: int | None = None) -> list[CueMatch]:
        """Every non-overlapping match in ``line.text[start:end]``, in order."""
        if self._regex is None:
            return []
        if self._firsts is not None and not line.has_any(self._firsts, self._arabic):
            return []
        found = []
        for match in self._regex.finditer(line.text, start, len(line.text) if end is None
                                          else end):
            phrase_index = next(int(name[1:]) for name, value in match.groupdict().items()
                                if value is not None and name.startswith("p"))
            values = tuple(
                (slot, match.group(group)) for group, slot in self._groups
                if group.startswith(f"g{phrase_index}_") and match.group(group) is not None
            )
            first = line.token_at(match.start())
            last = line.token_after(match.end())
            found.append(CueMatch(first, last, self.phrases[phrase_index], values))
        return found


class Lexicon:
    """The words of one language: months, numbers, ordinals, titles, cues, furniture.

    Read with :func:`load_lexicon`; ``data`` is the parsed YAML.
    """

    def __init__(self, language: str, data: dict[str, Any]) -> None:
        self.language = language
        self.data = data
        self.arabic = language == "ar"
        self.numbers = {fold_phrase(k): int(v) for k, v in data.get("numbers", {}).items()}
        self.ordinals = {fold_phrase(k): int(v) for k, v in data.get("ordinals", {}).items()}
        self.months = {fold_phrase(k): int(v) for k, v in data.get("months", {}).items()}
        suffix = data.get("ordinal_suffix", "")
        num_words = "|".join(re.escape(w) for w in sorted(self.numbers, key=len, reverse=True))
        ord_words = "|".join(re.escape(w) for w in sorted(self.ordinals, key=len, reverse=True))
        self.slots = {
            "num": rf"(?:\d+|{num_words})" if num_words else r"\d+",
            "ord": rf"(?:\d+{suffix}|{ord_words})" if ord_words else rf"\d+{suffix}",
            "year": r"(?:19|20)\d\d",
            "letter": r"[a-z]",
        }
        self._ord_suffix = re.compile(rf"^(\d+){suffix}$") if suffix else None
        self._patterns: dict[str, CuePattern] = {}
        self._folded: dict[str, frozenset[str]] = {}

    def words(self, name: str) -> list[str]:
        """A list of phrases of the lexicon (``titles.female``: dotted path), unfolded."""
        node: Any = self.data
        for part in name.split("."):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return list(node) if isinstance(node, list) else []

    def folded(self, name: str) -> frozenset[str]:
        """The folded phrases of a list of the lexicon (computed once per list)."""
        found = self._folded.get(name)
        if found is None:
            found = frozenset(fold_phrase(w) for w in self.words(name))
            self._folded[name] = found
        return found

    def cue(self, name: str) -> CuePattern:
        """The compiled pattern of cue list ``cues.<name>`` (empty if the lexicon has none)."""
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = CuePattern(self.words(f"cues.{name}"), self.slots, self.arabic)
            self._patterns[name] = pattern
        return pattern

    def number(self, words: str) -> int | None:
        """Read a number written in digits or words (``14``, ``fourteen``, «أربع عشرة»).

        Compound words a lexicon does not list are added up when joined by "and" words
        (``numbers_join``): «ثلاث وعشرون» = 3 + 20.
        """
        words = fold_phrase(words)
        if words.isdigit():
            return int(words)
        if words in self.numbers:
            return self.numbers[words]
        joins = self.folded("numbers_join")
        total, seen = 0, False
        for part in words.split():
            for join in joins:
                if self.arabic and part.startswith(join) and part[len(join):] in self.numbers:
                    part = part[len(join):]
            if part in joins:
                continue
            if part not in self.numbers:
                return None
            total += self.numbers[part]
            seen = True
        return total if seen else None

    def ordinal(self, words: str) -> int | None:
        """Read an ordinal (``fifth``, ``5th``, ``5e``, «الخامسة», ``5``)."""
        words = fold_phrase(words)
        if words.isdigit():
            return int(words)
        if self._ord_suffix is not None:
            match = self._ord_suffix.match(words)
            if match:
                return int(match.group(1))
        return self.ordinals.get(words)


def _check_strings(node: object, where: str, source: str) -> None:
    """Refuse a lexicon entry YAML did not read as text (``on``, ``no`` unquoted)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise ExtractError(Location(source), f"{where}: key {key!r} is not text; "
                                   "quote it")
            _check_strings(value, f"{where}.{key}" if where else key, source)
    elif isinstance(node, list):
        for value in node:
            if not isinstance(value, str | dict):
                raise ExtractError(Location(source), f"{where}: entry {value!r} is not text; "
                                   "quote it")
            _check_strings(value, where, source)


def _read_yaml(language: str) -> dict[str, Any]:
    source = resources.files("govgraph.extract") / "lexicons" / f"{language}.yaml"
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractError(Location(str(source)), f"cannot read the lexicon: {exc}") from exc
    if not isinstance(data, dict):
        raise ExtractError(Location(str(source)), "a lexicon must be a mapping")
    for section in ("months", "numbers", "ordinals"):
        data[section] = {str(k): v for k, v in data.get(section, {}).items()}
    _check_strings({k: v for k, v in data.items() if k not in ("months", "numbers", "ordinals")},
                   "", str(source))
    return data


@cache
def load_lexicon(language: str) -> Lexicon:
    """Return the lexicon of ``language`` (``ar``, ``fr`` or ``en``), read once.

    >>> lex = load_lexicon("en")
    >>> lex.number("fourteen"), lex.ordinal("5th"), lex.ordinal("second")
    (14, 5, 2)
    >>> load_lexicon("ar").number("أربع عشرة"), load_lexicon("fr").ordinal("5e")
    (14, 5)
    """
    if language not in LANGUAGES:
        raise ExtractError(Location("lexicon"), f"no lexicon for language {language!r}; "
                           f"known: {', '.join(LANGUAGES)}")
    return Lexicon(language, _read_yaml(language))
