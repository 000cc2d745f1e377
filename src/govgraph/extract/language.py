"""Language detection, and the language pack interface the per-language modules implement.

Layer: extract. Input: text. Output: ``"ar"``, ``"fr"`` or ``"en"``; :class:`LanguagePack`
objects. Imports: the standard library, lingua (optional), govgraph.model, this package.

Detection uses lingua (``lingua-language-detector``) restricted to Arabic, French and English,
built once on first use. Where lingua is not installed, a script-ratio and stopword count
decides (Arabic letters against Latin letters, then French against English function words);
both agree on every fixture of ``tests/data/extract``.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from govgraph.extract.lexicon import Lexicon, fold_phrase
from govgraph.extract.mentions import Mention
from govgraph.extract.normalize import Document, Sentence
from govgraph.model.gazetteer import Gazetteer, proclitic_variants

__all__ = ["LanguagePack", "detect_language"]

log = logging.getLogger(__name__)

_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_FRENCH = frozenset("le la les des du de et est une un pour dans sur au aux qui que a été "
                    "avec par ce cette son sa ses".split())
_ENGLISH = frozenset("the of and is are was were a an for in on to with by that this which "
                     "has have its at from".split())


@lru_cache(maxsize=1)
def _lingua_detector() -> Any:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        log.debug("lingua is not installed; using the script and stopword detector")
        return None
    languages = (Language.ARABIC, Language.FRENCH, Language.ENGLISH)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_by_script(text: str) -> str:
    """Detect ar/fr/en from the share of Arabic letters, then French or English stopwords.

    >>> detect_by_script("انتخاب المملكة المغربية (DCO)"), detect_by_script("Le Maroc est élu")
    ('ar', 'fr')
    >>> detect_by_script("Morocco is elected to the Council")
    'en'
    """
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN.findall(text))
    if arabic and arabic >= latin:
        return "ar"
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    return "fr" if french > english else "en"


def detect_language(text: str) -> str:
    """Return the language of ``text``: ``ar``, ``fr`` or ``en``.

    >>> detect_language("وتمثل المغرب في أشغال الجمعية")
    'ar'
    >>> detect_language("La ministre a représenté le Royaume lors de la session.")
    'fr'
    """
    sample = text[:1500]
    detector = _lingua_detector()
    if detector is not None:
        found = detector.detect_language_of(sample)
        if found is not None:
            return str(found.iso_code_639_1.name.lower())
    return detect_by_script(sample)


class LanguagePack:
    """What differs between languages beyond the lexicon: word order, names, articles.

    The base class implements the Latin-script behaviour shared by French and English.
    """

    language = "en"
    subject_first = True
    """SVO (French, English): the subject of a verb is looked for before it first."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.genitive = lex.folded("genitive")
        self.articles = frozenset({"the", "le", "la", "l", "les"})
        self.particles = lex.folded("name_particles")
        self.name_stop = lex.folded("name_stop")
        self.titles = {g: sorted((fold_phrase(t).split() for t in lex.words(f"titles.{g}")),
                                 key=len, reverse=True) for g in ("female", "male", "any")}
        self.nominals = {g: [fold_phrase(t).split() for t in lex.words(f"person_nominals.{g}")]
                         for g in ("female", "male", "any")}
        self.framework_heads = lex.folded("framework_heads")
        self._heads: weakref.WeakKeyDictionary[Gazetteer, dict[str, tuple[str, str | None]]] = \
            weakref.WeakKeyDictionary()
        self.person_starts = frozenset(
            words[0] for group in (self.titles, self.nominals) for options in group.values()
            for words in options if words)
        """First words of titles and nominals: a person mention can only start at one."""
        self.platform_heads = lex.folded("platform_heads")

    # ---- articles and genitives -------------------------------------------------------

    def skip_genitive(self, doc: Document, index: int, limit: int) -> int:
        """Index of the first token at or after ``index`` that is not a genitive word."""
        while index < limit and doc.tokens[index].key in (self.genitive | self.articles):
            index += 1
        return index

    def has_genitive(self, doc: Document, index: int, limit: int) -> bool:
        """Tell whether a genitive word ("of", "de") starts at ``index``."""
        return index < limit and doc.tokens[index].key in self.genitive and not doc.gap(index - 1)

    def is_definite(self, doc: Document, index: int) -> bool:
        """Tell whether the noun at ``index`` has a definite article."""
        return index > 0 and doc.tokens[index - 1].key in self.articles

    def strip_item(self, doc: Document, first: int, after_comma: bool) -> int:
        """Raw offset where a list item's label starts (after a leading "and"/"et")."""
        token = doc.tokens[first]
        if after_comma and token.key in ("and", "et") and first + 1 < len(doc.tokens):
            return doc.tokens[first + 1].start
        return token.start

    # ---- heads of names ---------------------------------------------------------------

    def heads(self, gazetteer: Gazetteer) -> dict[str, tuple[str, str | None]]:
        """Folded head nouns of names -> (kind, initiative type), computed once per gazetteer."""
        cached = self._heads.get(gazetteer)
        if cached is None:
            cached = self._heads[gazetteer] = self._find_heads(gazetteer)
        return cached

    def _find_heads(self, gazetteer: Gazetteer) -> dict[str, tuple[str, str | None]]:
        found: dict[str, tuple[str, str | None]] = {}
        for key in gazetteer.keys("initiative-type"):
            for entry in gazetteer.labels("initiative-type", key):
                if entry.lang == self.language:
                    found.setdefault(fold_phrase(entry.label), ("initiative", key))
        for head in self.framework_heads:
            found[head] = ("framework", None)
        extra = self.lex.data.get("initiative_heads", {})
        for itype, words in extra.items():
            for word in words:
                found.setdefault(fold_phrase(word), ("initiative", itype))
        return found

    # ---- persons ----------------------------------------------------------------------

    def _match_words(self, doc: Document, index: int, limit: int,
                     options: Sequence[list[str]]) -> int:
        """Length of the longest option (a word list) matching at ``index`` (0 if none)."""
        longest = max((len(w) for w in options), default=0)
        keys = [t.key for t in doc.tokens[index:min(limit, index + longest)]]
        best = 0
        for words in options:
            n = len(words)
            if n <= len(keys) and n > best and keys[:n] == words:
                if all(not doc.gap(index + k) or doc.between(index + k).strip() == "."
                       for k in range(n - 1)):
                    best = n
        return best

    def find_persons(self, doc: Document, sentence: Sentence, lex: Lexicon,
                     gazetteer: Gazetteer, blocked: frozenset[int] = frozenset(),
                     known: list[list[str]] | None = None) -> list[Mention]:
        """Title + capitalized name ("Mme Nadia Berrada"), or title + nominal (an anaphor).

        ``known`` holds the names (folded words) found so far in the document; it grows.
        """
        found: list[Mention] = []
        known = [] if known is None else known
        i = sentence.first
        while i < sentence.last:
            if i in blocked or not self._may_start_person(doc.tokens[i].key):
                i += 1
                continue
            mention = self._person_at(doc, i, sentence.last, gazetteer, blocked, known)
            if mention is None:
                i += 1
                continue
            found.append(mention)
            if mention.kind == "person":
                start = mention.data.get("name_start", mention.first)
                known.append([t.key for t in doc.tokens[start:mention.last]])
            i = mention.last
        return found

    def _may_start_person(self, key: str) -> bool:
        return key in self.person_starts

    def _nominal_at(self, doc: Document, i: int, limit: int) -> tuple[int, str | None]:
        for gender in ("female", "male", "any"):
            n = self._match_words(doc, i, limit, self.nominals[gender])
            if n:
                return n, None if gender == "any" else gender
        return 0, None

    def _person_at(self, doc: Document, i: int, limit: int, gazetteer: Gazetteer,
                   blocked: frozenset[int], known: list[list[str]]) -> Mention | None:
        nominal, gender = self._nominal_at(doc, i, limit)
        for title_gender in ("female", "male"):
            n = self._match_words(doc, i, limit, self.titles[title_gender])
            if not n:
                continue
            name_end = self._name_end(doc, i + n, limit, blocked)
            if name_end - (i + n) >= 2 or (name_end - (i + n) >= 1 and nominal == 0
                                           and doc.tokens[i + n].surface[:1].isupper()
                                           and name_end - (i + n) >= 2):
                return self._person_mention(doc, i, i + n, name_end, title_gender, gazetteer)
            if name_end - (i + n) >= 2:
                break
        if nominal:
            return Mention(i, i + nominal, "anaphor", None,
                           {"target": "person", "gender": gender})
        return None

    def _name_end(self, doc: Document, start: int, limit: int, blocked: frozenset[int]) -> int:
        """End of a capitalized name starting at ``start`` (particles allowed inside)."""
        j = start
        last_cap = start
        while j < limit and j - start < 6 and j not in blocked:
            token = doc.tokens[j]
            if token.surface[:1].isupper() and token.key not in self.name_stop:
                last_cap = j + 1
            elif token.key not in self.particles:
                break
            if doc.gap(j) and doc.between(j).strip() not in ("-", "'"):
                break
            j += 1
        return last_cap

    def _person_mention(self, doc: Document, first: int, name_start: int, name_end: int,
                        gender: str | None, gazetteer: Gazetteer) -> Mention:
        raw_name = doc.raw[doc.tokens[name_start].start:doc.tokens[name_end - 1].end]
        data: dict[str, Any] = {"name": raw_name, "gender": gender, "lang": self.language,
                                "latin": raw_name if self.language != "ar" else None}
        data["name_start"] = name_start
        data["name_end"] = name_end
        entries = gazetteer.lookup(raw_name, kinds={"person"})
        key = entries[0].key if entries else None
        return Mention(first, name_end, "person", key, data)

    # ---- names of initiatives, frameworks, platforms ------------------------------------

    def find_names(self, doc: Document, sentence: Sentence, lex: Lexicon,
                   gazetteer: Gazetteer, blocked: frozenset[int] = frozenset()
                   ) -> list[Mention]:
        """Quoted names, capitalized names holding a head noun, and names with an acronym."""
        heads = self.heads(gazetteer)
        found = self._quoted_names(doc, sentence, heads, blocked)
        taken = {i for m in found for i in range(m.first, m.last)} | set(blocked)
        found.extend(self._capitalized_names(doc, sentence, heads, frozenset(taken)))
        taken |= {i for m in found for i in range(m.first, m.last)}
        found.extend(self._headed_names(doc, sentence, heads, frozenset(taken)))
        return found

    def _headed_names(self, doc: Document, sentence: Sentence,
                      heads: dict[str, tuple[str, str | None]], blocked: frozenset[int]
                      ) -> list[Mention]:
        """A lowercase head noun and a name ending in a capital or an acronym:
        "le réseau national des instituts Jazari", "the network of Smart Labs (NSL)"."""
        found = []
        i = sentence.first
        while i < sentence.last:
            token = doc.tokens[i]
            if i in blocked or token.key not in heads or not self.is_definite(doc, i) and \
                    not (i > sentence.first and doc.tokens[i - 1].key in ("un", "une", "a")):
                i += 1
                continue
            j, last_cap = i + 1, 0
            while j < sentence.last and j - i < 7 and j not in blocked:
                t = doc.tokens[j]
                if t.surface[:1].isupper() or t.surface[:1].isdigit():
                    last_cap = j + 1
                elif t.key in self.name_stop:
                    break
                if doc.gap(j) and doc.between(j).strip() not in ("-", "'"):
                    break
                j += 1
            end = last_cap
            acronym = _acronym_after(doc, end - 1, sentence.last) if end else None
            if not end:
                i += 1
                continue
            label = doc.raw[token.start:doc.tokens[end - 1].end]
            kind, itype = heads[token.key]
            data = {"label": label, "lang": self.language, "latin": label, "itype": itype,
                    "acronym": acronym[0] if acronym else None}
            last = acronym[1] if acronym else end
            found.append(Mention(i, last, kind, None, data))
            i = last
        return found

    def _quoted_names(self, doc: Document, sentence: Sentence,
                      heads: dict[str, tuple[str, str | None]], blocked: frozenset[int]
                      ) -> list[Mention]:
        found = []
        i = sentence.first
        while i < sentence.last:
            before = doc.raw[doc.tokens[i - 1].end:doc.tokens[i].start] if i > 0 else ""
            if not any(q in before for q in "\u201c\"\u00ab") or i in blocked or \
                    not _LATIN.match(doc.tokens[i].surface):
                i += 1
                continue
            j = i
            while j < sentence.last and j - i < 8:
                after = doc.between(j)
                if any(q in after for q in "\u201d\"\u00bb"):
                    break
                if doc.gap(j) and after.strip() not in ("-", "'"):
                    j = -1
                    break
                j += 1
            if j < 0 or j >= sentence.last:
                i += 1
                continue
            label = doc.raw[doc.tokens[i].start:doc.tokens[j].end]
            first = i
            kind, itype = "name", None
            head_len = self._head_before(doc, i, sentence.first, heads)
            last = j + 1
            if head_len:
                head = " ".join(t.key for t in doc.tokens[i - head_len:i])
                kind, itype = heads[head]
                first = i - head_len
            elif j + 1 < sentence.last and doc.tokens[j + 1].key in heads and \
                    self.language != "ar":
                # English and French may put the head after: the “Digital Jordan 2030” vision
                kind, itype = heads[doc.tokens[j + 1].key]
                last = j + 2
            data = {"label": label, "lang": "en" if self.language == "ar" else self.language,
                    "latin": label, "itype": itype, "quoted": True}
            found.append(Mention(first, last, kind, None, data))
            i = last
        return found

    def _head_before(self, doc: Document, index: int, floor: int,
                     heads: dict[str, tuple[str, str | None]]) -> int:
        for n in (3, 2, 1):
            if index - n < floor:
                continue
            words = [t.key for t in doc.tokens[index - n:index]]
            if self.language == "ar":
                variants = proclitic_variants(words[0])
                if any(" ".join([v, *words[1:]]) in heads for v in variants):
                    words[0] = next(v for v in variants if " ".join([v, *words[1:]]) in heads)
                    if " ".join(words) in heads:
                        return n
            elif " ".join(words) in heads:
                return n
        return 0

    def _capitalized_names(self, doc: Document, sentence: Sentence,
                           heads: dict[str, tuple[str, str | None]], blocked: frozenset[int]
                           ) -> list[Mention]:
        found = []
        i = sentence.first
        while i < sentence.last:
            if i in blocked or not doc.tokens[i].surface[:1].isupper():
                i += 1
                continue
            j = i
            while j < sentence.last and j not in blocked and j - i < 8:
                token = doc.tokens[j]
                if not (token.surface[:1].isupper() or token.surface[:1].isdigit()
                        or (token.key in self.particles | self.genitive and j > i)):
                    break
                if doc.gap(j) and doc.between(j).strip() not in ("-", "'"):
                    j += 1
                    break
                j += 1
            while j > i and doc.tokens[j - 1].key in self.particles | self.genitive:
                j -= 1
            start = i
            while start < j and doc.tokens[start].key in self.articles:
                start += 1
            words = [t.key for t in doc.tokens[start:j]]
            head = next(((w, heads[w]) for w in words if w in heads), None)
            acronym = _acronym_after(doc, j - 1, sentence.last)
            if head is None or j - start < 2:
                i = max(j, i + 1)
                continue
            label = doc.raw[doc.tokens[start].start:doc.tokens[j - 1].end]
            kind, itype = head[1]
            data = {"label": label, "lang": self.language, "latin": label, "itype": itype,
                    "acronym": acronym[0] if acronym else None}
            last = acronym[1] if acronym else j
            found.append(Mention(start, last, kind, None, data))
            i = last
        return found


def _acronym_after(doc: Document, index: int, limit: int) -> tuple[str, int] | None:
    """An acronym in parentheses right after token ``index``: (acronym, end token)."""
    if index + 1 >= limit or "(" not in doc.between(index):
        return None
    token = doc.tokens[index + 1]
    if ")" not in doc.between(index + 1) or not re.fullmatch(r"[A-Z][A-Za-z0-9]{1,9}",
                                                              token.surface):
        return None
    if sum(c.isupper() for c in token.surface) < 2:
        return None
    return token.surface, index + 2
