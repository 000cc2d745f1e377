"""Records -> triples: the only module that turns an Announcement into RDF.

Layer: model. Input: an ``Announcement`` and the ``ReferenceIndex`` of the entities the
reference data defines. Output: the announcement's assertion graph and provenance graph
(docs/decisions/0001-model.md, docs/records.md). Every reference is resolved here; an unknown
one is a SourceError naming the file, line and field, and all such problems are reported at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from govgraph import __version__
from govgraph.errors import GovgraphError, Location, SourceError, cut
from govgraph.model.ids import mint_iri, period_iri, short_hash
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
    TIME,
    XSD,
)
from govgraph.model.records import Announcement, Evidence, Fact
from govgraph.model.text import search_key, slugify

CONCEPT_FIELDS = {
    "outcome": "election-outcome",
    "role": "role",
    "initiative_type": "initiative-type",
    "agreement_type": "agreement-type",
    "rank_scope": "electoral-group",
    "topics": "topic",
    "components": "component",
    "audience": "audience",
    "genre": "genre",
}
ENTITY_KINDS = {"country", "org", "person", "post", "event", "initiative", "framework",
                "platform", "index", "agreement"}
PROPERTIES = {
    "gg:partner": GG.partner, "gg:hasCore": GG.hasCore, "gg:partOfFramework": GG.partOfFramework,
    "gg:launchedBy": GG.launchedBy, "gg:reliesOn": GG.reliesOn, "gg:hostedBy": GG.hostedBy,
    "schema:about": SCHEMA.about, "schema:description": SCHEMA.description,
    "schema:areaServed": SCHEMA.areaServed, "schema:hasPart": SCHEMA.hasPart,
    "schema:audience": SCHEMA.audience, "schema:abstract": SCHEMA.abstract,
    "schema:organizer": SCHEMA.organizer, "schema:location": SCHEMA.location,
    "org:unitOf": ORG.unitOf, "org:postIn": ORG.postIn, "org:role": ORG.role,
}
NARY_TYPES = {"candidacy", "membership", "representation", "claim", "ranking"}
LOADER_RUN = mint_iri("run", "loader-" + __version__.replace(".", "-"))


@dataclass
class ReferenceIndex:
    """What the reference data defines: IRIs that exist, and persons by every known label."""

    iris: set[URIRef] = field(default_factory=set)
    person_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> ReferenceIndex:
        """Index a graph of reference data and concept schemes."""
        index = cls({s for s in graph.subjects() if isinstance(s, URIRef)})
        prefix = str(ID) + "person/"
        for subject in index.iris:
            if str(subject).startswith(prefix):
                key = str(subject)[len(prefix):]
                for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                    for label in graph.objects(subject, predicate):
                        index.person_keys[search_key(str(label))] = key
        return index


def date_literal(value: str) -> Literal:
    """Return a date literal of the precision written: xsd:date, xsd:gYearMonth or xsd:gYear.

    >>> date_literal("2026-02")
    rdflib.term.Literal('2026-02', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
    """
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


def typed_integer(value: object, datatype: URIRef = XSD.integer) -> Literal:
    """Return an integer literal of the given XSD integer type (shapes check the subtype)."""
    return Literal(str(int(str(value))), datatype=datatype)


class Mapper:
    """Maps one announcement; collects every problem before raising."""

    def __init__(self, announcement: Announcement, reference: ReferenceIndex) -> None:
        self.a = announcement
        self.ref = reference
        self.doc_key = f"{announcement.publisher.replace('/', '-')}/{announcement.id}"
        self.short_key = f"{announcement.publisher.replace('/', '-')}-{announcement.id[:8]}"
        self.doc = mint_iri("doc", self.doc_key)
        self.graph_iri = mint_iri("graph", "doc", self.doc_key)
        self.prov_iri = URIRef(str(self.graph_iri) + "/prov")
        self.assertions = Graph(identifier=self.graph_iri)
        self.prov = Graph(identifier=self.prov_iri)
        self.problems: list[str] = []
        self.counters: dict[str, int] = defaultdict(int)
        self.fact_nodes: dict[str, URIRef] = {}
        self.people = {p.key: p for p in announcement.people}
        self.field_path = ""
        self.extra_fact_nodes: list[URIRef] = []
        self.kind = "explicit"
        self.current: dict | None = None

    # --- problems and references -------------------------------------------------------------

    def problem(self, message: str, value: str | None = None) -> None:
        """Record a problem at the current fact, at the field holding ``value`` if found."""
        path = self.field_path
        if value is not None and self.current is not None:
            path = next(
                (f"{path}/{name}" for name, held in self.current.items()
                 if _holds(held, value)),
                path,
            )
        location = Location(self.a.path, line=self.a.line_of(path), field=path or None)
        self.problems.append(f"{location}: {message}")

    def known(self, iri: URIRef, what: str, key: str, where: str) -> URIRef:
        if iri not in self.ref.iris:
            self.problem(f"unknown {what} {cut(key)}; add it to {where} or fix the key", key)
        return iri

    def country(self, code: str) -> URIRef:
        return self.known(mint_iri("country", code), "country", code, "data/reference (ISO 3166)")

    def org(self, key: str) -> URIRef:
        return self.known(self._mint("org", key), "organization", key,
                          "data/reference/organizations.ttl")

    def post(self, key: str) -> URIRef:
        return self.known(self._mint("post", key), "post", key, "data/reference/organizations.ttl")

    def person(self, key: str) -> URIRef:
        if key in self.people:
            entry = self.people[key]
            for name in [*entry.names.values(), *entry.aliases]:
                known = self.ref.person_keys.get(search_key(name))
                if known:
                    return mint_iri("person", known)
            return self._mint("person", key)
        iri = self._mint("person", key)
        if iri not in self.ref.iris:
            self.problem(f"unknown person {cut(key)}; list it under people: or in "
                         "data/reference/people.ttl")
        return iri

    def agent(self, value: str) -> URIRef:
        if value.startswith("person:"):
            return self.person(value.removeprefix("person:"))
        if len(value) == 2 and value.isupper():
            return self.country(value)
        return self.org(value)

    def concept(self, scheme: str, key: str) -> URIRef:
        iri = self._mint("concept", f"{scheme}/{key}")
        return self.known(iri, f"{scheme} concept", key, f"ontology/schemes/{scheme}.ttl")

    def _mint(self, kind: str, key: str) -> URIRef:
        try:
            return mint_iri(kind, key)
        except GovgraphError as exc:  # an unusable key: report it and keep going
            self.problem(str(exc))
            return mint_iri(kind, "invalid")

    def session(self, key: str) -> URIRef:
        organ, _, ordinal = key.rpartition("/")
        if not ordinal.isdigit():
            self.problem(f"session {cut(key)} must be '<organ key>/<ordinal>', like "
                         "'dco/general-assembly/5'")
        self.org(organ)
        return self._mint("event", key)

    def reference(self, value: object) -> Node:
        """Resolve a typed reference (``country:MA``, ``#id``, ``topic:x``) or a text value."""
        if isinstance(value, dict):
            return Literal(str(value["text"]), lang=str(value.get("lang", self.a.language)))
        text = str(value)
        if text.startswith("#"):
            node = self.fact_nodes.get(text[1:])
            if node is None:
                self.problem(f"no fact has id {cut(text[1:])}; facts can only refer to earlier "
                             "facts of the same record", text)
                return mint_iri("fact", "missing")
            return node
        kind, _, key = text.partition(":")
        if kind in ENTITY_KINDS:
            return {
                "country": self.country, "org": self.org, "person": self.person,
                "post": self.post, "event": self.session,
            }.get(kind, lambda k: self._mint(kind, k))(key)
        return self.concept(kind, key)

    def numbered(self, kind: str) -> URIRef:
        self.counters[kind] += 1
        return mint_iri(kind, f"{self.short_key}-{self.counters[kind]}")

    def period(self, value: object) -> URIRef:
        text = str(value)
        first, _, last = text.partition("-")
        try:
            iri = period_iri(int(first), int(last) if last else None)
        except GovgraphError as exc:
            self.problem(str(exc), text)
            return mint_iri("period", "invalid")
        add = self.assertions.add
        add((iri, RDF.type, TIME.ProperInterval))
        for predicate, year in ((TIME.hasBeginning, first), (TIME.hasEnd, last or first)):
            instant = mint_iri("instant", year)
            add((iri, predicate, instant))
            add((instant, RDF.type, TIME.Instant))
            add((instant, TIME.inXSDgYear, Literal(year, datatype=XSD.gYear)))
        return iri

    # --- the announcement ---------------------------------------------------------------------

    def describe_document(self) -> None:
        a, add, doc = self.a, self.assertions.add, self.doc
        self.field_path = "publisher"
        add((doc, RDF.type, GG.Announcement))
        add((doc, DCTERMS.publisher, self.org(a.publisher)))
        add((doc, DCTERMS.language, LANG[a.language]))
        add((doc, DCTERMS.title, Literal(a.title, lang=a.language)))
        if a.sha256:
            add((doc, GG.sha256, Literal(a.sha256)))
        for url in ([a.url] if a.url else []) + list(a.urls):
            add((doc, SCHEMA.url, URIRef(url)))
        if a.issued:
            add((doc, DCTERMS.issued, date_literal(a.issued)))
        if a.retrieved:
            add((doc, GG.retrievedAt, date_literal(a.retrieved)))
        if a.genre:
            self.field_path = "genre"
            add((doc, SCHEMA.genre, self.concept("genre", a.genre)))
        self.prov.add((self.graph_iri, PROV.wasDerivedFrom, doc))
        self.prov.add((self.graph_iri, PROV.wasGeneratedBy, LOADER_RUN))
        self.prov.add((LOADER_RUN, RDF.type, PROV.Activity))
        for entry in a.people:
            iri = self.person(entry.key)
            if iri not in self.ref.iris:
                add((iri, RDF.type, PERSON.Person))
                for lang, name in sorted(entry.names.items()):
                    add((iri, SKOS.prefLabel, Literal(name, lang=lang)))
                for alias in entry.aliases:
                    add((iri, SKOS.altLabel, Literal(alias)))

    # --- facts ----------------------------------------------------------------------------------

    def map_facts(self) -> None:
        for index, fact in enumerate(self.a.facts):
            self.field_path = f"facts/{index}"
            self.kind, self.current = fact.kind, fact.values
            handler = getattr(self, "fact_" + fact.type.replace("-", "_"))
            node, main = handler(fact.values)
            if fact.id:
                self.fact_nodes[fact.id] = node
            fact_node = node if fact.type in NARY_TYPES else self.statement(*main)
            self.record_provenance(fact_node, fact, index)
            for extra in self.extra_fact_nodes:
                self.record_provenance(extra, fact, index)
            self.extra_fact_nodes = []

    def statement(self, s: Node, p: URIRef, o: Node) -> URIRef:
        """Return the rdf:Statement fact node reifying one triple of the assertion graph."""
        line = f"{s.n3()} {p.n3()} {o.n3()} ."
        # One reification per triple and kind: a record may state a triple and also infer it.
        key = short_hash(line) if self.kind == "explicit" else short_hash(line, self.kind)
        iri = mint_iri("fact", self.short_key, key)
        self.prov.add((iri, RDF.type, RDF.Statement))
        self.prov.add((iri, RDF.subject, s))
        self.prov.add((iri, RDF.predicate, p))
        self.prov.add((iri, RDF.object, o))
        return iri

    def shortcut(self, s: Node, p: URIRef, o: Node) -> None:
        self.assertions.add((s, p, o))
        self.extra_fact_nodes.append(self.statement(s, p, o))

    def record_provenance(self, node: URIRef, fact: Fact, index: int) -> None:
        self.prov.add((node, GG.assertionKind, self.concept("assertion-kind", fact.kind)))
        if fact.evidence is not None:
            self.prov.add((node, GG.evidence, self.evidence(fact.evidence, index)))
        else:
            self.problem("a fact needs evidence: a quote with offsets, or a note and a source")

    def evidence(self, evidence: Evidence, index: int) -> URIRef:
        add = self.prov.add
        if evidence.start is not None and evidence.end is not None:
            iri = mint_iri("evidence", self.short_key, f"{evidence.start}-{evidence.end}")
            position = URIRef(f"{iri}/position")
            add((iri, OA.hasSelector, position))
            add((position, RDF.type, OA.TextPositionSelector))
            add((position, OA.start, typed_integer(evidence.start, XSD.integer)))
            add((position, OA.end, typed_integer(evidence.end, XSD.integer)))
        else:
            iri = mint_iri("evidence", self.short_key, f"fact-{index}")
        add((iri, RDF.type, OA.SpecificResource))
        add((iri, OA.hasSource, self.doc))
        if evidence.quote is not None:
            quote = URIRef(f"{iri}/quote")
            add((iri, OA.hasSelector, quote))
            add((quote, RDF.type, OA.TextQuoteSelector))
            add((quote, OA.exact, Literal(evidence.quote)))
        if evidence.note is not None:
            add((iri, DCTERMS.description, Literal(evidence.note, lang="en")))
        if evidence.source is not None:
            add((iri, DCTERMS.source, URIRef(evidence.source)))
        return iri

    def add_concepts(self, node: URIRef, predicate: URIRef, name: str, values: dict) -> None:
        raw = values.get(name)
        if raw is None:
            return
        for key in raw if isinstance(raw, list) else [raw]:
            self.assertions.add((node, predicate, self.concept(CONCEPT_FIELDS[name], str(key))))

    def fact_session(self, v: dict) -> tuple[URIRef, tuple]:
        add, organ = self.assertions.add, self.org(str(v["organ"]))
        node = self.session(f"{v['organ']}/{v['ordinal']}")
        add((node, RDF.type, GG.AssemblySession))
        add((node, GG.sessionOf, organ))
        add((node, GG.ordinal, typed_integer(v["ordinal"])))
        for name, predicate in (("host", GG.hostedBy), ("location", SCHEMA.location),
                                ("organizer", SCHEMA.organizer)):
            if name in v:
                add((node, predicate, self.agent(str(v[name]))))
        for name, predicate in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            if name in v:
                add((node, predicate, date_literal(str(v[name]))))
        self.add_concepts(node, SCHEMA.about, "topics", v)
        return node, (node, GG.sessionOf, organ)

    def fact_election(self, v: dict) -> tuple[URIRef, tuple]:
        add, organ_key = self.assertions.add, str(v["organ"])
        organ = self.org(organ_key)
        if "session" in v:
            session = self.session(str(v["session"]))
            leaf = organ_key.split("/", 1)[-1]
            node = URIRef(f"{session}/election/{leaf}")
            add((node, SCHEMA.superEvent, session))
        else:
            when = v.get("term") or v.get("date") or self.short_key
            node = self._mint("event", f"{organ_key}/election/{when}")
        add((node, RDF.type, GG.Election))
        add((node, GG.electsTo, organ))
        if "term" in v:
            add((node, GG.forTerm, self.period(v["term"])))
        if "date" in v:
            add((node, SCHEMA.startDate, date_literal(str(v["date"]))))
        return node, (node, GG.electsTo, organ)

    def fact_candidacy(self, v: dict) -> tuple[URIRef, tuple]:
        add, election = self.assertions.add, self.reference(v["election"])
        candidate = self.agent(str(v["candidate"]))
        node = mint_iri("candidacy", _tail(election, "event/"), _tail(candidate, ""))
        add((node, RDF.type, GG.Candidacy))
        add((node, GG.candidate, candidate))
        add((node, GG.election, election))
        self.add_concepts(node, GG.outcome, "outcome", v)
        self.add_concepts(node, GG.rankScope, "rank_scope", v)
        if "rank_by_votes" in v:
            add((node, GG.rankByVotes, typed_integer(v["rank_by_votes"])))
        if "votes" in v:
            add((node, GG.votesReceived, typed_integer(v["votes"], XSD.integer)))
        return node, ()

    def fact_membership(self, v: dict) -> tuple[URIRef, tuple]:
        add = self.assertions.add
        member, organization = self.agent(str(v["member"])), self.org(str(v["organization"]))
        when = str(v.get("term") or str(v.get("start", "open"))[:4])
        node = mint_iri("membership", slugify(str(v["organization"])), _tail(member, ""), when)
        add((node, RDF.type, ORG.Membership))
        add((node, ORG.member, member))
        add((node, ORG.organization, organization))
        self.add_concepts(node, ORG.role, "role", v)
        if "term" in v:
            add((node, ORG.memberDuring, self.period(v["term"])))
        for name, predicate in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            if name in v:
                add((node, predicate, date_literal(str(v[name]))))
        if "elected_in" in v:
            add((node, GG.electedIn, self.reference(v["elected_in"])))
        if "consecutive_term" in v:
            add((node, GG.consecutiveTerm, typed_integer(v["consecutive_term"])))
        self.shortcut(member, ORG.memberOf, organization)
        return node, ()

    def fact_post_holding(self, v: dict) -> tuple[URIRef, tuple]:
        person, post = self.person(str(v["person"])), self.post(str(v["post"]))
        self.assertions.add((person, ORG.holds, post))
        if "start" in v or "end" in v:
            node = mint_iri("occupancy", _tail(person, "person/"), slugify(str(v["post"])),
                            str(v.get("start", "open")))
            self.assertions.add((node, RDF.type, GG.Occupancy))
            self.assertions.add((node, GG.holder, person))
            self.assertions.add((node, GG.post, post))
            for name, predicate in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
                if name in v:
                    self.assertions.add((node, predicate, date_literal(str(v[name]))))
            self.extra_fact_nodes.append(node)
        return person, (person, ORG.holds, post)

    def participation(self, event: URIRef, person: URIRef, v: dict, role: str) -> URIRef:
        add = self.assertions.add
        node = mint_iri("participation", _tail(event, "event/"), _tail(person, "person/"))
        add((node, RDF.type, CV.Participation))
        add((node, CV.hasParticipant, person))
        add((node, CV.role, self.concept("role", str(v.get("role", role)))))
        add((event, CV.hasParticipation, node))
        if "on_behalf_of" in v:
            add((node, GG.onBehalfOf, self.agent(str(v["on_behalf_of"]))))
        if "capacity" in v:
            add((node, GG.inCapacityOf, self.post(str(v["capacity"]))))
        return node

    def fact_representation(self, v: dict) -> tuple[URIRef, tuple]:
        event, person = self.session(str(v["event"])), self.person(str(v["person"]))
        node = self.participation(event, person, v, "country-representative")
        self.shortcut(event, SCHEMA.attendee, person)
        return node, ()

    def fact_speech(self, v: dict) -> tuple[URIRef, tuple]:
        add, node = self.assertions.add, self.numbered("speech")
        event = self.session(str(v["event"]))
        add((node, RDF.type, GG.Speech))
        add((node, SCHEMA.creator, self.agent(str(v["speaker"]))))
        add((node, GG.deliveredAt, event))
        if "abstract" in v:
            add((node, SCHEMA.abstract, self.text(v["abstract"])))
        self.add_concepts(node, SCHEMA.about, "topics", v)
        for target in v.get("about", []):
            add((node, SCHEMA.about, self.reference(target)))
        return node, (node, GG.deliveredAt, event)

    def text(self, value: object) -> Literal:
        if isinstance(value, dict):
            return Literal(str(value["text"]), lang=str(value.get("lang", self.a.language)))
        return Literal(str(value), lang=self.a.language)

    def fact_claim(self, v: dict) -> tuple[URIRef, tuple]:
        add, node = self.assertions.add, self.numbered("claim")
        add((node, RDF.type, SCHEMA.Claim))
        add((node, SCHEMA.author, self.agent(str(v["author"]))))
        appearance = self.reference(v["appearance"]) if "appearance" in v else self.doc
        add((node, SCHEMA.appearance, appearance))
        add((node, SCHEMA.text, self.text(v["text"])))
        for target in v.get("about", []):
            add((node, SCHEMA.about, self.reference(target)))
        return node, ()

    def fact_video(self, v: dict) -> tuple[URIRef, tuple]:
        add, node = self.assertions.add, self.numbered("video")
        event = self.session(str(v["event"]))
        add((node, RDF.type, SCHEMA.VideoObject))
        add((node, GG.screenedAt, event))
        if "abstract" in v:
            add((node, SCHEMA.abstract, self.text(v["abstract"])))
        for target in v.get("about", []):
            add((node, SCHEMA.about, self.reference(target)))
        return node, (node, GG.screenedAt, event)

    def fact_ranking(self, v: dict) -> tuple[URIRef, tuple]:
        add, entity = self.assertions.add, self.agent(str(v["entity"]))
        index_value = v["index"]
        if isinstance(index_value, dict):
            index = self.numbered_index()
            add((index, RDF.type, GG.Index))
            lang = str(index_value.get("lang", self.a.language))
            add((index, SKOS.prefLabel, Literal(str(index_value["unresolved"]), lang=lang)))
            index_key = _tail(index, "index/").replace("/", "-")
        else:
            index = self.known(self._mint("index", str(index_value)), "index", str(index_value),
                               "data/reference/organizations.ttl")
            index_key = str(index_value)
        changed = "delta" in v
        node = mint_iri("rank-change" if changed else "ranking", index_key, _tail(entity, ""),
                        str(v["year"]))
        add((node, RDF.type, GG.RankChange if changed else GG.Ranking))
        add((node, GG.rankedEntity, entity))
        add((node, GG["index"], index))
        add((node, GG.refPeriod, Literal(str(v["year"]), datatype=XSD.gYear)))
        for name, predicate in (("rank", GG.rank), ("out_of", GG.outOf)):
            if name in v:
                add((node, predicate, typed_integer(v[name])))
        if "score" in v:
            add((node, GG.score, Literal(str(v["score"]), datatype=XSD.decimal)))
        if changed:
            add((node, GG.rankDelta, typed_integer(v["delta"], XSD.integer)))
        if "reported_in" in v:
            add((node, GG.reportedIn, self.reference(v["reported_in"])))
        return node, ()

    def numbered_index(self) -> URIRef:
        self.counters["index"] += 1
        return mint_iri("index", "unresolved", f"{self.short_key}-{self.counters['index']}")

    def entity(self, v: dict, kind: str, cls: URIRef) -> tuple[URIRef, tuple]:
        add, node = self.assertions.add, self._mint(kind, str(v["key"]))
        add((node, RDF.type, cls))
        for lang, name in sorted(v.get("names", {}).items()):
            add((node, SKOS.prefLabel, Literal(name, lang=lang)))
        for label in v.get("alt_labels", []):
            add((node, SKOS.altLabel, Literal(label) if label.isascii() else
                 Literal(label, lang=self.a.language)))
        self.add_concepts(node, GG.initiativeType, "initiative_type", v)
        if "launched_by" in v:
            add((node, GG.launchedBy, self.agent(str(v["launched_by"]))))
        for partner in v.get("partners", []):
            add((node, GG.partner, self.agent(str(partner))))
        if "framework" in v:
            add((node, GG.partOfFramework, self._mint("framework", str(v["framework"]))))
        if "core" in v:
            add((node, GG.hasCore, self.reference(v["core"])))
        for target in v.get("relies_on", []):
            add((node, GG.reliesOn, self.reference(target)))
        if "launched" in v:
            add((node, SCHEMA.foundingDate, date_literal(str(v["launched"]))))
        if "description" in v:
            add((node, SCHEMA.description, self.text(v["description"])))
        if "area_served" in v:
            add((node, SCHEMA.areaServed, self.agent(str(v["area_served"]))))
        self.add_concepts(node, SCHEMA.about, "topics", v)
        self.add_concepts(node, SCHEMA.audience, "audience", v)
        self.add_concepts(node, SCHEMA.hasPart, "components", v)
        return node, (node, RDF.type, cls)

    def fact_initiative(self, v: dict) -> tuple[URIRef, tuple]:
        return self.entity(v, "initiative", GG.Initiative)

    def fact_framework(self, v: dict) -> tuple[URIRef, tuple]:
        return self.entity(v, "framework", GG.PolicyFramework)

    def fact_platform(self, v: dict) -> tuple[URIRef, tuple]:
        return self.entity(v, "platform", GG.Platform)

    def fact_agreement(self, v: dict) -> tuple[URIRef, tuple]:
        add, key = self.assertions.add, str(v["key"])
        node = self._mint("agreement", key)
        add((node, RDF.type, GG.Agreement))
        add((node, GG.agreementType, self.concept("agreement-type", str(v["agreement_type"]))))
        for lang, name in sorted(v.get("names", {}).items()):
            add((node, SKOS.prefLabel, Literal(name, lang=lang)))
        for party in v["parties"]:
            add((node, GG.party, self.agent(str(party))))
        self.add_concepts(node, SCHEMA.about, "topics", v)
        if "date" in v or "signatories" in v or "place" in v:
            signing = self._mint("event", f"signing/{key}")
            add((signing, RDF.type, SCHEMA.Event))
            add((node, GG.signedAt, signing))
            if "date" in v:
                add((signing, SCHEMA.startDate, date_literal(str(v["date"]))))
            if "place" in v:
                add((signing, SCHEMA.location, self.agent(str(v["place"]))))
            for signatory in v.get("signatories", []):
                person = self.person(str(signatory["person"]))
                self.extra_fact_nodes.append(
                    self.participation(signing, person, signatory, "signatory")
                )
        return node, (node, RDF.type, GG.Agreement)

    def fact_relation(self, v: dict) -> tuple[URIRef, tuple]:
        subject, predicate = self.reference(v["subject"]), PROPERTIES[str(v["property"])]
        obj = self.reference(v["object"])
        if predicate in (SCHEMA.description, SCHEMA.abstract) and not isinstance(obj, Literal):
            self.problem(f"{v['property']} takes a text: {{text: ..., lang: ...}}")
        self.assertions.add((subject, predicate, obj))
        return subject, (subject, predicate, obj)  # type: ignore[return-value]


def _holds(held: object, value: str) -> bool:
    """Tell whether a record field holds ``value``, directly, as a typed reference or in a list."""
    if isinstance(held, list):
        return any(_holds(item, value) for item in held)
    if isinstance(held, dict):
        return any(_holds(item, value) for item in held.values())
    text = str(held)
    return text == value or text.endswith(":" + value)


def _tail(iri: Node, after: str) -> str:
    """Return the IRI path after the instance base and ``after``, as one slug."""
    path = str(iri).removeprefix(str(ID))
    path = path.removeprefix(after) if after else path.split("/", 1)[-1]
    return path.replace("/", "-")


def to_graphs(announcement: Announcement, reference: ReferenceIndex) -> tuple[Graph, Graph]:
    """Return the assertion graph and the provenance graph of an announcement.

    Raises:
        SourceError: a reference is unknown or a value cannot be mapped; every problem of the
            record is listed.
    """
    mapper = Mapper(announcement, reference)
    mapper.describe_document()
    mapper.map_facts()
    if mapper.problems:
        count = len(mapper.problems)
        raise SourceError(
            Location(announcement.path),
            f"cannot map the record ({count} problem(s)):\n  " + "\n  ".join(mapper.problems),
        )
    return mapper.assertions, mapper.prov
