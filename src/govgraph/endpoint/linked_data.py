"""Linked Data at ``/id/<path>``: every entity IRI ``https://w3id.org/govgraph/id/<path>`` resolves.

Layer: endpoint (uses store). Input: a path under ``/id/`` and the request's Accept header (or
``?format=``). Output: for browsers (text/html preferred, or ``?format=html``) a page with the
entity's labels in Arabic, French and English, its types, its statements grouped by the
announcement (named graph) that states them, each with the announcement's title, publisher,
date and URL and the evidence its provenance graph keeps (quote or note), and what refers to
it; for RDF clients its description (the triples it is the subject of, plus the labels of what
they point to) in Turtle, N-Triples, JSON-LD or RDF/XML, or in TriG and N-Quads with every
triple in the named graph that states it. An unknown entity is a 404 (an HTML page for
browsers), a path that cannot be part of an IRI a 400.

Every query binds the entity as ``?entity`` (projected: the store substitutes only projected
variables, SEP-0007); no SPARQL text is built from input.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from govgraph.endpoint.describe import RDFLIB_FORMATS
from govgraph.endpoint.negotiation import GRAPH_TYPES, choose_format, media_type_of
from govgraph.endpoint.service import service
from govgraph.errors import RequestError, cut
from govgraph.model.namespaces import (
    CONCEPTS_GRAPH,
    DCTERMS,
    GG,
    ID,
    LANG,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    SCHEMA,
    SKOS,
    bind_prefixes,
)
from govgraph.store.base import Row, Store

blueprint = Blueprint("linked_data", __name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE_TYPES: dict[str, tuple[str, ...]] = {**GRAPH_TYPES, "html": HTML_TYPES}
"""What /id/ answers in: the RDF formats first, so that ``*/*`` (curl, RDF libraries) gets
Turtle and only a client that prefers HTML (a browser) gets the page."""
QUAD_FORMATS = frozenset({"trig", "nquads"})
FORMAT_LABELS = {
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "trig": "TriG",
    "ntriples": "N-Triples",
    "nquads": "N-Quads",
    "rdfxml": "RDF/XML",
}

LANGUAGES: tuple[str, ...] = ("en", "fr", "ar")
"""The languages of govgraph's labels, in the order a page falls back through them."""
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
DESCRIPTION_PREDICATES = (SKOS.definition, SCHEMA.description, DCTERMS.description, SCHEMA.abstract)
FIRST_PREDICATES = (
    RDF.type,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SKOS.notation,
    RDFS.label,
    DCTERMS.title,
)
NAMED_GRAPHS = {
    REFERENCE_GRAPH: "Reference data",
    CONCEPTS_GRAPH: "Concept schemes",
    ONTOLOGY_GRAPH: "Ontology",
}

MAX_PATH = 1024
MAX_OUTGOING = 5000
MAX_INCOMING = 1000

_PREFIX_LINES = "".join(
    f"PREFIX {name}: <{PREFIXES[name]}>\n"
    for name in ("rdf", "rdfs", "skos", "dcterms", "prov", "oa", "gg")
)


def _query(body: str) -> str:
    """Return a query of this module: its text after the prefixes it uses."""
    return _PREFIX_LINES + body


OUTGOING_QUERY = _query(f"""
SELECT ?entity ?graph ?p ?o WHERE {{ GRAPH ?graph {{ ?entity ?p ?o }} }}
ORDER BY ?graph ?p ?o LIMIT {MAX_OUTGOING + 1}
""")
"""The quads the entity is the subject of."""

# rdf:subject/rdf:object links from a /prov graph's reified statements are how the provenance
# graph points at a fact; the page shows them as that fact's evidence, not as references.
INCOMING_QUERY = _query(f"""
SELECT ?entity ?graph ?s ?p WHERE {{
  GRAPH ?graph {{ ?s ?p ?entity }}
  FILTER(?p NOT IN (rdf:subject, rdf:predicate, rdf:object))
}}
ORDER BY ?graph ?p ?s LIMIT {MAX_INCOMING + 1}
""")
"""The quads the entity is the object of, but reification."""

LABELS_QUERY = _query("""
SELECT DISTINCT ?entity ?node ?graph ?p ?label WHERE {
  { GRAPH ?any { ?entity ?link ?node } FILTER(isIRI(?node)) }
  UNION { GRAPH ?any { ?node ?link ?entity } }
  UNION { GRAPH ?any { ?entity ?node ?value } }
  UNION { GRAPH ?any { ?subject ?node ?entity } }
  UNION { GRAPH ?any { ?entity ?link ?value } BIND(?entity AS ?node) }
  VALUES ?p { skos:prefLabel rdfs:label dcterms:title }
  GRAPH ?graph { ?node ?p ?label }
}
""")
"""Labels (and titles) of the entity, of what it links to, of what links to it and of the
properties of those links, with the graph each label is in."""

# A fact node is either a reified rdf:Statement (its subject, predicate and object name the
# triple) or the n-ary node itself (a membership, a candidacy...): then every triple of that
# node in the assertion graph is stated by its evidence.
EVIDENCE_QUERY = _query("""
SELECT ?entity ?graph ?fact ?s ?p ?o ?kind ?evidence ?quote ?note ?source ?start ?end WHERE {
  {
    GRAPH ?prov { ?fact rdf:subject ?entity ; rdf:predicate ?p ; rdf:object ?o }
    BIND(?entity AS ?s)
  } UNION {
    GRAPH ?prov { ?fact rdf:object ?entity ; rdf:subject ?s ; rdf:predicate ?p }
    BIND(?entity AS ?o)
  } UNION {
    GRAPH ?prov { ?entity gg:evidence ?any }
    BIND(?entity AS ?fact)
  } UNION {
    GRAPH ?graph { ?fact ?link ?entity }
  }
  GRAPH ?prov {
    ?graph prov:wasDerivedFrom ?doc .
    ?fact gg:evidence ?evidence .
    OPTIONAL { ?fact gg:assertionKind ?kind }
    OPTIONAL { ?evidence oa:hasSelector ?quoted . ?quoted oa:exact ?quote }
    OPTIONAL { ?evidence oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }
    OPTIONAL { ?evidence dcterms:description ?note }
    OPTIONAL { ?evidence dcterms:source ?source }
  }
}
""")
"""The evidence of the facts about the entity: statements it is the subject or object of,
itself as a fact node, and the fact nodes that link to it."""

SOURCES_QUERY = _query("""
SELECT ?prov ?graph ?doc ?p ?v ?label WHERE {
  GRAPH ?prov { ?graph prov:wasDerivedFrom ?doc }
  OPTIONAL {
    GRAPH ?graph { ?doc ?p ?v }
    OPTIONAL { ?v skos:prefLabel ?label FILTER(?p = dcterms:publisher) }
  }
}
""")
"""Every announcement graph, its provenance graph, and the announcement's own description."""


# ---------------------------------------------------------------------------------------------
# Reading an entity from the store


@dataclass(frozen=True)
class Evidence:
    """The text span (a quote with its offsets) or the note that states a fact."""

    iri: URIRef
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    notes: tuple[Literal, ...] = ()
    source: URIRef | None = None
    kind: URIRef | None = None
    """The assertion kind of the fact node it supports (explicit, inferred, claim, metadata)."""


@dataclass
class Fact:
    """The evidence a provenance graph gives for one triple or one fact node.

    One triple can have several fact nodes (an explicit and an inferred membership both state
    ``org:memberOf``), each with its own kind: evidence is keyed by (fact node, evidence).
    """

    evidence: dict[tuple[Node, URIRef], Evidence] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """An announcement: the graph stating its facts, its provenance graph, its description."""

    graph: URIRef
    prov: URIRef
    doc: URIRef
    titles: tuple[Literal, ...] = ()
    publisher: URIRef | None = None
    publisher_labels: tuple[Literal, ...] = ()
    issued: Literal | None = None
    urls: tuple[URIRef, ...] = ()
    language: str | None = None
    retrieved: Literal | None = None


@dataclass
class Entity:
    """Everything the store says about one entity, as its page and its description need it."""

    iri: URIRef
    outgoing: list[tuple[URIRef, URIRef, Node]]
    """(graph, predicate, object)"""
    incoming: list[tuple[URIRef, Node, URIRef]]
    """(graph, subject, predicate)"""
    labels: dict[Node, list[tuple[URIRef, Literal, URIRef]]]
    """node -> (label predicate, label, graph)"""
    statement_facts: dict[tuple[URIRef, Node, Node, Node], Fact]
    """(assertion graph, subject, predicate, object) -> the reified statement's fact"""
    node_facts: dict[tuple[URIRef, Node], Fact]
    """(assertion graph, fact node) -> its fact"""
    truncated: bool = False


def _fact_evidence(fact: Fact, row: Row) -> None:
    """Merge one evidence row into ``fact``."""
    iri = URIRef(str(row["evidence"]))
    key = (row["fact"], iri)
    known = fact.evidence.get(key, Evidence(iri))
    note = row.get("note")
    notes = known.notes
    if isinstance(note, Literal) and note not in notes:
        notes = (*notes, note)
    start, end = row.get("start"), row.get("end")
    fact.evidence[key] = Evidence(
        iri,
        quote=str(row["quote"]) if "quote" in row else known.quote,
        start=int(str(start)) if start is not None else known.start,
        end=int(str(end)) if end is not None else known.end,
        notes=notes,
        source=URIRef(str(row["source"])) if "source" in row else known.source,
        kind=URIRef(str(row["kind"])) if "kind" in row else known.kind,
    )


def read_entity(store: Store, iri: URIRef) -> Entity | None:
    """Return what the store says about ``iri``, or None when no quad mentions it.

    Args:
        store: the store to read.
        iri: an entity IRI.
    """
    bindings = {"entity": iri}
    outgoing_rows = store.select(OUTGOING_QUERY, bindings)
    incoming_rows = store.select(INCOMING_QUERY, bindings)
    if not outgoing_rows and not incoming_rows:
        return None
    truncated = len(outgoing_rows) > MAX_OUTGOING or len(incoming_rows) > MAX_INCOMING
    outgoing = [
        (URIRef(str(r["graph"])), URIRef(str(r["p"])), r["o"]) for r in outgoing_rows[:MAX_OUTGOING]
    ]
    incoming = [
        (URIRef(str(r["graph"])), r["s"], URIRef(str(r["p"]))) for r in incoming_rows[:MAX_INCOMING]
    ]
    labels: dict[Node, list[tuple[URIRef, Literal, URIRef]]] = defaultdict(list)
    for row in store.select(LABELS_QUERY, bindings):
        label = row["label"]
        if isinstance(label, Literal):
            labels[row["node"]].append((URIRef(str(row["p"])), label, URIRef(str(row["graph"]))))
    statement_facts: dict[tuple[URIRef, Node, Node, Node], Fact] = defaultdict(Fact)
    node_facts: dict[tuple[URIRef, Node], Fact] = defaultdict(Fact)
    for row in store.select(EVIDENCE_QUERY, bindings):
        graph = URIRef(str(row["graph"]))
        if "p" in row:
            fact = statement_facts[(graph, row["s"], row["p"], row["o"])]
        else:
            fact = node_facts[(graph, row["fact"])]
        _fact_evidence(fact, row)
    return Entity(
        iri, outgoing, incoming, dict(labels), dict(statement_facts), dict(node_facts), truncated
    )


@dataclass
class _Draft:
    """A Source being read from rows."""

    prov: URIRef
    doc: URIRef
    titles: list[Literal] = field(default_factory=list)
    urls: list[URIRef] = field(default_factory=list)
    publisher: URIRef | None = None
    publisher_labels: list[Literal] = field(default_factory=list)
    issued: Literal | None = None
    language: str | None = None
    retrieved: Literal | None = None

    def read(self, predicate: Node | None, value: Node | None, label: Node | None) -> None:
        """Take one (predicate, value) of the announcement's description."""
        if isinstance(value, Literal):
            if predicate == DCTERMS.title and value not in self.titles:
                self.titles.append(value)
            elif predicate == DCTERMS.issued:
                self.issued = value
            elif predicate == GG.retrievedAt:
                self.retrieved = value
        elif isinstance(value, URIRef):
            if predicate == SCHEMA.url and value not in self.urls:
                self.urls.append(value)
            elif predicate == DCTERMS.publisher:
                self.publisher = value
                if isinstance(label, Literal) and label not in self.publisher_labels:
                    self.publisher_labels.append(label)
            elif predicate == DCTERMS.language:
                self.language = str(value).removeprefix(str(LANG))


def build_sources(store: Store) -> dict[URIRef, Source]:
    """Return every announcement's Source, keyed by its assertion graph and its /prov graph."""
    drafts: dict[URIRef, _Draft] = {}
    for row in store.select(SOURCES_QUERY):
        graph = URIRef(str(row["graph"]))
        draft = drafts.get(graph)
        if draft is None:
            draft = _Draft(URIRef(str(row["prov"])), URIRef(str(row["doc"])))
            drafts[graph] = draft
        draft.read(row.get("p"), row.get("v"), row.get("label"))
    sources: dict[URIRef, Source] = {}
    for graph, draft in drafts.items():
        source = Source(
            graph=graph,
            prov=draft.prov,
            doc=draft.doc,
            titles=tuple(draft.titles),
            publisher=draft.publisher,
            publisher_labels=tuple(draft.publisher_labels),
            issued=draft.issued,
            urls=tuple(draft.urls),
            language=draft.language,
            retrieved=draft.retrieved,
        )
        sources[graph] = source
        sources[source.prov] = source
    return sources


# ---------------------------------------------------------------------------------------------
# The RDF description


def _linked_labels(entity: Entity) -> list[tuple[URIRef, URIRef, Literal, URIRef]]:
    """Return (node, predicate, label, graph) for the resources the entity's triples point to."""
    linked = sorted({value for _, _, value in entity.outgoing if isinstance(value, URIRef)})
    return [
        (node, predicate, label, graph)
        for node in linked
        for predicate, label, graph in entity.labels.get(node, ())
    ]


def to_dataset(entity: Entity, sources: dict[URIRef, Source]) -> Dataset:
    """Return the entity's description with every triple in the named graph that states it.

    The triples the entity is the subject of, the labels of the resources they point to, and
    for each announcement graph among them its ``prov:wasDerivedFrom`` link (in its /prov
    graph) to the announcement.
    """
    dataset = Dataset()
    bind_prefixes(dataset)
    for graph, predicate, value in entity.outgoing:
        dataset.graph(graph).add((entity.iri, predicate, value))
        source = sources.get(graph)
        if source is not None and source.graph == graph:
            dataset.graph(source.prov).add((graph, PROV.wasDerivedFrom, source.doc))
    for node, predicate, label, graph in _linked_labels(entity):
        dataset.graph(graph).add((node, predicate, label))
    return dataset


def to_graph(entity: Entity) -> Graph:
    """Return the entity's description as triples: its own, plus the labels of what they name."""
    graph = bind_prefixes(Graph())
    for _, predicate, value in entity.outgoing:
        graph.add((entity.iri, predicate, value))
    for node, predicate, label, _ in _linked_labels(entity):
        graph.add((node, predicate, label))
    return graph


def _serve_rdf(entity: Entity, sources: dict[URIRef, Source], name: str) -> Response:
    data = to_dataset(entity, sources) if name in QUAD_FORMATS else to_graph(entity)
    content = data.serialize(format=RDFLIB_FORMATS[name], encoding="utf-8")
    response = Response(content, content_type=media_type_of(name, GRAPH_TYPES))
    response.headers["Vary"] = "Accept"
    return response


# ---------------------------------------------------------------------------------------------
# The HTML page: plain view objects, so that the templates only print (and escape) them


@dataclass(frozen=True)
class Term:
    """A node as the page shows it: text, language, link and a note (language tag, datatype)."""

    text: str
    href: str | None = None
    lang: str | None = None
    title: str | None = None
    note: str | None = None
    external: bool = False
    code: bool = False
    """The text is an identifier, not a label (shown in a monospace face)."""

    @property
    def dir(self) -> str:
        """The text direction: rtl for Arabic, else left to the browser."""
        return "rtl" if self.lang in RIGHT_TO_LEFT else "auto"


@dataclass(frozen=True)
class EvidenceView:
    """Evidence as the page shows it."""

    quote: str | None
    lang: str | None
    span: str | None
    notes: tuple[Term, ...]
    source: str | None
    kind: str | None

    @property
    def dir(self) -> str:
        """The quote's direction."""
        return "rtl" if self.lang in RIGHT_TO_LEFT else "auto"


@dataclass
class Value:
    """One value of a property (or one resource referring to the entity), with its evidence."""

    term: Term
    evidence: list[EvidenceView] = field(default_factory=list)
    provenance: bool = False
    """The triple is in the announcement's provenance graph, not its assertion graph."""
    same_evidence: bool = False
    """Its evidence is the same as that of a value shown above it in the card."""


@dataclass
class PropertyRow:
    """A property and its values in one graph."""

    predicate: Term
    values: list[Value]


@dataclass
class Card:
    """The statements of one announcement (its assertion and provenance graphs) or one graph."""

    title: Term
    graphs: list[tuple[str, str]]
    """(graph IRI, Graph Store link)"""
    source: Source | None = None
    doc: Term | None = None
    publisher: Term | None = None
    urls: list[Term] = field(default_factory=list)
    evidence: list[EvidenceView] = field(default_factory=list)
    rows: list[PropertyRow] = field(default_factory=list)
    referenced_by: list[PropertyRow] = field(default_factory=list)

    def fold_evidence(self) -> None:
        """Show each piece of evidence once: a value whose evidence is the same as that of a
        value above it (the shortcut triple and its membership, say) points up instead."""
        shown = {tuple(self.evidence)}
        for row in (*self.rows, *self.referenced_by):
            for value in row.values:
                evidence = tuple(value.evidence)
                if evidence and evidence in shown:
                    value.evidence, value.same_evidence = [], True
                shown.add(evidence)


def order_cards(cards: Iterable[Card]) -> list[Card]:
    """Order cards: announcements newest first, then undated ones, then the other graphs."""
    cards = list(cards)
    dated = [c for c in cards if c.source is not None and c.source.issued is not None]
    dated.sort(key=lambda c: c.title.text)
    dated.sort(key=lambda c: str(c.source.issued) if c.source else "", reverse=True)
    undated = sorted(
        (c for c in cards if c.source is not None and c.source.issued is None),
        key=lambda c: c.title.text,
    )
    graph_order = list(NAMED_GRAPHS.values())
    others = sorted(
        (c for c in cards if c.source is None),
        key=lambda c: (
            c.title.text not in graph_order,
            graph_order.index(c.title.text) if c.title.text in graph_order else 0,
            c.title.text,
        ),
    )
    return dated + undated + others


@dataclass
class LabelRow:
    """The labels of the entity in one language."""

    lang: str
    name: str
    preferred: list[str]
    alternative: list[str]

    @property
    def dir(self) -> str:
        """The labels' direction."""
        return "rtl" if self.lang in RIGHT_TO_LEFT else "auto"


@dataclass
class Page:
    """What the entity template shows."""

    iri: str
    title: Term
    description: Term | None
    labels: list[LabelRow]
    types: list[Term]
    cards: list[Card]
    formats: list[tuple[str, str, str]]
    """(label, link, media type)"""
    languages: list[tuple[str, str, str, bool]]
    """(language, its name, link, is it the page's)"""
    lang: str
    statements: int
    references: int
    announcements: int
    truncated: bool


def curie_of(iri: str) -> str:
    """Return ``iri`` as prefix:name when a govgraph prefix covers it, else the IRI.

    >>> curie_of("http://www.w3.org/ns/org#memberOf")
    'org:memberOf'
    >>> curie_of("https://example.org/x")
    'https://example.org/x'
    """
    best, found = "", iri
    for prefix, namespace in PREFIXES.items():
        space = str(namespace)
        if prefix != "id" and iri.startswith(space) and len(space) > len(best):
            best, found = space, f"{prefix}:{iri[len(space) :]}"
    return found


def is_iri_path(path: str) -> bool:
    """Say whether ``path`` can follow ``https://w3id.org/govgraph/id/`` in an IRI.

    RFC 3987 ``ipath`` characters: ASCII unreserved and sub-delimiters, ``:`` ``@`` ``/``,
    percent-encodings, and non-ASCII letters, marks, numbers, punctuation and symbols; not
    spaces, controls, bidi formatting marks (section 4.1), private-use or unassigned code
    points; no empty, ``.`` or ``..`` segment at the start or in between.

    >>> is_iri_path("org/dco/executive-committee")
    True
    >>> is_iri_path("concept/topic/ذكاء-اصطناعي")
    True
    >>> [is_iri_path(p) for p in ("country/M A", "x/<b>", "a/../b", "", "a\\u200fb", "a%2")]
    [False, False, False, False, False, False]
    """
    if not path or len(path) > MAX_PATH:
        return False
    if any(segment in ("", ".", "..") for segment in path.split("/")[:-1]):
        return False
    if path.split("/")[-1] in (".", ".."):
        return False
    for index, char in enumerate(path):
        if char.isascii():
            if char.isalnum() or char in "-._~!$&'()*+,;=:@/":
                continue
            hexdigits = "0123456789abcdefABCDEF"
            if (
                char == "%"
                and len(path) > index + 2
                and all(c in hexdigits for c in path[index + 1 : index + 3])
            ):
                continue
            return False
        if unicodedata.category(char)[0] in "CZ":
            return False
    return True


class PageBuilder:
    """Turns an Entity into the Page its template shows, in one display language."""

    def __init__(
        self, entity: Entity, sources: dict[URIRef, Source], lang: str, keep_lang: bool
    ) -> None:
        self.entity = entity
        self.sources = sources
        self.lang = lang
        self.keep_lang = keep_lang

    def label(self, node: Node) -> Literal | None:
        """Return the label of ``node`` in the display language, else in another."""
        candidates = self.entity.labels.get(node, [])
        order = (self.lang, *LANGUAGES)

        def rank(entry: tuple[URIRef, Literal, URIRef]) -> tuple[int, int, str]:
            predicate, label, _ = entry
            language = label.language or ""
            lang_rank = order.index(language) if language in order else len(order)
            return (lang_rank, LABEL_PREDICATES.index(predicate), str(label))

        return min(candidates, key=rank)[1] if candidates else None

    def href(self, iri: str) -> str | None:
        """Return the local link of an IRI under the id namespace (None for others)."""
        if not iri.startswith(str(ID)) or not is_iri_path(iri[len(ID) :]):
            return None
        if self.keep_lang:
            return url_for("linked_data.entity", path=iri[len(ID) :], lang=self.lang)
        return url_for("linked_data.entity", path=iri[len(ID) :])

    def term(self, node: Node) -> Term:
        """Return a node as the page shows it."""
        if isinstance(node, Literal):
            note = node.language or (curie_of(str(node.datatype)) if node.datatype else None)
            return Term(str(node), lang=node.language, note=note)
        iri = str(node)
        label = self.label(node)
        local = self.href(iri)
        if label is not None:
            return Term(
                str(label),
                href=local or iri,
                lang=label.language,
                title=iri,
                external=local is None,
            )
        if local is not None:
            return Term(iri[len(ID) :], href=local, title=iri, code=True)
        if iri.startswith(("http://", "https://")):
            return Term(curie_of(iri), href=iri, title=iri, external=True, code=True)
        return Term(iri, title=iri, code=True)

    def evidence(self, fact: Fact | None, source: Source | None) -> list[EvidenceView]:
        """Return the evidence of a fact as the page shows it, each distinct piece once.

        The link to where the source states it is left out when it is the announcement's URL,
        which the card shows already.
        """
        if fact is None:
            return []
        language = source.language if source is not None else None
        shown_urls = set(source.urls) if source is not None else set()
        views: list[EvidenceView] = []
        for item in sorted(fact.evidence.values(), key=lambda e: (e.start or 0, str(e.iri))):
            kind = str(item.kind).rsplit("/", 1)[-1] if item.kind is not None else None
            view = EvidenceView(
                quote=item.quote,
                lang=language,
                span=f"{item.start}–{item.end}" if item.start is not None else None,
                notes=tuple(self.term(note) for note in item.notes),
                source=None
                if item.source in shown_urls or item.source is None
                else str(item.source),
                kind=None if kind == "explicit" else kind,
            )
            if view not in views:
                views.append(view)
        return views

    def _card(self, cards: dict[Node, Card], graph: URIRef) -> tuple[Node, Card]:
        """Return the card of a graph (one per announcement), and its key."""
        source = self.sources.get(graph)
        key: Node = source.doc if source is not None else graph
        if key not in cards:
            cards[key] = self._new_card(graph, source)
        return key, cards[key]

    def _new_card(self, graph: URIRef, source: Source | None) -> Card:
        def store_link(name: URIRef) -> tuple[str, str]:
            return (str(name), url_for("graph_store.graph_store", graph=str(name)))

        if source is None:
            title = Term(NAMED_GRAPHS.get(graph, curie_of(str(graph))), lang="en")
            return Card(title=title, graphs=[store_link(graph)])
        titles = sorted(source.titles, key=lambda t: t.language != source.language)
        title = self.term(titles[0]) if titles else self.term(source.doc)
        publisher = None
        if source.publisher is not None:
            publisher = self.term(source.publisher)
            if source.publisher_labels:
                best = sorted(source.publisher_labels, key=lambda t: t.language != self.lang)[0]
                publisher = Term(
                    str(best), href=publisher.href, lang=best.language, title=str(source.publisher)
                )
        urls = [
            Term(
                urlsplit(str(url)).netloc or str(url), href=str(url), title=str(url), external=True
            )
            for url in source.urls
        ]
        return Card(
            title=title,
            graphs=[store_link(source.graph), store_link(source.prov)],
            source=source,
            doc=self.term(source.doc),
            publisher=publisher,
            urls=urls,
        )

    def _predicate_key(self, predicate: URIRef) -> tuple[int, str]:
        if predicate in FIRST_PREDICATES:
            return (FIRST_PREDICATES.index(predicate), "")
        return (len(FIRST_PREDICATES), self.term(predicate).text.casefold())

    def _rows(self, values: dict[URIRef, list[Value]]) -> list[PropertyRow]:
        """Return the rows of a card: types and labels first, what the /prov graph says last."""
        rows = []

        def key(predicate: URIRef) -> tuple[bool, tuple[int, str]]:
            in_prov = all(value.provenance for value in values[predicate])
            return (in_prov, self._predicate_key(predicate))

        for predicate in sorted(values, key=key):
            found = sorted(
                values[predicate], key=lambda v: (v.term.text.casefold(), v.term.href or "")
            )
            rows.append(PropertyRow(self.term(predicate), found))
        return rows

    def cards(self) -> list[Card]:
        """Return the entity's statements and references, one card per announcement or graph."""
        entity = self.entity
        cards: dict[Node, Card] = {}
        outgoing: dict[Node, dict[URIRef, list[Value]]] = defaultdict(lambda: defaultdict(list))
        incoming: dict[Node, dict[URIRef, list[Value]]] = defaultdict(lambda: defaultdict(list))
        for graph, predicate, value in entity.outgoing:
            key, card = self._card(cards, graph)
            fact = entity.statement_facts.get((graph, entity.iri, predicate, value))
            outgoing[key][predicate].append(self._value(card, graph, value, fact))
        for graph, subject, predicate in entity.incoming:
            key, card = self._card(cards, graph)
            fact = entity.statement_facts.get((graph, subject, predicate, entity.iri))
            if fact is None:
                fact = entity.node_facts.get((graph, subject))
            incoming[key][predicate].append(self._value(card, graph, subject, fact))
        for key, card in cards.items():
            card.rows = self._rows(outgoing[key])
            card.referenced_by = self._rows(incoming[key])
            if card.source is not None:
                fact = entity.node_facts.get((card.source.graph, entity.iri))
                card.evidence = self.evidence(fact, card.source)
            card.fold_evidence()
        return order_cards(cards.values())

    def _value(self, card: Card, graph: URIRef, node: Node, fact: Fact | None) -> Value:
        """Return one value of a card, with its evidence."""
        source = card.source
        in_prov = source is not None and graph == source.prov
        return Value(self.term(node), self.evidence(fact, source), provenance=in_prov)

    def labels(self) -> list[LabelRow]:
        """Return the entity's own labels, by language: Arabic, French, English, then others."""
        preferred: dict[str, list[str]] = defaultdict(list)
        alternative: dict[str, list[str]] = defaultdict(list)
        for _, predicate, value in self.entity.outgoing:
            if not isinstance(value, Literal) or not value.language:
                continue
            if predicate in LABEL_PREDICATES:
                target = preferred
            elif predicate == SKOS.altLabel:
                target = alternative
            else:
                continue
            if str(value) not in target[value.language]:
                target[value.language].append(str(value))
        found = set(preferred) | set(alternative)
        languages: list[str] = [lang for lang in ("ar", "fr", "en") if lang in found]
        languages += sorted(found.difference(languages))
        return [
            LabelRow(
                lang,
                LANGUAGE_NAMES.get(lang, lang),
                sorted(preferred[lang]),
                sorted(alternative[lang]),
            )
            for lang in languages
        ]

    def description(self) -> Term | None:
        """Return a definition or description of the entity, in the display language if any."""
        found = [
            value
            for _, predicate, value in self.entity.outgoing
            if predicate in DESCRIPTION_PREDICATES and isinstance(value, Literal)
        ]
        if not found:
            return None
        order = (self.lang, *LANGUAGES)
        found.sort(key=lambda v: order.index(v.language) if v.language in order else len(order))
        return self.term(found[0])

    def page(self) -> Page:
        """Return the page."""
        entity = self.entity
        iri = str(entity.iri)
        label = self.label(entity.iri)
        title = (
            Term(str(label), lang=label.language)
            if label is not None
            else Term(iri[len(ID) :], code=True)
        )
        types = {value for _, predicate, value in entity.outgoing if predicate == RDF.type}
        cards = self.cards()
        formats = [
            (
                FORMAT_LABELS[name],
                url_for("linked_data.entity", path=iri[len(ID) :], format=name),
                GRAPH_TYPES[name][0],
            )
            for name in FORMAT_LABELS
        ]
        languages = [
            (
                lang,
                LANGUAGE_NAMES[lang],
                url_for("linked_data.entity", path=iri[len(ID) :], lang=lang),
                lang == self.lang,
            )
            for lang in LANGUAGES
        ]
        return Page(
            iri=iri,
            title=title,
            description=self.description(),
            labels=self.labels(),
            types=sorted((self.term(t) for t in types), key=lambda t: t.text),
            cards=cards,
            formats=formats,
            languages=languages,
            lang=self.lang,
            statements=len(entity.outgoing),
            references=len(entity.incoming),
            announcements=sum(1 for card in cards if card.source is not None),
            truncated=entity.truncated,
        )


# ---------------------------------------------------------------------------------------------
# Views


def _sources() -> dict[URIRef, Source]:
    current = service()
    found: dict[URIRef, Source] = current.remember(
        "linked_data sources", lambda: build_sources(current.store)
    )
    return found


def _display_language() -> tuple[str, bool]:
    """Return the language of labels on the page, and whether the request named it."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked, True
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en", False


def _prefers_html() -> bool:
    wanted = request.args.get("format")
    if wanted:
        return wanted.strip().lower() == "html"
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _refuse(message: str, status: int, iri: str | None = None) -> Response:
    """Answer an error: a page for browsers, else the app's JSON error body.

    Raises:
        RequestError: the client does not prefer HTML.
    """
    if not _prefers_html():
        raise RequestError(message, status)
    html = render_template("linked_data/error.html", message=message, status=status, iri=iri)
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def render_page(page: Page) -> str:
    """Render an entity page (needs an application context)."""
    return render_template("linked_data/entity.html", page=page, language_names=LANGUAGE_NAMES)


def _serve_page(entity: Entity, sources: dict[URIRef, Source]) -> Response:
    lang, keep = _display_language()
    page = PageBuilder(entity, sources, lang, keep).page()
    response = Response(render_page(page), content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    links: Iterable[str] = (
        f'<{href}>; rel="alternate"; type="{media_type}"' for _, href, media_type in page.formats
    )
    response.headers["Link"] = ", ".join(links)
    return response


@blueprint.get("/id/", defaults={"path": ""})
@blueprint.get("/id/<path:path>")
def entity(path: str) -> Response:
    """Resolve ``https://w3id.org/govgraph/id/<path>``: a page for browsers, RDF for the rest."""
    if not is_iri_path(path):
        return _refuse(
            f"not the path of an entity IRI: {cut(path)}; entity IRIs are "
            f"{ID}<kind>/<key>, without spaces, quotes, angle brackets, control characters or "
            "'.' and '..' segments",
            400,
        )
    name = choose_format(PAGE_TYPES, request.accept_mimetypes, request.args.get("format"))
    iri = ID[path]
    found = read_entity(service().store, iri)
    if found is None:
        return _refuse(
            f"there is no entity {iri} in this dataset; /void lists what it holds", 404, str(iri)
        )
    if name == "html":
        return _serve_page(found, _sources())
    return _serve_rdf(found, _sources(), name)
