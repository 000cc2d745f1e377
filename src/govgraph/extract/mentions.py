"""Mentions: the spans of a document's body that name an entity, or point back to one.

Layer: extract. Input: a :class:`~govgraph.extract.normalize.Document`, its sentences, a
:class:`~govgraph.model.gazetteer.Gazetteer`, the lexicon and language pack of the document's
language. Output: :class:`Mention` lists per sentence, in text order, for
:mod:`govgraph.extract.coref` and :mod:`govgraph.extract.rules`. Imports: the standard library,
govgraph.model, and this package.

Recognizers, in the order they claim tokens (a later one never takes a token an earlier one
holds):

1. names introduced in the text: initiatives, frameworks and platforms, from the language
   pack (head noun + name, quoted Latin names, acronyms in parentheses), then every repeat of
   an introduced name;
2. persons: the language pack (title + name; a title + nominal is an anaphor);
3. the gazetteer's entities (countries, organizations, posts, indices, known persons);
4. organs written as a head noun plus their organization («مجلس منظمة التعاون الرقمي»,
   "Conseil de l'OCN"), and numbered sessions («الدورة الخامسة للجمعية العامة»);
5. anaphora of the lexicon («المنظمة», "the Kingdom"), left for coref.py to resolve.

Concept labels (topics, roles, audiences...) are found separately, since they may sit inside an
entity's name.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govgraph.extract.lexicon import Lexicon, fold_phrase
from govgraph.extract.normalize import Document, Sentence
from govgraph.model.gazetteer import ENTITY_KINDS, Entry, Gazetteer, is_arabic
from govgraph.model.text import search_key

if TYPE_CHECKING:
    from govgraph.extract.language import LanguagePack

__all__ = ["Mention", "Mentions", "find_mentions", "NAME_KINDS"]

NAME_KINDS = ("initiative", "framework", "platform")


@dataclass
class Mention:
    """A span of tokens ``[first, last)`` naming or pointing to an entity.

    ``kind`` is an entity kind (``country``, ``org``, ``post``, ``person``, ``initiative``,
    ``framework``, ``platform``, ``index``), ``session`` or ``organ``, ``name`` (a quoted
    name whose kind the rules decide), or ``anaphor``. ``key`` is the reference key, None until
    resolved. ``data`` holds what a rule needs: a session's organ and ordinal, a person's name,
    an anaphor's target kind.
    """

    first: int
    last: int
    kind: str
    key: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    sentence: int = -1

    @property
    def resolved(self) -> bool:
        return self.key is not None

    def target(self) -> str:
        """The kind the mention refers to (an anaphor's target kind)."""
        return str(self.data.get("target", self.kind)) if self.kind == "anaphor" else self.kind


@dataclass
class Mentions:
    """Every mention of a document, by sentence."""

    by_sentence: list[list[Mention]]
    concepts: list[list[tuple[int, int, str, str]]]
    """Concept labels per sentence: (first token, last token, scheme, key)."""

    def all(self) -> Iterable[Mention]:
        for mentions in self.by_sentence:
            yield from mentions


def _free(taken: list[bool], first: int, last: int) -> bool:
    return not any(taken[first:last])


def _take(taken: list[bool], first: int, last: int) -> None:
    for i in range(first, last):
        taken[i] = True


def find_mentions(
    doc: Document,
    sentences: Sequence[Sentence],
    gazetteer: Gazetteer,
    lex: Lexicon,
    pack: LanguagePack,
    aliases: Gazetteer,
) -> Mentions:
    """Recognize the mentions of every sentence (see the module docstring for the order)."""
    by_sentence: list[list[Mention]] = [[] for _ in sentences]
    concepts: list[list[tuple[int, int, str, str]]] = [[] for _ in sentences]
    taken = [False] * len(doc.tokens)
    keys = [t.key for t in doc.tokens]
    surfaces = [t.surface for t in doc.tokens]

    entity_matches = [
        gazetteer.find(keys[s.first:s.last], kinds=ENTITY_KINDS, surfaces=surfaces[s.first:s.last])
        for s in sentences
    ]
    # names and persons must not swallow an organization, post or known person («برنامج
    # الأمم المتحدة الإنمائي» is not a programme named "...")
    blocked = [
        frozenset(s.first + i for m in matches if _pick(m.targets)[0] not in ("country", "person")
                  for i in range(m.start, m.end))
        for s, matches in zip(sentences, entity_matches, strict=True)
    ]

    # 1. introduced names, then their repeats
    introduced: list[Mention] = []
    for index, sentence in enumerate(sentences):
        for mention in pack.find_names(doc, sentence, lex, gazetteer, blocked[index]):
            if _free(taken, mention.first, mention.last):
                mention.sentence = index
                introduced.append(mention)
                _take(taken, mention.first, mention.last)
    # a name introduced again in a later sentence is a repeat of the first
    first_of: dict[str, Mention] = {}
    for mention in list(introduced):
        label = " ".join(search_key(str(mention.data.get("label", ""))).split())
        origin = first_of.setdefault(label, mention)
        if origin is not mention and label:
            introduced.remove(mention)
            by_sentence[mention.sentence].append(
                Mention(mention.first, mention.last, origin.kind, None,
                        {"origin": origin, "repeat": True}, mention.sentence))
    name_entries = [
        Entry("name", str(i), str(m.data["label"]), None)
        for i, m in enumerate(introduced) if m.data.get("label")
    ] + [
        Entry("name", str(i), str(m.data["acronym"]), None, exact_case=True)
        for i, m in enumerate(introduced) if m.data.get("acronym")
    ]
    names = Gazetteer(name_entries)
    for index, sentence in enumerate(sentences):
        for match in names.find(keys[sentence.first:sentence.last],
                                surfaces=surfaces[sentence.first:sentence.last]):
            first, last = sentence.first + match.start, sentence.first + match.end
            if _free(taken, first, last):
                origin = introduced[int(match.entries[0].key)]
                repeat = Mention(first, last, origin.kind, None,
                                 {"origin": origin, "repeat": True}, index)
                by_sentence[index].append(repeat)
                _take(taken, first, last)
    for mention in introduced:
        by_sentence[mention.sentence].append(mention)

    # 2. persons (a name seen before keeps its extent: «السيد X كلمة» is X)
    known: list[list[str]] = []
    for index, sentence in enumerate(sentences):
        for mention in pack.find_persons(doc, sentence, lex, gazetteer, blocked[index], known):
            if _free(taken, mention.first, mention.last):
                mention.sentence = index
                by_sentence[index].append(mention)
                _take(taken, mention.first, mention.last)

    # 3. gazetteer entities
    for index, sentence in enumerate(sentences):
        lo = sentence.first
        for match in entity_matches[index]:
            first, last = lo + match.start, lo + match.end
            if not _free(taken, first, last):
                continue
            kind, key = _pick(match.targets)
            by_sentence[index].append(Mention(first, last, kind, key, {}, index))
            _take(taken, first, last)

    # 3b. Arabic country adjectives («الجانب المغربي»), for the side a signatory signs for
    if lex.arabic:
        demonyms = _demonyms(gazetteer)
        for index, sentence in enumerate(sentences):
            lo, hi = sentence.first, sentence.last
            for match in demonyms.find(keys[lo:hi]):
                first, last = lo + match.start, lo + match.end
                if _free(taken, first, last):
                    by_sentence[index].append(Mention(first, last, "demonym",
                                                      match.entries[0].key, {}, index))
                    _take(taken, first, last)

    # 4. organs (head + organization) and sessions
    head_gaz = _organ_heads(lex)
    for index, sentence in enumerate(sentences):
        _find_organs(doc, sentence, index, by_sentence[index], taken, head_gaz, gazetteer, lex,
                     pack)
        _find_sessions(doc, sentence, index, by_sentence[index], taken, lex)

    # 5. anaphora
    anaphora = lex.data.get("coref", [])
    ana_gaz = _anaphora(lex)
    for index, sentence in enumerate(sentences):
        lo, hi = sentence.first, sentence.last
        for match in ana_gaz.find(keys[lo:hi]):
            first, last = lo + match.start, lo + match.end
            if not _free(taken, first, last):
                continue
            spec = anaphora[int(match.entries[0].key)]
            data = {"target": spec["kind"], "head": spec.get("head"), "type": spec.get("type")}
            by_sentence[index].append(Mention(first, last, "anaphor", None, data, index))
            _take(taken, first, last)

    _person_roles(doc, by_sentence, lex)
    for index, sentence in enumerate(sentences):
        lo, hi = sentence.first, sentence.last
        for gaz in (gazetteer, aliases):
            for match in gaz.find(keys[lo:hi], kinds=None if gaz is aliases else
                                  _CONCEPT_KINDS, surfaces=surfaces[lo:hi]):
                for kind, key in match.targets:
                    if kind not in ENTITY_KINDS:
                        concepts[index].append((lo + match.start, lo + match.end, kind, key))
        concepts[index].sort()
        by_sentence[index].sort(key=lambda m: (m.first, m.last))
    return Mentions(by_sentence, concepts)


_LEXICON_GAZETTEERS: dict[tuple[str, str], Gazetteer] = {}


def _organ_heads(lex: Lexicon) -> Gazetteer:
    """Organ head nouns of a lexicon, as a gazetteer (built once per language)."""
    cached = _LEXICON_GAZETTEERS.get((lex.language, "organ-heads"))
    if cached is None:
        cached = Gazetteer(Entry("organ-head", slug, p, None)
                           for slug, phrases in lex.data.get("organ_heads", {}).items()
                           for p in phrases)
        _LEXICON_GAZETTEERS[(lex.language, "organ-heads")] = cached
    return cached


def _anaphora(lex: Lexicon) -> Gazetteer:
    """Anaphora of a lexicon (``coref``), as a gazetteer keyed by their index."""
    cached = _LEXICON_GAZETTEERS.get((lex.language, "coref"))
    if cached is None:
        cached = Gazetteer(Entry("anaphor", str(i), str(a["phrase"]), None)
                           for i, a in enumerate(lex.data.get("coref", [])))
        _LEXICON_GAZETTEERS[(lex.language, "coref")] = cached
    return cached


def role_stem(word: str) -> str:
    """The comparable stem of a role word: «الوزيرة» -> وزير, "ambassadrice" -> ambass.

    >>> role_stem("الوزيره"), role_stem("وزير"), role_stem("ambassadeur")
    ('وزير', 'وزير', 'ambass')
    """
    if is_arabic(word):
        for prefix in ("وال", "لل", "ال"):
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix):]
                break
        return word.removesuffix("ه")[:5]
    return word[:6]


def _person_roles(doc: Document, by_sentence: list[list[Mention]], lex: Lexicon) -> None:
    """Record the role words of each person (title, apposition) and anaphor ("la ministre")."""
    stems = {role_stem(w) for w in lex.folded("role_words")}
    for mentions in by_sentence:
        for m in mentions:
            if m.target() != "person":
                continue
            words = [t.key for t in doc.tokens[m.first:m.last]]
            if m.kind == "anaphor":
                found = [role_stem(w) for w in words if role_stem(w) in stems]
                m.data["role"] = found[0] if found else None
                continue
            j = m.last
            if doc.gap(m.last - 1) and "," in doc.between(m.last - 1).replace("\u060c", ","):
                while j < len(doc.tokens) and j - m.last < 8:
                    words.append(doc.tokens[j].key)
                    j += 1
                    if doc.gap(j - 1):
                        break
            k = m.first - 1
            if k >= 0 and "," in doc.between(k).replace("\u060c", ","):
                back = []
                while k >= 0 and m.first - k <= 8:
                    back.append(doc.tokens[k].key)
                    if k == 0 or doc.gap(k - 1):
                        break
                    k -= 1
                words.extend(back)
            m.data["roles"] = sorted({role_stem(w) for w in words if role_stem(w) in stems})


_DEMONYMS: weakref.WeakKeyDictionary[Gazetteer, Gazetteer] = weakref.WeakKeyDictionary()


def _demonyms(gazetteer: Gazetteer) -> Gazetteer:
    """Arabic country adjectives from one-word country names: المغرب -> المغربي, المغربية."""
    cached = _DEMONYMS.get(gazetteer)
    if cached is None:
        entries = []
        for code in gazetteer.keys("country"):
            for entry in gazetteer.labels("country", code):
                words = search_key(entry.label).split()
                if entry.lang != "ar" or len(words) != 1:
                    continue
                base = words[0].removeprefix("ال").removesuffix("ه")
                if len(base) < 3:
                    continue
                for form in (f"ال{base}ي", f"{base}ي", f"ال{base}يه", f"{base}يه"):
                    entries.append(Entry("demonym", code, form, "ar"))
        cached = Gazetteer(entries)
        _DEMONYMS[gazetteer] = cached
    return cached


_CONCEPT_KINDS = frozenset(
    "topic role audience component genre election-outcome electoral-group initiative-type "
    "agreement-type org-type assertion-kind".split()
)
"""Concept schemes whose labels the rules read (every scheme of ontology/schemes/)."""


_KIND_ORDER = {k: i for i, k in enumerate(
    ("post", "org", "country", "person", "initiative", "framework", "platform", "index"))}


def _pick(targets: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """The most specific target of an ambiguous label (a post before an organization)."""
    return sorted(targets, key=lambda t: (_KIND_ORDER.get(t[0], 99), t[1]))[0]


def _find_organs(doc: Document, sentence: Sentence, index: int, mentions: list[Mention],
                 taken: list[bool], head_gaz: Gazetteer, gazetteer: Gazetteer, lex: Lexicon,
                 pack: LanguagePack) -> None:
    """Organ head nouns, joined to the organization after (or before) them."""
    keys = [t.key for t in doc.tokens[sentence.first:sentence.last]]
    by_first = {m.first: m for m in mentions}
    by_last = {m.last: m for m in mentions}
    for match in head_gaz.find(keys):
        first, last = sentence.first + match.start, sentence.first + match.end
        if not _free(taken, first, last):
            continue
        slug = match.entries[0].key
        parent_mention, end = None, last
        after = pack.skip_genitive(doc, last, sentence.last)
        candidate = by_first.get(after)
        if candidate is not None and candidate.kind == "org":
            parent_mention, end = candidate, candidate.last
        elif after < sentence.last and not doc.gap(last - 1):
            anaphor = _org_anaphor_at(doc, after, sentence.last, lex)
            if anaphor:
                parent_mention = Mention(after, anaphor, "anaphor", None,
                                         {"target": "org", "head": None}, index)
                end = anaphor
        before = by_last.get(first)
        if parent_mention is None and before is not None and before.kind == "org" and \
                not doc.gap(first - 1):
            parent_mention = before
        if parent_mention is not None and parent_mention.kind == "org" and parent_mention.key:
            parent = gazetteer.parent(parent_mention.key) or parent_mention.key
            organ = f"{parent}/{slug}"
            if gazetteer.has("org", organ):
                start = min(first, parent_mention.first)
                if parent_mention in mentions:
                    mentions.remove(parent_mention)
                mentions.append(Mention(start, end, "org", organ,
                                        {"composite": True, "parent": parent, "slug": slug,
                                         "head": (first, last)}, index))
                _take(taken, start, end)
            continue
        if parent_mention is not None:  # head + «للمنظمة»: resolved by coref
            mentions.append(Mention(first, end, "organ", None,
                                    {"slug": slug, "parent_anaphor": True, "composite": True,
                                     "head": (first, last)}, index))
            _take(taken, first, end)
            continue
        if pack.is_definite(doc, first) and not pack.has_genitive(doc, last, sentence.last):
            mentions.append(Mention(first, last, "organ", None, {"slug": slug}, index))
            _take(taken, first, last)


def _org_anaphor_at(doc: Document, first: int, limit: int, lex: Lexicon) -> int | None:
    """End token of an organization anaphor («للمنظمة», "l'Organisation") at ``first``."""
    phrases = [fold_phrase(a["phrase"]).split() for a in lex.data.get("coref", [])
               if a.get("kind") == "org"]
    # «de l'Organisation»: the genitive and its article were skipped already
    phrases = [p[1:] if len(p) > 1 and p[0] in ("l", "le", "la", "the") else p for p in phrases]
    keys = [t.key for t in doc.tokens[first:limit]]
    from govgraph.model.gazetteer import proclitic_variants

    for words in phrases:
        n = len(words)
        if len(keys) >= n and words[0] in proclitic_variants(keys[0]) and keys[1:n] == words[1:]:
            return first + n
    return None


def _find_sessions(doc: Document, sentence: Sentence, index: int, mentions: list[Mention],
                   taken: list[bool], lex: Lexicon) -> None:
    """A numbered session: «الدورة الخامسة» + organ, "the fifth session of" + organ,
    "la 5e session de" + organ, or an ordinal right before the organ ("6th General Assembly").
    """
    nouns = lex.folded("session_nouns")
    genitive = lex.folded("genitive")
    for organ in [m for m in mentions if m.kind in ("org", "organ")]:
        if organ.kind == "org" and not organ.data.get("composite") and organ.key and "/" not in \
                organ.key:
            continue
        j = organ.first - 1
        words: list[str] = []
        while j >= sentence.first and j >= organ.first - 5 and not taken[j] and \
                not doc.gap(j):
            words.insert(0, doc.tokens[j].key)
            j -= 1
        start = j + 1
        # strip genitive words (of, de, du, des, la, l) between the session noun and the organ
        while words and (words[-1] in genitive or words[-1] in ("the", "la", "l", "le")):
            words.pop()
        ordinal = None
        begin = None
        for k in range(len(words)):
            tail = " ".join(words[k:])
            rest = words[k:]
            # ar: noun + ordinal; fr/en: ordinal + noun, or ordinal alone before the organ
            for split in range(1, len(rest) + 1):
                left, right = " ".join(rest[:split]), " ".join(rest[split:])
                if left in nouns and lex.ordinal(right) is not None:
                    ordinal, begin = lex.ordinal(right), k
                elif lex.ordinal(left) is not None and (right in nouns or right == ""):
                    ordinal, begin = lex.ordinal(left), k
                if ordinal is not None:
                    break
            if ordinal is not None or tail in nouns:
                break
        if ordinal is None or begin is None:
            continue
        first = start + begin
        mentions.remove(organ)
        mentions.append(Mention(first, organ.last, "session", None,
                                {"organ_mention": organ, "ordinal": ordinal}, index))
        _take(taken, first, organ.last)
