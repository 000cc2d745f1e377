"""Generate a deterministic synthetic world for benchmarks and load tests: the synth stage.

Layer: stage. Input: a quad budget, a seed and the IRIs of real countries (from the reference
data; they are referred to, never redefined). Output: an iterator of quads (rdflib terms, every
quad in a named graph) and an N-Quads writer. Imports: rdflib, govgraph.errors, govgraph.model
(and the standard library); it reads no file and builds no rdflib Graph, so that a million quads
take seconds rather than minutes.

Every generated instance lives under ``SYNTH`` (``https://w3id.org/govgraph/synth/id/``) and so
can never be mistaken for curated data. The output has the shape of real data:

* ``SYNTH["graph/reference"]``: synthetic organizations (``org:FormalOrganization`` with an
  org-type), their organs (``org:OrganizationalUnit``), posts, persons, indices, and the
  periods and instants of terms, each labelled in en, fr and ar. Entities that announcements
  mention for the first time (persons, national posts, periods) are written just before that
  announcement's graphs.
* per synthetic announcement ``<hex>`` (16 hex digits): the assertion graph
  ``SYNTH["graph/doc/synth/<hex>"]`` (the ``gg:Announcement`` and its facts, n-ary nodes and
  shortcuts) and ``.../prov`` (graph-level PROV, one ``oa:SpecificResource`` per sentence of
  the synthetic text, ``gg:evidence`` and ``gg:assertionKind`` on every fact node, and an
  ``rdf:Statement`` for every shortcut), as in MODEL.md section 6.

Facts are consistent across announcements: a session, election, membership or ranking is drawn
once (memoized) and every announcement that reports it writes the same triples, so the union
graph never holds two hosts for one session or two consecutive-term numbers for one membership.

Size: exactly ``triples`` quads (all distinct) for any budget of at least ``MIN_TRIPLES``.
Announcements are added while they fit, then one-ranking announcements, then single
``skos:altLabel`` quads on reference entities make up the last few quads.

Determinism: one ``random.Random(seed)``, no clock, no uuid, no hash(); blank nodes (the two
selectors of each evidence span) carry labels derived from the announcement id. The same
arguments give the same quads in the same order, hence the same bytes from ``write_nquads``.

>>> from govgraph.model.namespaces import ID
>>> countries = [ID["country/MA"], ID["country/KW"], ID["country/TN"]]
>>> quads = list(iter_synthetic_quads(400, 7, countries))
>>> len(quads), len(set(quads))
(400, 400)
>>> quads == list(iter_synthetic_quads(400, 7, countries))
True
>>> import io
>>> out = io.StringIO()
>>> write_nquads(quads, out)
400
>>> first = out.getvalue().splitlines()[0].split(" ")
>>> first[0], first[3]
('<https://w3id.org/govgraph/synth/id/org/so1>', '<https://w3id.org/govgraph/synth/id/graph/reference>')
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rdflib import BNode, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from govgraph.errors import ConfigError
from govgraph.model.namespaces import (
    CV,
    DCTERMS,
    GG,
    ID,
    LANG,
    OA,
    ORG,
    PERSON,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    SYNTH,
    TIME,
    XSD,
)

__all__ = ["MIN_TRIPLES", "Quad", "iter_synthetic_quads", "write_nquads"]

Quad = tuple[Node, Node, Node, URIRef]

MIN_TRIPLES = 100
"""The smallest budget that still yields a complete, valid world of exactly that size."""

LANGUAGES = ("ar", "fr", "en")
FIRST_YEAR = 1995
LAST_YEAR = 2030

# Terms are bound once: attribute access on rdflib namespaces builds a new URIRef each time,
# and reusing one object per term lets write_nquads cache its N-Quads form by identity.
A = RDF.type
REFERENCE = SYNTH["graph/reference"]
C_FORMAL_ORG, C_UNIT, C_POST, C_MEMBERSHIP = (
    ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.Post, ORG.Membership)
C_PERSON, C_PARTICIPATION = PERSON.Person, CV.Participation
C_INTERVAL, C_INSTANT = TIME.ProperInterval, TIME.Instant
C_INDEX, C_RANKING, C_RANK_CHANGE = GG.Index, GG.Ranking, GG.RankChange
C_SESSION, C_ELECTION, C_CANDIDACY = GG.AssemblySession, GG.Election, GG.Candidacy
C_OCCUPANCY, C_INITIATIVE, C_ANNOUNCEMENT = GG.Occupancy, GG.Initiative, GG.Announcement
C_ENTITY, C_ACTIVITY, C_STATEMENT = PROV.Entity, PROV.Activity, RDF.Statement
C_SPECIFIC, C_POSITION, C_QUOTE = (
    OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector)
P_PREF, P_ALT = SKOS.prefLabel, SKOS.altLabel
P_CLASSIFICATION, P_UNIT_OF, P_POST_IN, P_ROLE = (
    ORG.classification, ORG.unitOf, ORG.postIn, ORG.role)
P_MEMBER, P_ORGANIZATION, P_MEMBER_DURING, P_MEMBER_OF, P_HOLDS = (
    ORG.member, ORG.organization, ORG.memberDuring, ORG.memberOf, ORG.holds)
P_BEGINNING, P_END, P_GYEAR = TIME.hasBeginning, TIME.hasEnd, TIME.inXSDgYear
P_SESSION_OF, P_ORDINAL, P_HOSTED_BY = GG.sessionOf, GG.ordinal, GG.hostedBy
P_ORGANIZER, P_LOCATION, P_START_DATE, P_END_DATE = (
    SCHEMA.organizer, SCHEMA.location, SCHEMA.startDate, SCHEMA.endDate)
P_HAS_PARTICIPATION, P_PARTICIPANT, P_CV_ROLE, P_ON_BEHALF, P_IN_CAPACITY, P_ATTENDEE = (
    CV.hasParticipation, CV.hasParticipant, CV.role, GG.onBehalfOf, GG.inCapacityOf,
    SCHEMA.attendee)
P_SUPER_EVENT, P_ELECTS_TO, P_FOR_TERM = SCHEMA.superEvent, GG.electsTo, GG.forTerm
P_CANDIDATE, P_ELECTION, P_RANK_BY_VOTES, P_VOTES, P_OUTCOME = (
    GG.candidate, GG.election, GG.rankByVotes, GG.votesReceived, GG.outcome)
P_ELECTED_IN, P_CONSECUTIVE = GG.electedIn, GG.consecutiveTerm
P_HOLDER, P_POST = GG.holder, GG.post
P_LAUNCHED_BY, P_PARTNER, P_INITIATIVE_TYPE, P_FOUNDING = (
    GG.launchedBy, GG.partner, GG.initiativeType, SCHEMA.foundingDate)
# GG is a str subclass: GG.index would be str.index, hence the item syntax.
P_RANKED, P_INDEX, P_REF_PERIOD, P_RANK, P_OUT_OF, P_DELTA, P_REPORTED_IN = (
    GG.rankedEntity, GG["index"], GG.refPeriod, GG.rank, GG.outOf, GG.rankDelta, GG.reportedIn)
P_PUBLISHER, P_LANGUAGE, P_TITLE, P_ISSUED, P_SHA256, P_URL = (
    DCTERMS.publisher, DCTERMS.language, DCTERMS.title, DCTERMS.issued, GG.sha256, SCHEMA.url)
P_DERIVED, P_GENERATED = PROV.wasDerivedFrom, PROV.wasGeneratedBy
P_EVIDENCE, P_KIND = GG.evidence, GG.assertionKind
P_SOURCE, P_SELECTOR, P_START, P_END_OFFSET, P_EXACT = (
    OA.hasSource, OA.hasSelector, OA.start, OA.end, OA.exact)
P_SUBJECT, P_PREDICATE, P_OBJECT = RDF.subject, RDF.predicate, RDF.object


def _concept(scheme: str, key: str) -> URIRef:
    return ID[f"concept/{scheme}/{key}"]


ORG_TYPE = _concept("org-type", "intergovernmental-organization")
ORGAN_TYPE = _concept("org-type", "organ")
POST_ROLES = {key: _concept("role", key) for key in ("secretary-general", "director-general")}
ROLE_MINISTER = _concept("role", "minister")
ROLE_MEMBER_STATE = _concept("role", "member-state")
ROLE_REPRESENTATIVE = _concept("role", "country-representative")
OUTCOME_ELECTED = _concept("election-outcome", "elected")
OUTCOME_REELECTED = _concept("election-outcome", "re-elected")
OUTCOME_NOT_ELECTED = _concept("election-outcome", "not-elected")
INITIATIVE_TYPES = tuple(
    _concept("initiative-type", key) for key in ("centre", "network", "programme", "hub"))
EXPLICIT = _concept("assertion-kind", "explicit")
LANGUAGE_IRIS = {lang: LANG[lang] for lang in LANGUAGES}

# Names per language. Arabic text uses ASCII digits, as extractors normalize them.
ORG_NAMES = {"en": "Synthetic Organization {n}", "fr": "Organisation synthétique {n}",
             "ar": "المنظمة الاصطناعية {n}"}
ORGAN_NAMES = {
    "general-assembly": {"en": "General Assembly of Synthetic Organization {n}",
                         "fr": "Assemblée générale de l'Organisation synthétique {n}",
                         "ar": "الجمعية العامة للمنظمة الاصطناعية {n}"},
    "executive-committee": {"en": "Executive Committee of Synthetic Organization {n}",
                            "fr": "Comité exécutif de l'Organisation synthétique {n}",
                            "ar": "اللجنة التنفيذية للمنظمة الاصطناعية {n}"},
    "secretariat": {"en": "Secretariat of Synthetic Organization {n}",
                    "fr": "Secrétariat de l'Organisation synthétique {n}",
                    "ar": "الأمانة العامة للمنظمة الاصطناعية {n}"},
}
ORG_POST_NAMES = {
    "secretary-general": {"en": "Secretary-General of Synthetic Organization {n}",
                          "fr": "Secrétaire général de l'Organisation synthétique {n}",
                          "ar": "الأمين العام للمنظمة الاصطناعية {n}"},
    "director-general": {"en": "Director-General of Synthetic Organization {n}",
                         "fr": "Directeur général de l'Organisation synthétique {n}",
                         "ar": "المدير العام للمنظمة الاصطناعية {n}"},
}
NATIONAL_POST_NAMES = {"en": "Synthetic Minister for Digital Affairs of {n}",
                       "fr": "Ministre synthétique des Affaires numériques de {n}",
                       "ar": "الوزير الاصطناعي للشؤون الرقمية في {n}"}
PERSON_NAMES = {"en": "Synthetic Person {n}", "fr": "Personne synthétique {n}",
                "ar": "الشخص الاصطناعي {n}"}
INDEX_NAMES = {"en": "Synthetic Index {n}", "fr": "Indice synthétique {n}",
               "ar": "المؤشر الاصطناعي {n}"}
INITIATIVE_NAMES = {"en": "Synthetic Initiative {n}", "fr": "Initiative synthétique {n}",
                    "ar": "المبادرة الاصطناعية {n}"}
# Alternative labels, used to make up the last quads of the budget: (lang, pattern) in order.
ALT_NAMES = (("en", "{name} (alternative)"), ("fr", "{name} (variante)"),
             ("ar", "{name} (بديل)"), ("en", "{name}, synthetic"),
             ("fr", "{name}, synthétique"), ("ar", "{name}، اصطناعي"))

SENTENCES = {
    "session": {
        "en": "Session {k} of the {organ} was held in {cc} from {start} to {end}.",
        "fr": "La session {k} de l'{organ} s'est tenue en {cc} du {start} au {end}.",
        "ar": "انعقدت الدورة {k} لـ{organ} في {cc} من {start} إلى {end}.",
    },
    "participation": {
        "en": "{person}, {post}, represented {cc} at session {k}.",
        "fr": "{person}, {post}, a représenté {cc} à la session {k}.",
        "ar": "مثّل {person}، {post}، {cc} في الدورة {k}.",
    },
    "election": {
        "en": "At session {k}, the assembly elected the {organ} for {term}.",
        "fr": "Lors de la session {k}, l'assemblée a élu le {organ} pour {term}.",
        "ar": "انتخبت الجمعية خلال الدورة {k} أعضاء {organ} برسم {term}.",
    },
    "candidacy": {
        "en": "{cc} ranked {rank} with {votes} votes.",
        "fr": "{cc} s'est classé {rank} avec {votes} voix.",
        "ar": "حلّت {cc} في المرتبة {rank} بـ{votes} صوتا.",
    },
    "membership": {
        "en": "{cc} will sit on the {organ} for {term}, its consecutive term {n}.",
        "fr": "{cc} siégera au {organ} pour {term}, son mandat consécutif {n}.",
        "ar": "ستشغل {cc} مقعدا في {organ} برسم {term}، الولاية المتتالية {n}.",
    },
    "occupancy": {
        "en": "{person} took office as {post} on {date}.",
        "fr": "{person} a pris ses fonctions de {post} le {date}.",
        "ar": "تولى {person} منصب {post} في {date}.",
    },
    "initiative": {
        "en": "{cc} launched {initiative} with {org} on {date}.",
        "fr": "{cc} a lancé {initiative} avec {org} le {date}.",
        "ar": "أطلقت {cc} {initiative} بشراكة مع {org} في {date}.",
    },
    "ranking": {
        "en": "{cc} ranked {rank} of {out_of} in {index} {year}{delta}.",
        "fr": "{cc} s'est classé {rank} sur {out_of} dans {index} {year}{delta}.",
        "ar": "احتلت {cc} المرتبة {rank} من أصل {out_of} في {index} لسنة {year}{delta}.",
    },
}
DELTAS = {
    "en": (" (up {d} places)", " (down {d} places)", " (unchanged)"),
    "fr": (" (+{d} places)", " (-{d} places)", " (inchangé)"),
    "ar": (" (تقدم بـ{d} مراتب)", " (تراجع بـ{d} مراتب)", " (دون تغيير)"),
}
TITLES = {
    "session": {"en": "{organ}: session {k}", "fr": "{organ} : session {k}",
                "ar": "{organ}: الدورة {k}"},
    "election": {"en": "Election to the {organ}", "fr": "Élection au {organ}",
                 "ar": "انتخاب أعضاء {organ}"},
    "occupancy": {"en": "New {post}", "fr": "Nouveau {post}", "ar": "{post} الجديد"},
    "initiative": {"en": "Launch of {initiative}", "fr": "Lancement de {initiative}",
                   "ar": "إطلاق {initiative}"},
    "ranking": {"en": "{index} {year}", "fr": "{index} {year}", "ar": "{index} لسنة {year}"},
}
# Weights of the announcement kinds (per announcement, not per quad).
KINDS = ("election", "session", "ranking", "initiative", "occupancy")
KIND_WEIGHTS = (30, 20, 25, 15, 10)


@dataclass
class _Entity:
    """A reference-graph entity: its description quads and the alt labels that pad budgets."""

    iri: URIRef
    labels: dict[str, str]
    quads: list[Quad]
    alts: list[Quad] = field(default_factory=list)


@dataclass
class _Org:
    n: int
    entity: _Entity
    organs: dict[str, _Entity]
    posts: dict[str, _Entity]
    founded: int
    term_years: int
    seats: int
    slug: str


@dataclass
class _Session:
    org: _Org
    k: int
    year: int
    iri: URIRef
    host: URIRef
    start: str
    end: str


@dataclass
class _Election:
    session: _Session
    iri: URIRef
    period: str
    # (country, rank by votes, votes, consecutive term or 0 when not elected), in rank order
    results: list[tuple[URIRef, int, int, int]]


class _Doc:
    """One synthetic announcement being built: its graphs, text, evidence and new references."""

    def __init__(self, world: _World, hex_id: str, lang: str, publisher: _Entity) -> None:
        self.world = world
        self.hex_id = hex_id
        self.id8 = hex_id[:8]
        self.lang = lang
        self.publisher = publisher
        self.doc = SYNTH[f"doc/synth/{hex_id}"]
        self.graph = SYNTH[f"graph/doc/synth/{hex_id}"]
        self.prov = SYNTH[f"graph/doc/synth/{hex_id}/prov"]
        self.facts: list[Quad] = []
        self.provenance: list[Quad] = []
        self.references: list[Quad] = []
        self.new_entities: list[_Entity] = []
        self.described: set[object] = set()
        self.sentences: list[str] = []
        self.length = 0
        self.title = ""
        self.issued = ""

    def set_title(self, title: str) -> None:
        """Set the headline; it opens the synthetic text, followed by a line feed."""
        self.title = title
        self.length = len(title) + 1

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.facts.append((s, p, o, self.graph))

    def refer(self, entity: _Entity) -> URIRef:
        """Return the entity's IRI, writing its reference description if nobody has yet."""
        key = entity.iri
        if key not in self.world.emitted and key not in self.described:
            self.described.add(key)
            self.references.extend(entity.quads)
            self.new_entities.append(entity)
        return entity.iri

    def sentence(self, text: str) -> URIRef:
        """Append a sentence to the synthetic text; return its evidence resource.

        Offsets count code points from the start of the text (title and line feed included).
        """
        if self.sentences:
            self.length += 1  # the separating space
        start = self.length
        self.sentences.append(text)
        self.length += len(text)
        end = self.length
        evidence = SYNTH[f"evidence/synth-{self.id8}/{start}-{end}"]
        position = BNode(f"s{self.hex_id}p{start}")
        quote = BNode(f"s{self.hex_id}q{start}")
        w = self.world
        g = self.prov
        self.provenance += [
            (evidence, A, C_SPECIFIC, g),
            (evidence, P_SOURCE, self.doc, g),
            (evidence, P_SELECTOR, position, g),
            (evidence, P_SELECTOR, quote, g),
            (position, A, C_POSITION, g),
            (position, P_START, w.offset(start), g),
            (position, P_END_OFFSET, w.offset(end), g),
            (quote, A, C_QUOTE, g),
            (quote, P_EXACT, Literal(text), g),
        ]
        return evidence

    def fact(self, node: URIRef, evidence: URIRef) -> None:
        """Attach evidence and the assertion kind to an n-ary fact node."""
        g = self.prov
        self.provenance += [(node, P_EVIDENCE, evidence, g), (node, P_KIND, EXPLICIT, g)]

    def shortcut(self, s: URIRef, p: URIRef, o: URIRef, evidence: URIRef) -> None:
        """Write a binary shortcut in the assertion graph and its rdf:Statement in /prov."""
        self.add(s, p, o)
        digest = hashlib.sha1(f"{s.n3()} {p.n3()} {o.n3()} .".encode()).hexdigest()[:12]
        node = SYNTH[f"fact/synth-{self.id8}/{digest}"]
        g = self.prov
        self.provenance += [
            (node, A, C_STATEMENT, g),
            (node, P_SUBJECT, s, g),
            (node, P_PREDICATE, p, g),
            (node, P_OBJECT, o, g),
            (node, P_EVIDENCE, evidence, g),
            (node, P_KIND, EXPLICIT, g),
        ]

    def finish(self) -> list[Quad]:
        """Write the announcement's own description and graph-level PROV; return all quads."""
        w = self.world
        text = self.title + "\n" + " ".join(self.sentences)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        d, g, p = self.doc, self.graph, self.prov
        head = [
            (d, A, C_ANNOUNCEMENT, g),
            (d, P_PUBLISHER, self.refer(self.publisher), g),
            (d, P_LANGUAGE, LANGUAGE_IRIS[self.lang], g),
            (d, P_TITLE, Literal(self.title, lang=self.lang), g),
            (d, P_ISSUED, w.date(self.issued), g),
            (d, P_SHA256, Literal(digest), g),
            (d, P_URL, SYNTH[f"doc/synth/{self.hex_id}.html"], g),
        ]
        tail = [
            (g, A, C_ENTITY, p),
            (g, P_DERIVED, d, p),
            (g, P_GENERATED, w.run, p),
            (w.run, A, C_ACTIVITY, p),
        ]
        return self.references + head + self.facts + tail + self.provenance


class _World:
    """The synthetic world: memoized facts, so that every report of a fact agrees."""

    def __init__(self, triples: int, seed: int, countries: Sequence[URIRef]) -> None:
        self.rng = random.Random(seed)
        self.triples = triples
        self.countries = sorted(set(countries))
        self.codes = {c: str(c).rsplit("/", 1)[1] for c in self.countries}
        self.run = SYNTH[f"run/synth/seed-{seed}"]
        self.emitted: set[URIRef] = set()
        self.entities: list[_Entity] = []
        self.hex_ids: set[str] = set()
        self._numbers: dict[tuple[int, URIRef], Literal] = {}
        self._dates: dict[str, Literal] = {}
        self._years: dict[int, Literal] = {}
        self.periods: dict[str, _Entity] = {}
        self.instants: dict[int, _Entity] = {}
        self.sessions: dict[tuple[int, int], _Session] = {}
        self.elections: dict[tuple[int, int], _Election] = {}
        self.persons: list[_Entity] = []
        self.ministers: dict[tuple[URIRef, int], _Entity] = {}
        self.national_posts: dict[URIRef, _Entity] = {}
        self.holders: dict[tuple[int, str, int], tuple[_Entity, str]] = {}
        self.initiatives: list[tuple[URIRef, dict[str, str], URIRef, _Org, URIRef, str]] = []
        self.ranks: dict[tuple[int, int], dict[URIRef, int]] = {}
        n_orgs = 1 if triples < 1000 else max(2, triples // 50_000)
        n_indices = max(2, triples // 250_000)
        self.orgs = [self._make_org(n) for n in range(1, n_orgs + 1)]
        self.indices = [self._make_index(n) for n in range(1, n_indices + 1)]
        self.index_first_year = {
            n: self.rng.randint(2010, 2020) for n in range(1, n_indices + 1)}

    # -- literals (cached: rdflib parses typed lexical forms on construction) --

    def number(self, value: int, datatype: URIRef = XSD.integer) -> Literal:
        """A cached integer literal of the given xsd integer type."""
        key = (value, datatype)
        lit = self._numbers.get(key)
        if lit is None:
            lit = self._numbers[key] = Literal(str(value), datatype=datatype)
        return lit

    def positive(self, value: int) -> Literal:
        return self.number(value, XSD.integer)

    def offset(self, value: int) -> Literal:
        return self.number(value, XSD.integer)

    def date(self, value: str) -> Literal:
        lit = self._dates.get(value)
        if lit is None:
            lit = self._dates[value] = Literal(value, datatype=XSD.date)
        return lit

    def year(self, value: int) -> Literal:
        lit = self._years.get(value)
        if lit is None:
            lit = self._years[value] = Literal(f"{value:04d}", datatype=XSD.gYear)
        return lit

    # -- reference entities --

    def _entity(self, iri: URIRef, cls: URIRef, names: dict[str, str], n: object,
                extra: Iterable[tuple[Node, Node]] = ()) -> _Entity:
        labels = {lang: names[lang].format(n=n) for lang in LANGUAGES}
        g = REFERENCE
        quads: list[Quad] = [(iri, A, cls, g)]
        quads += [(iri, p, o, g) for p, o in extra]
        quads += [(iri, P_PREF, Literal(labels[lang], lang=lang), g) for lang in LANGUAGES]
        alts: list[Quad] = [
            (iri, P_ALT, Literal(pattern.format(name=labels[lang]), lang=lang), g)
            for lang, pattern in ALT_NAMES
        ]
        return _Entity(iri, labels, quads, alts)

    def _make_org(self, n: int) -> _Org:
        slug = f"so{n}"
        iri = SYNTH[f"org/{slug}"]
        entity = self._entity(iri, C_FORMAL_ORG, ORG_NAMES, n, [(P_CLASSIFICATION, ORG_TYPE)])
        organs = {
            key: self._entity(SYNTH[f"org/{slug}/{key}"], C_UNIT, names, n,
                              [(P_UNIT_OF, iri), (P_CLASSIFICATION, ORGAN_TYPE)])
            for key, names in ORGAN_NAMES.items()
        }
        posts = {
            key: self._entity(SYNTH[f"post/{slug}/{key}"], C_POST, names, n,
                              [(P_POST_IN, iri), (P_ROLE, POST_ROLES[key])])
            for key, names in ORG_POST_NAMES.items()
        }
        rng = self.rng
        return _Org(n, entity, organs, posts, founded=rng.randint(FIRST_YEAR, 2012),
                    term_years=rng.choice((1, 1, 2, 4)), seats=rng.randint(2, 5), slug=slug)

    def _make_index(self, n: int) -> _Entity:
        return self._entity(SYNTH[f"index/synthetic-index-{n}"], C_INDEX, INDEX_NAMES, n)

    def core(self) -> list[_Entity]:
        """The reference entities written before any announcement."""
        found = []
        for org in self.orgs:
            found += [org.entity, *org.organs.values(), *org.posts.values()]
        return found + self.indices

    def instant(self, year: int) -> _Entity:
        entity = self.instants.get(year)
        if entity is None:
            iri = SYNTH[f"instant/{year}"]
            quads: list[Quad] = [(iri, A, C_INSTANT, REFERENCE),
                                 (iri, P_GYEAR, self.year(year), REFERENCE)]
            entity = self.instants[year] = _Entity(iri, {}, quads)
        return entity

    def period(self, first: int, last: int) -> tuple[_Entity, list[_Entity], str]:
        """Return a term period, the instants it needs, and its key (``2026``, ``2027-2030``)."""
        key = str(first) if first == last else f"{first}-{last}"
        entity = self.periods.get(key)
        begin, end = self.instant(first), self.instant(last)
        if entity is None:
            iri = SYNTH[f"period/{key}"]
            quads: list[Quad] = [(iri, A, C_INTERVAL, REFERENCE),
                                 (iri, P_BEGINNING, begin.iri, REFERENCE),
                                 (iri, P_END, end.iri, REFERENCE)]
            entity = self.periods[key] = _Entity(iri, {}, quads)
        return entity, [begin, end], key

    def new_person(self) -> _Entity:
        n = len(self.persons) + 1
        person = self._entity(SYNTH[f"person/synthetic-person-{n}"], C_PERSON, PERSON_NAMES, n)
        self.persons.append(person)
        return person

    def national_post(self, country: URIRef) -> _Entity:
        post = self.national_posts.get(country)
        if post is None:
            code = self.codes[country]
            post = self._entity(SYNTH[f"post/{code.lower()}/synthetic-digital-minister"],
                                C_POST, NATIONAL_POST_NAMES, code,
                                [(P_POST_IN, country), (P_ROLE, ROLE_MINISTER)])
            self.national_posts[country] = post
        return post

    def minister(self, country: URIRef, year: int) -> _Entity:
        """The person holding the country's digital post in a year (a new one every 4 years)."""
        key = (country, year // 4)
        person = self.ministers.get(key)
        if person is None:
            person = self.ministers[key] = self.new_person()
        return person

    # -- world facts --

    def session(self, org: _Org, k: int) -> _Session:
        session = self.sessions.get((org.n, k))
        if session is None:
            rng = self.rng
            year = org.founded + k - 1
            month, day = rng.randint(1, 12), rng.randint(1, 25)
            iri = SYNTH[f"event/{org.slug}/general-assembly/{k}"]
            session = _Session(org, k, year, iri, rng.choice(self.countries),
                               f"{year:04d}-{month:02d}-{day:02d}",
                               f"{year:04d}-{month:02d}-{day + rng.randint(1, 3):02d}")
            self.sessions[(org.n, k)] = session
        return session

    def sessions_of(self, org: _Org) -> int:
        return LAST_YEAR - org.founded + 1

    def election(self, org: _Org, k: int) -> _Election:
        """The election at session k (k - 1 a multiple of the term length), drawn once."""
        election = self.elections.get((org.n, k))
        if election is not None:
            return election
        previous: dict[URIRef, int] = {}
        if k > org.term_years:
            before = self.election(org, k - org.term_years)
            previous = {c: term for c, _rank, _votes, term in before.results if term}
        session = self.session(org, k)
        rng = self.rng
        seats = min(org.seats, len(self.countries))
        n_candidates = min(len(self.countries), seats + rng.randint(0, 3))
        # Incumbents stand again more often than not, as they do in real elections.
        incumbents = [c for c in previous if rng.random() < 0.7][:n_candidates]
        others = [c for c in self.countries if c not in incumbents]
        candidates = incumbents + rng.sample(others, n_candidates - len(incumbents))
        rng.shuffle(candidates)
        votes = sorted((rng.randint(5, 120) for _ in candidates), reverse=True)
        results = []
        for rank, (country, count) in enumerate(zip(candidates, votes, strict=True), start=1):
            term = previous.get(country, 0) + 1 if rank <= seats else 0
            results.append((country, rank, count, term))
        iri = SYNTH[f"event/{org.slug}/general-assembly/{k}/election/executive-committee"]
        first = session.year + 1
        _entity, _instants, period = self.period(first, first + org.term_years - 1)
        election = self.elections[(org.n, k)] = _Election(session, iri, period, results)
        return election

    def rank_table(self, index: int, year: int) -> dict[URIRef, int]:
        table = self.ranks.get((index, year))
        if table is None:
            order = list(self.countries)
            self.rng.shuffle(order)
            table = self.ranks[(index, year)] = {c: r for r, c in enumerate(order, start=1)}
        return table

    # -- announcements --

    def new_doc(self, lang: str, publisher: _Entity, issued: str) -> _Doc:
        while True:
            hex_id = f"{self.rng.getrandbits(64):016x}"
            if hex_id[:8] not in self.hex_ids:  # evidence and fact IRIs use the first 8
                self.hex_ids.add(hex_id[:8])
                break
        doc = _Doc(self, hex_id, lang, publisher)
        doc.issued = issued
        return doc

    def language(self) -> str:
        return self.rng.choice(LANGUAGES)

    def later(self, date: str, days: int = 20) -> str:
        """A date up to ``days`` days after ``date`` in the same year (months of 28 days)."""
        year, month, day = (int(part) for part in date.split("-"))
        day += self.rng.randint(0, days)
        while day > 28:
            day -= 28
            month += 1
        if month > 12:
            month, day = 12, 28
        return f"{year:04d}-{month:02d}-{day:02d}"

    def describe_session(self, doc: _Doc, session: _Session) -> tuple[URIRef, str]:
        """Write the session node once per announcement; return its IRI and organ name."""
        org = session.org
        organ = org.organs["general-assembly"]
        name = organ.labels[doc.lang]
        if session.iri in doc.described:
            return session.iri, name
        doc.described.add(session.iri)
        s = session.iri
        doc.add(s, A, C_SESSION)
        doc.add(s, P_SESSION_OF, doc.refer(organ))
        doc.add(s, P_ORDINAL, self.positive(session.k))
        doc.add(s, P_ORGANIZER, doc.refer(org.entity))
        doc.add(s, P_HOSTED_BY, session.host)
        doc.add(s, P_LOCATION, session.host)
        doc.add(s, P_START_DATE, self.date(session.start))
        doc.add(s, P_END_DATE, self.date(session.end))
        return s, name

    def announce_session(self) -> _Doc:
        rng = self.rng
        org = rng.choice(self.orgs)
        session = self.session(org, rng.randint(1, self.sessions_of(org)))
        doc = self.new_doc(self.language(), org.entity, self.later(session.end))
        lang = doc.lang
        s, organ = self.describe_session(doc, session)
        doc.set_title(TITLES["session"][lang].format(organ=organ, k=session.k))
        evidence = doc.sentence(SENTENCES["session"][lang].format(
            k=session.k, organ=organ, cc=self.codes[session.host], start=session.start,
            end=session.end))
        doc.fact(s, evidence)
        n = min(len(self.countries), rng.randint(1, 4))
        for country in rng.sample(self.countries, n):
            person = self.minister(country, session.year)
            post = self.national_post(country)
            key = person.iri.rsplit("/", 1)[1]
            part = SYNTH[f"participation/{org.slug}-ga-{session.k}/{key}"]
            doc.add(s, P_HAS_PARTICIPATION, part)
            doc.add(part, A, C_PARTICIPATION)
            doc.add(part, P_PARTICIPANT, doc.refer(person))
            doc.add(part, P_CV_ROLE, ROLE_REPRESENTATIVE)
            doc.add(part, P_ON_BEHALF, country)
            doc.add(part, P_IN_CAPACITY, doc.refer(post))
            evidence = doc.sentence(SENTENCES["participation"][lang].format(
                person=person.labels[lang], post=post.labels[lang], cc=self.codes[country],
                k=session.k))
            doc.fact(part, evidence)
            doc.shortcut(s, P_ATTENDEE, person.iri, evidence)
            doc.shortcut(person.iri, P_HOLDS, post.iri, evidence)
        return doc

    def announce_election(self) -> _Doc:
        rng = self.rng
        org = rng.choice(self.orgs)
        k = 1 + org.term_years * rng.randrange(
            (self.sessions_of(org) + org.term_years - 1) // org.term_years)
        election = self.election(org, k)
        session = election.session
        period, instants, term = self.period(*_years_of(election.period))
        # Half of the reports give the full results, half one country's own result.
        results = election.results
        if rng.random() < 0.5:
            results = [rng.choice(results)]
        doc = self.new_doc(self.language(), org.entity, self.later(session.end))
        lang = doc.lang
        ec = org.organs["executive-committee"]
        organ = ec.labels[lang]
        doc.set_title(TITLES["election"][lang].format(organ=organ))
        s, _name = self.describe_session(doc, session)
        e = election.iri
        for instant in instants:
            doc.refer(instant)
        doc.add(e, A, C_ELECTION)
        doc.add(e, P_SUPER_EVENT, s)
        doc.add(e, P_ELECTS_TO, doc.refer(ec))
        doc.add(e, P_FOR_TERM, doc.refer(period))
        evidence = doc.sentence(SENTENCES["election"][lang].format(
            k=session.k, organ=organ, term=term))
        doc.fact(e, evidence)
        doc.fact(s, evidence)
        for country, rank, votes, consecutive in results:
            code = self.codes[country]
            cand = SYNTH[f"candidacy/{org.slug}-ga-{session.k}-executive-committee/{code}"]
            doc.add(cand, A, C_CANDIDACY)
            doc.add(cand, P_CANDIDATE, country)
            doc.add(cand, P_ELECTION, e)
            doc.add(cand, P_RANK_BY_VOTES, self.positive(rank))
            doc.add(cand, P_VOTES, self.number(votes, XSD.integer))
            outcome = (OUTCOME_NOT_ELECTED if not consecutive
                       else OUTCOME_REELECTED if consecutive > 1 else OUTCOME_ELECTED)
            doc.add(cand, P_OUTCOME, outcome)
            evidence = doc.sentence(SENTENCES["candidacy"][lang].format(
                cc=code, rank=rank, votes=votes))
            doc.fact(cand, evidence)
            if not consecutive:
                continue
            m = SYNTH[f"membership/{org.slug}-executive-committee/{code}/{term}"]
            doc.add(m, A, C_MEMBERSHIP)
            doc.add(m, P_MEMBER, country)
            doc.add(m, P_ORGANIZATION, ec.iri)
            doc.add(m, P_ROLE, ROLE_MEMBER_STATE)
            doc.add(m, P_MEMBER_DURING, period.iri)
            doc.add(m, P_ELECTED_IN, e)
            doc.add(m, P_CONSECUTIVE, self.positive(consecutive))
            evidence = doc.sentence(SENTENCES["membership"][lang].format(
                cc=code, organ=organ, term=term, n=consecutive))
            doc.fact(m, evidence)
            doc.shortcut(country, P_MEMBER_OF, ec.iri, evidence)
        return doc

    def announce_occupancy(self) -> _Doc:
        rng = self.rng
        org = rng.choice(self.orgs)
        post_key = rng.choice(tuple(org.posts))
        post = org.posts[post_key]
        year = rng.randint(org.founded, LAST_YEAR)
        block = (year - org.founded) // 5  # a five-year mandate
        holder = self.holders.get((org.n, post_key, block))
        if holder is None:
            start = f"{org.founded + 5 * block:04d}-{rng.randint(1, 12):02d}-01"
            holder = self.holders[(org.n, post_key, block)] = (self.new_person(), start)
        person, start = holder
        doc = self.new_doc(self.language(), org.entity, self.later(start))
        lang = doc.lang
        doc.set_title(TITLES["occupancy"][lang].format(post=post.labels[lang]))
        key = person.iri.rsplit("/", 1)[1]
        occ = SYNTH[f"occupancy/{org.slug}-{post_key}/{key}"]
        doc.add(occ, A, C_OCCUPANCY)
        doc.add(occ, P_HOLDER, doc.refer(person))
        doc.add(occ, P_POST, doc.refer(post))
        doc.add(occ, P_START_DATE, self.date(start))
        evidence = doc.sentence(SENTENCES["occupancy"][lang].format(
            person=person.labels[lang], post=post.labels[lang], date=start))
        doc.fact(occ, evidence)
        doc.shortcut(person.iri, P_HOLDS, post.iri, evidence)
        return doc

    def announce_initiative(self) -> _Doc:
        rng = self.rng
        if self.initiatives and rng.random() < 0.3:  # a later report of a known initiative
            record = rng.choice(self.initiatives)
        else:
            n = len(self.initiatives) + 1
            country = rng.choice(self.countries)
            iri = SYNTH[f"initiative/{self.codes[country].lower()}/synthetic-initiative-{n}"]
            labels = {lang: INITIATIVE_NAMES[lang].format(n=n) for lang in LANGUAGES}
            date = f"{rng.randint(2015, LAST_YEAR):04d}-{rng.randint(1, 12):02d}-01"
            record = (iri, labels, country, rng.choice(self.orgs), rng.choice(INITIATIVE_TYPES),
                      date)
            self.initiatives.append(record)
        iri, labels, country, org, kind, date = record
        doc = self.new_doc(self.language(), org.entity, self.later(date))
        lang = doc.lang
        doc.set_title(TITLES["initiative"][lang].format(initiative=labels[lang]))
        doc.add(iri, A, C_INITIATIVE)
        doc.add(iri, P_INITIATIVE_TYPE, kind)
        for label_lang in LANGUAGES:
            doc.add(iri, P_PREF, Literal(labels[label_lang], lang=label_lang))
        doc.add(iri, P_LAUNCHED_BY, country)
        doc.add(iri, P_PARTNER, doc.refer(org.entity))
        doc.add(iri, P_FOUNDING, self.date(date))
        evidence = doc.sentence(SENTENCES["initiative"][lang].format(
            cc=self.codes[country], initiative=labels[lang], org=org.entity.labels[lang],
            date=date))
        doc.fact(iri, evidence)
        return doc

    def announce_ranking(self, n_countries: int | None = None) -> _Doc:
        rng = self.rng
        index_n = rng.randint(1, len(self.indices))
        index = self.indices[index_n - 1]
        first_year = self.index_first_year[index_n]
        year = rng.randint(first_year, LAST_YEAR)
        table = self.rank_table(index_n, year)
        previous = self.rank_table(index_n, year - 1) if year > first_year else None
        if n_countries is None:
            n_countries = rng.randint(1, 6)
        chosen = rng.sample(self.countries, min(n_countries, len(self.countries)))
        publisher = self.orgs[(index_n - 1) % len(self.orgs)].entity
        doc = self.new_doc(self.language(), publisher, f"{year + 1:04d}-{rng.randint(1, 6):02d}-15")
        lang = doc.lang
        name = index.labels[lang]
        doc.set_title(TITLES["ranking"][lang].format(index=name, year=year))
        index_key = index.iri.rsplit("/", 1)[1]
        out_of = len(self.countries)
        for country in chosen:
            code = self.codes[country]
            rank = table[country]
            if previous is None:
                node = SYNTH[f"ranking/{index_key}/{code}/{year}"]
                doc.add(node, A, C_RANKING)
                delta_text = ""
            else:
                node = SYNTH[f"rank-change/{index_key}/{code}/{year}"]
                delta = previous[country] - rank
                doc.add(node, A, C_RANK_CHANGE)
                doc.add(node, P_DELTA, self.number(delta))
                up, down, same = DELTAS[lang]
                delta_text = (up if delta > 0 else down if delta < 0 else same).format(
                    d=abs(delta))
            doc.add(node, P_RANKED, country)
            doc.add(node, P_INDEX, doc.refer(index))
            doc.add(node, P_REF_PERIOD, self.year(year))
            doc.add(node, P_RANK, self.positive(rank))
            doc.add(node, P_OUT_OF, self.positive(out_of))
            doc.add(node, P_REPORTED_IN, doc.doc)
            evidence = doc.sentence(SENTENCES["ranking"][lang].format(
                cc=code, rank=rank, out_of=out_of, index=name, year=year, delta=delta_text))
            doc.fact(node, evidence)
        return doc

    def commit(self, doc: _Doc) -> None:
        for entity in doc.new_entities:
            self.emitted.add(entity.iri)
            self.entities.append(entity)

    def iter_quads(self) -> Iterator[Quad]:
        budget = self.triples
        count = 0
        for entity in self.core():
            self.emitted.add(entity.iri)
            self.entities.append(entity)
            count += len(entity.quads)
            yield from entity.quads
        builders = {
            "election": self.announce_election,
            "session": self.announce_session,
            "ranking": self.announce_ranking,
            "initiative": self.announce_initiative,
            "occupancy": self.announce_occupancy,
        }
        # Whole announcements while they fit, then one-ranking announcements (about 30
        # quads), then alternative labels, one quad each.
        while True:
            kind = self.rng.choices(KINDS, KIND_WEIGHTS)[0]
            doc = builders[kind]()
            quads = doc.finish()
            if count + len(quads) > budget:
                break
            self.commit(doc)
            count += len(quads)
            yield from quads
        while True:
            doc = self.announce_ranking(1)
            quads = doc.finish()
            if count + len(quads) > budget:
                break
            self.commit(doc)
            count += len(quads)
            yield from quads
        pads = (alt for i in range(len(ALT_NAMES)) for entity in self.entities if entity.alts
                for alt in entity.alts[i:i + 1])
        for quad in pads:
            if count >= budget:
                break
            count += 1
            yield quad


def _years_of(period: str) -> tuple[int, int]:
    first, _sep, last = period.partition("-")
    return int(first), int(last or first)


def iter_synthetic_quads(
    triples: int, seed: int, countries: Sequence[URIRef]
) -> Iterator[Quad]:
    """Generate a synthetic world of exactly ``triples`` quads (see the module docstring).

    Args:
        triples: the number of quads wanted, at least ``MIN_TRIPLES``.
        seed: the seed of the one random generator; the same arguments give the same output.
        countries: IRIs of real countries (``ID["country/MA"]``...), as in the reference data;
            their order does not matter. They are referred to and never described.

    Returns:
        An iterator of ``(subject, predicate, object, graph)`` rdflib terms, every quad in a
        named graph and no quad twice.

    Raises:
        ConfigError: the budget is below ``MIN_TRIPLES``, or no country (or a non-country IRI)
            is given. Raised at the call, not at the first ``next()``.
    """
    if triples < MIN_TRIPLES:
        raise ConfigError(
            f"synth: triples: {triples!r} is too few for a complete synthetic world; "
            f"ask for at least {MIN_TRIPLES}"
        )
    if not countries:
        raise ConfigError("synth: countries: none given; pass the IRIs of the reference countries")
    prefix = str(ID["country/"])
    for country in countries:
        if not isinstance(country, URIRef) or not str(country).startswith(prefix):
            raise ConfigError(
                f"synth: countries: {str(country)[:80]!r} is not a country IRI; "
                f"expected {prefix}XX"
            )
    return _World(triples, seed, countries).iter_quads()


_CACHE_LIMIT = 100_000
_FLUSH_EVERY = 8192


def _n3(term: Node) -> str:
    # Literal.n3() switches to Turtle's triple quotes for text with a line feed, which N-Quads
    # does not allow; rdflib's own N-Triples/N-Quads serializer escapes it instead.
    if isinstance(term, Literal) and "\n" in term:
        return _quoteLiteral(term)
    return term.n3()


def write_nquads(quads: Iterable[Quad], stream: TextIO) -> int:
    """Write quads as N-Quads, one line each, in the order given; return how many.

    Terms are serialized by rdflib (``term.n3()``; literals with a line feed through rdflib's
    N-Triples literal writer). The output is UTF-8 text, not ASCII-escaped.

    Args:
        quads: ``(subject, predicate, object, graph)`` rdflib terms; the graph must be named.
        stream: a *text* stream opened with ``encoding="utf-8"`` (and ``newline="\\n"`` for
            the same bytes on every platform), e.g. ``open(path, "w", encoding="utf-8",
            newline="\\n")`` or, for standard output,
            ``io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\\n")``.

    Returns:
        The number of quads written.
    """
    # Terms repeat (predicates, classes, graph names, the subject of a node's triples): their
    # N-Quads form is cached by object identity, which is much cheaper than rdflib's hash of a
    # term. ``alive`` holds every cached object, so no id is reused while its entry exists.
    cache: dict[int, str] = {}
    alive: list[Node] = []
    get = cache.get

    def remember(term: Node) -> str:
        if len(alive) >= _CACHE_LIMIT:
            cache.clear()
            alive.clear()
        text = cache[id(term)] = _n3(term)
        alive.append(term)
        return text

    lines: list[str] = []
    count = 0
    for s, p, o, g in quads:
        s_text = get(id(s)) or remember(s)
        p_text = get(id(p)) or remember(p)
        o_text = get(id(o)) or remember(o)
        g_text = get(id(g)) or remember(g)
        lines.append(f"{s_text} {p_text} {o_text} {g_text} .\n")
        count += 1
        if len(lines) >= _FLUSH_EVERY:
            stream.write("".join(lines))
            lines.clear()
    if lines:
        stream.write("".join(lines))
    return count
