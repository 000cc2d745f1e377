"""Every vocabulary term used in shapes, queries and data is declared; a misspelt term fails.

Declared means: minted in ontology/govgraph.ttl or listed in ontology/reused.ttl. Terms of the
meta-vocabularies (RDF, RDFS, OWL, XSD, SHACL) are not checked here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from govgraph.config import REPO_ROOT, Settings
from govgraph.model.namespaces import ID, OWL, RDF, RDFS, SH, XSD
from govgraph.model.ontology import load_ontology, load_schemes, parse_turtle_files

META = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD, SH)) + ("http://datashapes.org/dash#",)
NOT_VOCABULARY = (str(ID), "http://www.wikidata.org/entity/", "http://id.loc.gov/")


@pytest.fixture(scope="module")
def declared() -> set[URIRef]:
    ontology = load_ontology(Settings())
    return {s for s in ontology.subjects() if isinstance(s, URIRef)}


@pytest.fixture(scope="module")
def concepts() -> set[URIRef]:
    return {s for s in load_schemes(Settings()).subjects() if isinstance(s, URIRef)}


def vocabulary_terms(graph: Graph) -> set[URIRef]:
    """Return the predicates, classes and concepts a graph uses, and the terms shapes name."""
    terms = {p for p in graph.predicates()}
    terms |= {o for o in graph.objects(None, RDF.type)}
    for predicate in (SH.path, SH["class"], SH.targetClass, SH.datatype, SH.targetSubjectsOf,
                      SH.targetObjectsOf, SH.inversePath):
        terms |= {o for o in graph.objects(None, predicate)}
    terms |= {o for o in graph.objects() if str(o).startswith(str(ID) + "concept/")}
    return {t for t in terms if isinstance(t, URIRef)}


def query_terms(text: str) -> set[URIRef]:
    """Return every IRI a SPARQL query mentions (parsed with rdflib's parser, not a regex)."""
    found: set[URIRef] = set()

    def walk(node: object) -> None:
        if isinstance(node, URIRef):
            found.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple | set):
            for value in node:
                walk(value)
        elif hasattr(node, "items"):
            for value in node.values():  # rdflib CompValue
                walk(value)

    walk(prepareQuery(text).algebra)
    return found


def undeclared(terms: Iterable[URIRef], declared: set[URIRef], concepts: set[URIRef]) -> list[str]:
    """Return the terms that are neither declared vocabulary, meta-vocabulary nor known IRIs."""
    missing = []
    for term in sorted(terms):
        text = str(term)
        if text.startswith(META):
            continue
        if text.startswith(str(ID) + "concept/"):
            if term not in concepts:
                missing.append(text)
            continue
        if text.startswith(NOT_VOCABULARY):
            continue
        if term not in declared:
            missing.append(text)
    return missing


def files(folder: str, pattern: str) -> list[Path]:
    return sorted((REPO_ROOT / folder).glob(pattern))


TURTLE = files("ontology/shapes", "*.ttl") + files("data/reference", "*.ttl") + files(
    "ontology/schemes", "*.ttl"
)


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_turtle_file_uses_only_declared_terms(path: Path, declared, concepts) -> None:
    graph = parse_turtle_files([path])
    assert not undeclared(vocabulary_terms(graph), declared, concepts)


@pytest.mark.parametrize("path", files("queries", "*.rq"), ids=lambda p: p.name)
def test_query_uses_only_declared_terms(path: Path, declared, concepts) -> None:
    terms = query_terms(path.read_text(encoding="utf-8"))
    assert not undeclared(terms, declared, concepts)


def test_there_are_files_to_check() -> None:
    assert len(TURTLE) >= 8


def test_a_misspelt_term_in_data_is_caught(declared, concepts) -> None:
    graph = Graph().parse(
        data="""@prefix org: <http://www.w3.org/ns/org#> .
        @prefix gg: <https://w3id.org/govgraph/ns#> .
        @base <https://w3id.org/govgraph/id/> .
        <country/MA> org:memberof <org/dco> ; gg:consecutiveTerms 2 .""",
        format="turtle",
    )
    assert undeclared(vocabulary_terms(graph), declared, concepts) == [
        "http://www.w3.org/ns/org#memberof",
        "https://w3id.org/govgraph/ns#consecutiveTerms",
    ]


def test_a_misspelt_term_in_a_query_is_caught(declared, concepts) -> None:
    text = """PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?c WHERE { ?c org:memberOf ?o ; skos:preflabel ?l }"""
    assert undeclared(query_terms(text), declared, concepts) == [
        "http://www.w3.org/2004/02/skos/core#preflabel"
    ]


def test_an_unknown_concept_is_caught(declared, concepts) -> None:
    graph = Graph().parse(
        data="""@prefix org: <http://www.w3.org/ns/org#> .
        <https://w3id.org/govgraph/id/membership/x> org:role
            <https://w3id.org/govgraph/id/concept/role/member-sate> .""",
        format="turtle",
    )
    terms = vocabulary_terms(graph)
    assert undeclared(terms, declared, concepts) == [
        "https://w3id.org/govgraph/id/concept/role/member-sate"
    ]
