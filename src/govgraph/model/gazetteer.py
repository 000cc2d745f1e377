"""Gazetteer: the names of reference entities and concepts, keyed for matching in raw text.

Layer: model. Input: an rdflib Graph holding the reference data (``data/reference/*.ttl``) and the
SKOS schemes (``ontology/schemes/*.ttl``). Output: a :class:`Gazetteer` that maps the matching
key (:func:`govgraph.model.text.search_key`) of every ``skos:prefLabel``, ``skos:altLabel`` and
``skos:hiddenLabel`` to ``(kind, key)`` pairs, in the key form of docs/records.md: ``("country",
"MA")``, ``("org", "dco/executive-committee")``, ``("topic", "digital-economy")``.
Imports: the standard library, govgraph.model.text, and (inside :meth:`Gazetteer.from_graph`
only) rdflib and govgraph.model.namespaces, so extractors can use a built gazetteer without
importing rdflib.

Matching works on *tokens*: the words of ``search_key(text)``. An Arabic word may carry
proclitics (و, ف, ب, ل, ك, and لل for ل + ال) that a label does not, so «لـمنظمة» matches
«منظمة التعاون الرقمي» and «للجمعية» matches «الجمعية»; the proclitic variants of a token are
tried only where a label starts. Arabic labels are also indexed in their plural (sound feminine
ة → ات, sound masculine ون → ين on the first word) and indefinite forms, so «منصات بيانات»
matches «منصة بيانات». Untagged all-capital acronyms («DCO», «UNDP») match only when written in
capitals, so "Ma" or "un" never match a code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from govgraph.model.text import search_key

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "ENTITY_KINDS",
    "Entry",
    "Gazetteer",
    "Match",
    "is_arabic",
    "proclitic_variants",
]

ENTITY_KINDS = frozenset(
    "country org post person initiative framework platform index".split()
)
"""Kinds of reference entity; every other kind is the name of a SKOS concept scheme."""

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]*(?: [A-Z][A-Z0-9&]*)*$")


def is_arabic(token: str) -> bool:
    """Tell whether a token contains an Arabic letter.

    >>> is_arabic("منظمه"), is_arabic("dco")
    (True, False)
    """
    return _ARABIC_LETTER.search(token) is not None


@lru_cache(maxsize=65536)
def proclitic_variants(token: str) -> tuple[str, ...]:
    """Return a normalized Arabic token and its forms without proclitics, the token first.

    Conjunctions و and ف, then one of the prepositions ب, ل, ك, are stripped; لل (ل + the
    article) becomes ال. Only forms of at least two letters are returned; a Latin token is
    returned alone.

    >>> proclitic_variants("لمنظمه")
    ('لمنظمه', 'منظمه')
    >>> proclitic_variants("للجمعيه")
    ('للجمعيه', 'الجمعيه', 'لجمعيه')
    >>> proclitic_variants("وبالاقتصاد")
    ('وبالاقتصاد', 'بالاقتصاد', 'الاقتصاد')
    >>> proclitic_variants("council")
    ('council',)
    """
    if len(token) < 3 or not is_arabic(token):
        return (token,)
    out = [token]

    def add(form: str) -> None:
        if len(form) >= 2 and form not in out:
            out.append(form)

    bases = [token]
    if token[0] in "وف" and len(token) > 3:
        bases.append(token[1:])
    for base in bases:
        add(base)
        if base.startswith("لل") and len(base) > 3:
            add("ال" + base[2:])
        if base[0] in "بلك" and len(base) > 3:
            add(base[1:])
    return tuple(out)


def _arabic_label_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Return extra index forms of an Arabic label: plural first word, indefinite form.

    >>> _arabic_label_variants(("منصه", "بيانات"))
    [('منصات', 'بيانات')]
    >>> _arabic_label_variants(("قدرات", "الحوسبه", "المتقدمه"))
    [('قدرات', 'حوسبه', 'متقدمه')]
    """
    variants = []
    first = tokens[0]
    if len(first) >= 4 and first.endswith("ه"):
        variants.append((first[:-1] + "ات", *tokens[1:]))
    elif len(first) >= 5 and first.endswith("ون"):
        variants.append((first[:-2] + "ين", *tokens[1:]))
    if len(tokens) > 1 and all(t.startswith("ال") and len(t) > 4 for t in tokens[1:]):
        rest = tuple(t[2:] for t in tokens[1:])
        variants.append((first[2:] if first.startswith("ال") else first, *rest))
    return variants


def _latin_plurals(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Plural index forms of a French or English concept label (an ``s`` on the first or
    last word, or both).

    >>> _latin_plurals(("data", "platform"))
    [('datas', 'platform'), ('data', 'platforms'), ('datas', 'platforms')]
    >>> _latin_plurals(("plateforme", "de", "donnees"))
    [('plateformes', 'de', 'donnees')]
    """
    def plural(word: str) -> str:
        return word if word.endswith(("s", "x", "z")) or not word.isalpha() else word + "s"

    first = (plural(tokens[0]), *tokens[1:])
    last = (*tokens[:-1], plural(tokens[-1]))
    both = (plural(tokens[0]), *tokens[1:-1], plural(tokens[-1])) if len(tokens) > 1 else first
    return list(dict.fromkeys(f for f in (first, last, both) if f != tokens))


@dataclass(frozen=True)
class Entry:
    """One label of one entity or concept."""

    kind: str
    """``country``, ``org``, ``post``, ``person``, ``initiative``, ``framework``, ``platform``,
    ``index``, or the name of a concept scheme (``topic``, ``role``, ``genre`` ...)."""
    key: str
    """The reference key: ``MA``, ``dco/executive-committee``, ``digital-economy``."""
    label: str
    """The label as the data writes it."""
    lang: str | None = None
    exact_case: bool = False
    """An acronym: it matches only a mention written in the same capitals."""


@dataclass(frozen=True)
class Match:
    """Labels found at tokens ``start`` (inclusive) to ``end`` (exclusive) of a token list."""

    start: int
    end: int
    entries: tuple[Entry, ...]

    @property
    def targets(self) -> tuple[tuple[str, str], ...]:
        """The distinct (kind, key) pairs of the entries, in first-seen order."""
        seen: dict[tuple[str, str], None] = {}
        for entry in self.entries:
            seen.setdefault((entry.kind, entry.key), None)
        return tuple(seen)


class Gazetteer:
    """Labels of entities and concepts, looked up by matching key.

    >>> g = Gazetteer([
    ...     Entry("org", "dco", "منظمة التعاون الرقمي", "ar"),
    ...     Entry("org", "dco", "DCO", None, exact_case=True),
    ...     Entry("country", "MA", "المملكة المغربيّة", "ar"),
    ... ], parents={"dco/council": "dco"})
    >>> [e.key for e in g.lookup("لـمنظمة التعاون الرقمي")]
    ['dco']
    >>> tokens = search_key("انتخاب المملكة المغربية عضوا لـمنظمة التعاون الرقمي").split()
    >>> [(m.start, m.end, m.targets) for m in g.find(tokens)]
    [(1, 3, (('country', 'MA'),)), (4, 7, (('org', 'dco'),))]
    >>> [m.targets for m in g.find(["the", "dco"], surfaces=["the", "dco"])]
    []
    >>> g.parent("dco/council"), g.has("org", "dco"), g.has("org", "itu")
    ('dco', True, False)
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        parents: Mapping[str, str] | None = None,
        classifications: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self._entries: list[Entry] = []
        self._by_target: dict[tuple[str, str], list[Entry]] = {}
        # first token -> [(rest of the tokens, entry)], longest first
        self._index: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self._seen: set[tuple[tuple[str, ...], str, str, bool]] = set()
        self._keys: dict[str, tuple[str, ...]] = {}
        self._parents = dict(parents or {})
        self._classes = {k: frozenset(v) for k, v in (classifications or {}).items()}
        for entry in entries:
            self._add(entry)
        for candidates in self._index.values():
            candidates.sort(key=lambda item: (-len(item[0]), item[1].kind, item[1].key))

    def _add(self, entry: Entry) -> None:
        tokens = tuple(search_key(entry.label).split())
        if not tokens:
            return
        self._entries.append(entry)
        self._by_target.setdefault((entry.kind, entry.key), []).append(entry)
        forms = [tokens]
        if is_arabic(tokens[0]):
            forms.extend(_arabic_label_variants(tokens))
        elif not entry.exact_case and entry.kind not in ENTITY_KINDS:
            forms.extend(_latin_plurals(tokens))
        for form in forms:
            seen = (form, entry.kind, entry.key, entry.exact_case)
            if seen not in self._seen:
                self._seen.add(seen)
                self._index.setdefault(form[0], []).append((form[1:], entry))

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        """Build the gazetteer of every typed reference entity and SKOS concept of ``graph``.

        Entities are recognized by their ``rdf:type`` (``gg:Country``, ``org:FormalOrganization``,
        ``org:OrganizationalUnit``, ``cv:PublicOrganisation``, ``org:Post``, ``person:Person``,
        ``gg:Initiative``, ``gg:PolicyFramework``, ``gg:Platform``, ``gg:Index``) and must have an
        IRI under the govgraph ``id/`` namespace; concepts by ``skos:inScheme``. Parents come
        from ``org:unitOf``, ``org:postIn`` and ``org:subOrganizationOf``; classifications from
        ``org:classification`` with their ``skos:broader`` concepts.
        """
        from rdflib import Literal, URIRef
        from rdflib.term import Node

        from govgraph.model.namespaces import CV, GG, ID, ORG, PERSON, RDF, SKOS

        types = {
            GG.Country: "country",
            ORG.FormalOrganization: "org",
            ORG.OrganizationalUnit: "org",
            ORG.Organization: "org",
            CV.PublicOrganisation: "org",
            ORG.Post: "post",
            PERSON.Person: "person",
            GG.Initiative: "initiative",
            GG.PolicyFramework: "framework",
            GG.Platform: "platform",
            GG.Index: "index",
        }
        base = str(ID)

        def key_of(iri: object, kind: str) -> str | None:
            text = str(iri)
            prefix = f"{base}{kind}/"
            return text[len(prefix):] if text.startswith(prefix) else None

        def concept_of(iri: object) -> tuple[str, str] | None:
            text = str(iri)
            prefix = f"{base}concept/"
            if not text.startswith(prefix) or text.count("/", len(prefix)) != 1:
                return None
            scheme, key = text[len(prefix):].split("/")
            return scheme, key

        targets: dict[Node, tuple[str, str]] = {}
        for rdf_type, kind in types.items():
            for subject in graph.subjects(RDF.type, rdf_type):
                key = key_of(subject, kind)
                if isinstance(subject, URIRef) and key:
                    targets[subject] = (kind, key)
        for subject, scheme_iri in graph.subject_objects(SKOS.inScheme):
            concept = concept_of(subject)
            scheme = str(scheme_iri).rsplit("/", 1)[-1]
            if concept and concept[0] == scheme:
                targets[subject] = concept

        entries = []
        for subject, (kind, key) in sorted(targets.items(), key=lambda item: item[1]):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in sorted(graph.objects(subject, prop), key=str):
                    if not isinstance(label, Literal):
                        continue
                    text, lang = str(label), label.language
                    exact = lang is None and _ACRONYM.match(text) is not None
                    entries.append(Entry(kind, key, text, lang, exact_case=exact))

        parents: dict[str, str] = {}
        for prop in (ORG.unitOf, ORG.postIn, ORG.subOrganizationOf):
            for child, parent in graph.subject_objects(prop):
                if child in targets and parent in targets:
                    parents.setdefault(targets[child][1], targets[parent][1])
        broader: dict[str, set[str]] = {}
        for narrow, wide in graph.subject_objects(SKOS.broader):
            n, w = concept_of(narrow), concept_of(wide)
            if n and w:
                broader.setdefault(n[1], set()).add(w[1])
        classes: dict[str, set[str]] = {}
        for subject, concept_iri in graph.subject_objects(ORG.classification):
            concept = concept_of(concept_iri)
            if subject in targets and concept:
                todo, found = [concept[1]], set()
                while todo:
                    current = todo.pop()
                    if current not in found:
                        found.add(current)
                        todo.extend(broader.get(current, ()))
                classes.setdefault(targets[subject][1], set()).update(found)
        return cls(entries, parents=parents, classifications=classes)

    def __len__(self) -> int:
        return len(self._entries)

    def has(self, kind: str, key: str) -> bool:
        """Tell whether an entity or concept ``(kind, key)`` is known."""
        return (kind, key) in self._by_target

    def labels(self, kind: str, key: str) -> tuple[Entry, ...]:
        """Return every label of ``(kind, key)`` (empty when unknown)."""
        return tuple(self._by_target.get((kind, key), ()))

    def label(self, kind: str, key: str, lang: str | None = None) -> str | None:
        """Return the first label of ``(kind, key)`` in ``lang`` (any language if None)."""
        for entry in self._by_target.get((kind, key), ()):
            if lang is None or entry.lang == lang:
                return entry.label
        return None

    def parent(self, key: str) -> str | None:
        """Return the key of the organization an organ, post or body belongs to."""
        return self._parents.get(key)

    def classification(self, key: str) -> frozenset[str]:
        """Return the org-type concept keys of an organization, broader ones included."""
        return self._classes.get(key, frozenset())

    def keys(self, kind: str) -> tuple[str, ...]:
        """Return the sorted keys of every entity or concept of a kind."""
        cached = self._keys.get(kind)
        if cached is None:
            cached = tuple(sorted({k for (kd, k) in self._by_target if kd == kind}))
            self._keys[kind] = cached
        return cached

    def lookup(self, text: str, kinds: Iterable[str] | None = None) -> tuple[Entry, ...]:
        """Return the entries whose label is ``text`` (as a whole), matched by search key."""
        tokens = search_key(text).split()
        wanted = frozenset(kinds) if kinds is not None else None
        for match in self.find(tokens, kinds=wanted, surfaces=text.split()):
            if match.start == 0 and match.end == len(tokens):
                return match.entries
        return ()

    def find(
        self,
        tokens: Sequence[str],
        *,
        kinds: Iterable[str] | None = None,
        surfaces: Sequence[str] | None = None,
    ) -> list[Match]:
        """Find labels in a token list, left to right, longest match first, not overlapping.

        Args:
            tokens: the words of a text as :func:`search_key` gives them.
            kinds: only labels of these kinds (default: all).
            surfaces: the words as written, aligned with ``tokens``; acronyms match only where
                the written word has the label's capitals. Without it, acronyms never match.

        Returns:
            One :class:`Match` per found span, in text order.
        """
        wanted = frozenset(kinds) if kinds is not None else None
        found: list[Match] = []
        i, n = 0, len(tokens)
        while i < n:
            best_len = 0
            best_entries: tuple[Entry, ...] = ()
            for variant in proclitic_variants(tokens[i]):
                for rest, entry in self._index.get(variant, ()):
                    length = 1 + len(rest)
                    if length < best_len or i + length > n:
                        continue
                    if wanted is not None and entry.kind not in wanted:
                        continue
                    if tuple(tokens[i + 1 : i + length]) != rest:
                        continue
                    if entry.exact_case and not _same_caps(entry, surfaces, i, length, variant,
                                                           tokens[i]):
                        continue
                    if length > best_len:
                        best_len, best_entries = length, (entry,)
                    elif length == best_len and entry not in best_entries:
                        best_entries = (*best_entries, entry)
            if best_len:
                found.append(Match(i, i + best_len, best_entries))
                i += best_len
            else:
                i += 1
        return found


def _same_caps(
    entry: Entry,
    surfaces: Sequence[str] | None,
    start: int,
    length: int,
    variant: str,
    token: str,
) -> bool:
    """Tell whether the written words at ``start`` have the capitals of an acronym label."""
    if surfaces is None or start + length > len(surfaces) or variant != token:
        return False
    written = [re.sub(r"\W", "", s) for s in surfaces[start : start + length]]
    return written == [re.sub(r"\W", "", w) for w in entry.label.split()]
