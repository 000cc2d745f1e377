"""The synthetic world: deterministic, of the requested size, synthetic IRIs only, valid."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from functools import cache

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from govgraph.config import REPO_ROOT, Settings
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
    REFERENCE_GRAPH,
    SCHEMA,
    SKOS,
    SYNTH,
    TIME,
    XSD,
)
from govgraph.model.ontology import load_ontology, load_schemes, load_shapes
from govgraph.synth import MIN_TRIPLES, iter_synthetic_quads, write_nquads
from govgraph.validate import validate

COUNTRIES_FILE = REPO_ROOT / "data" / "reference" / "countries.ttl"
FEW_COUNTRIES = [ID[f"country/{code}"] for code in ("MA", "KW", "TN", "FR", "SN", "JO", "EG")]
VOCABULARIES = tuple(
    str(ns) for ns in (CV, DCTERMS, GG, OA, ORG, PERSON, PROV, RDF, SCHEMA, SKOS, TIME, LANG))
# rdflib 7.6 reads its own deprecated Dataset.default_context inside the N-Quads parser and
# Dataset.triples (so every N-Quads parse, and pyshacl on a Dataset, warns). Not ours to fix;
# ignored only on the tests that parse or validate a Dataset.
RDFLIB_DATASET_WARNING = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning")
SYNTH_GRAPH = SYNTH["graph/"]


@cache
def reference_countries() -> Graph:
    graph = Graph()
    graph.parse(COUNTRIES_FILE, format="turtle")
    return graph


@cache
def all_countries() -> tuple[URIRef, ...]:
    graph = reference_countries()
    return tuple(sorted(set(graph.subjects(RDF.type, GG.Country)), key=str))


def nquads(triples: int, seed: int = 1, countries: tuple[URIRef, ...] | None = None) -> str:
    out = io.StringIO()
    write_nquads(iter_synthetic_quads(triples, seed, countries or all_countries()), out)
    return out.getvalue()


@cache
def world(triples: int, seed: int = 1) -> tuple[tuple, ...]:
    return tuple(iter_synthetic_quads(triples, seed, all_countries()))


def test_the_same_arguments_give_the_same_bytes() -> None:
    assert nquads(2_000, seed=5) == nquads(2_000, seed=5)


def test_another_seed_gives_another_world() -> None:
    assert nquads(2_000, seed=5) != nquads(2_000, seed=6)


def test_the_order_of_the_countries_does_not_matter() -> None:
    countries = tuple(FEW_COUNTRIES)
    assert nquads(1_000, countries=countries) == nquads(1_000, countries=countries[::-1])


@pytest.mark.parametrize("triples", [MIN_TRIPLES, 2_000, 3_001, 20_000])
def test_the_world_has_the_requested_number_of_distinct_quads(triples: int) -> None:
    quads = world(triples)
    assert abs(len(quads) - triples) <= 0.02 * triples
    assert len(quads) == triples  # in fact exactly, for any budget above MIN_TRIPLES
    assert len(set(quads)) == len(quads)


def test_a_single_country_is_enough() -> None:
    quads = list(iter_synthetic_quads(1_500, 3, [ID["country/MA"]]))
    assert len(set(quads)) == 1_500


def test_every_iri_is_synthetic_a_country_or_a_vocabulary_term() -> None:
    countries = set(all_countries())
    others = Counter()
    for quad in world(20_000):
        for term in quad:
            if not isinstance(term, URIRef) or term.startswith(SYNTH) or term in countries:
                continue
            # rdflib's startswith takes one prefix (it str()s a tuple), hence str(term).
            if str(term).startswith((ID["concept/"], *VOCABULARIES)):
                continue
            others[term] += 1
    assert not others, others.most_common(10)


def test_no_country_is_described() -> None:
    countries = set(all_countries())
    quads = world(20_000)
    described = {s for s, _p, _o, g in quads if s in countries and g == SYNTH["graph/reference"]}
    typed = {s for s, p, _o, _g in quads if s in countries and p == RDF.type}
    assert not described and not typed


def test_every_quad_is_in_a_named_synthetic_graph() -> None:
    graphs = Counter(g for _s, _p, _o, g in world(20_000))
    assert all(isinstance(g, URIRef) and g.startswith(SYNTH_GRAPH) for g in graphs)
    prefix = SYNTH["graph/doc/synth/"]
    docs = {g for g in graphs if g.startswith(prefix) and not g.endswith("/prov")}
    provs = {g for g in graphs if g.endswith("/prov")}
    assert docs and {URIRef(d + "/prov") for d in docs} == provs
    assert set(graphs) == docs | provs | {SYNTH["graph/reference"]}


@RDFLIB_DATASET_WARNING
def test_the_output_parses_as_nquads() -> None:
    text = nquads(3_000)
    dataset = Dataset()
    dataset.parse(data=text, format="nquads")
    graphs = [g for g in dataset.graphs() if len(g)]
    assert sum(len(g) for g in graphs) == 3_000
    assert {g.identifier for g in graphs} == {q[3] for q in world(3_000)}


def test_evidence_spans_are_consistent() -> None:
    values: dict[tuple, list] = {}
    for s, p, o, _g in world(20_000):
        if p in (OA.start, OA.end, OA.exact, OA.hasSelector):
            values.setdefault((s, p), []).append(o)
    selectors = {o for (s, p), objects in values.items() if p == OA.hasSelector for o in objects}
    assert selectors and all(isinstance(node, BNode) for node in selectors)
    for (s, p), objects in values.items():
        if p == OA.start:
            (start,) = objects
            (end,) = values[(s, OA.end)]
            assert int(start) < int(end)
    # Each quote is as long as its span: the evidence IRI ends with <start>-<end>.
    for s, p, o, _g in world(20_000):
        if p == OA.hasSelector and (o, OA.exact) in values:
            (exact,) = values[(o, OA.exact)]
            start, end = (int(part) for part in s.rsplit("/", 1)[1].split("-"))
            assert len(exact) == end - start


def test_quotes_are_slices_of_the_hashed_text() -> None:
    """The synthetic text is the title, a line feed and the quoted sentences: rebuild it."""
    quads = world(3_000)
    title = {s: o for s, p, o, _g in quads if p == DCTERMS.title}
    sha256 = {s: str(o) for s, p, o, _g in quads if p == GG.sha256}
    source = {s: o for s, p, o, _g in quads if p == OA.hasSource}
    values = {(s, p): o for s, p, o, _g in quads if p in (OA.start, OA.end, OA.exact)}
    selectors: dict[URIRef, list] = {}
    for s, p, o, _g in quads:
        if p == OA.hasSelector:
            selectors.setdefault(s, []).append(o)
    spans: dict[URIRef, list[tuple[int, int, str]]] = {}
    for evidence, (first, second) in selectors.items():
        position, quote = (first, second) if (first, OA.start) in values else (second, first)
        start, end = int(values[(position, OA.start)]), int(values[(position, OA.end)])
        spans.setdefault(source[evidence], []).append((start, end, str(values[(quote, OA.exact)])))
    assert set(spans) == set(sha256)
    for doc, found in spans.items():
        text = str(title[doc]) + "\n" + " ".join(exact for _s, _e, exact in sorted(found))
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256[doc]
        assert all(text[start:end] == exact for start, end, exact in found)


def test_every_announcement_has_the_model_description() -> None:
    quads = world(3_000)
    docs = {s for s, p, o, _g in quads if p == RDF.type and o == GG.Announcement}
    for predicate in (DCTERMS.publisher, DCTERMS.language, DCTERMS.title, DCTERMS.issued,
                      GG.sha256, SCHEMA.url):
        assert {s for s, p, _o, _g in quads if p == predicate and s in docs} == docs, predicate
    issued = [o for _s, p, o, _g in quads if p == DCTERMS.issued]
    assert all(isinstance(o, Literal) and o.datatype == XSD.date for o in issued)


def test_the_fact_mix_covers_every_kind() -> None:
    types = Counter(o for _s, p, o, _g in world(20_000) if p == RDF.type)
    for cls in (ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.Post, PERSON.Person,
                GG.Index, TIME.ProperInterval, TIME.Instant, GG.AssemblySession, GG.Election,
                GG.Candidacy, ORG.Membership, CV.Participation, GG.Initiative, GG.Ranking,
                GG.RankChange, GG.Occupancy, RDF.Statement, OA.SpecificResource):
        assert types[cls], cls


def test_every_concept_exists_in_the_schemes() -> None:
    schemes = load_schemes(Settings())
    used = {t for q in world(20_000) for t in q
            if isinstance(t, URIRef) and t.startswith(ID["concept/"])}
    missing = {c for c in used if (c, RDF.type, SKOS.Concept) not in schemes}
    assert used and not missing, missing


@RDFLIB_DATASET_WARNING
def test_a_small_world_with_the_reference_countries_conforms_to_the_shapes() -> None:
    dataset = Dataset()
    reference = dataset.graph(REFERENCE_GRAPH)
    for triple in reference_countries():
        reference.add(triple)
    for s, p, o, g in world(3_000):
        dataset.graph(g).add((s, p, o))
    settings = Settings()
    ontology = load_ontology(settings) + load_schemes(settings)
    report = validate(dataset, load_shapes(settings), ontology)
    assert not report.violations, "\n".join(str(v) for v in report.violations[:20])


@pytest.mark.parametrize(
    ("triples", "countries", "message"),
    [
        (MIN_TRIPLES - 1, FEW_COUNTRIES, "too few"),
        (1_000, [], "none given"),
        (1_000, [SYNTH["country/MA"]], "not a country IRI"),
    ],
)
def test_bad_arguments_are_refused_at_the_call(triples: int, countries: list, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        iter_synthetic_quads(triples, 0, countries)


@RDFLIB_DATASET_WARNING
def test_write_nquads_keeps_every_literal_on_one_line() -> None:
    s, g = SYNTH["doc/synth/x"], SYNTH["graph/doc/synth/x"]
    literals = [Literal('two\nlines "quoted" \\ back', lang="en"), Literal("ligne\r\nfin"),
                Literal("7", datatype=XSD.integer), Literal("نص عربي", lang="ar")]
    out = io.StringIO()
    assert write_nquads([(s, DCTERMS.title, lit, g) for lit in literals], out) == 4
    assert out.getvalue().count("\n") == 4
    dataset = Dataset()
    dataset.parse(data=out.getvalue(), format="nquads")
    assert set(dataset.graph(g).objects(s, DCTERMS.title)) == set(literals)
