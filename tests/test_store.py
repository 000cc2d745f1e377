"""The embedded store: named graphs, atomic replacement, queries with bindings, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from govgraph.errors import QueryError, StoreError
from govgraph.model.namespaces import ID, RDF, SKOS
from govgraph.store import EmbeddedStore

G1, G2 = ID["graph/test/one"], ID["graph/test/two"]
MA, KW = ID["country/MA"], ID["country/KW"]


def graph_of(*triples: tuple) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def test_replace_graphs_writes_and_replaces(memory_store) -> None:
    memory_store.replace_graphs({G1: graph_of((MA, SKOS.notation, Literal("MA")))})
    memory_store.replace_graphs(
        {
            G1: graph_of((KW, SKOS.notation, Literal("KW"))),
            G2: graph_of((MA, SKOS.prefLabel, Literal("المغرب", lang="ar"))),
        }
    )
    assert [(c.name, c.triples) for c in memory_store.graph_counts()] == [(G1, 1), (G2, 1)]
    assert set(memory_store.export_graph(G1)) == {(KW, SKOS.notation, Literal("KW"))}
    assert memory_store.export_graph(G2).value(MA, SKOS.prefLabel) == Literal("المغرب", lang="ar")


def test_an_empty_graph_removes_the_named_graph(memory_store) -> None:
    memory_store.replace_graphs({G1: graph_of((MA, SKOS.notation, Literal("MA")))})
    memory_store.replace_graphs({G1: Graph()})
    assert memory_store.graph_counts() == []


def test_a_failed_replacement_leaves_the_store_unchanged(memory_store) -> None:
    memory_store.replace_graphs({G1: graph_of((MA, SKOS.notation, Literal("MA")))})
    # rdflib accepts this IRI (with a log warning); pyoxigraph refuses it while staging G2.
    broken = graph_of((URIRef("not an iri"), SKOS.notation, Literal("x")))
    with pytest.raises(StoreError, match="cannot write graphs"):
        memory_store.replace_graphs({G1: graph_of((KW, RDF.type, SKOS.Concept)), G2: broken})
    assert [(c.name, c.triples) for c in memory_store.graph_counts()] == [(G1, 1)]
    assert (MA, SKOS.notation, Literal("MA")) in memory_store.export_graph(G1)


def test_select_uses_the_union_and_bindings(memory_store) -> None:
    memory_store.replace_graphs(
        {
            G1: graph_of((MA, SKOS.notation, Literal("MA"))),
            G2: graph_of((KW, SKOS.notation, Literal("KW"))),
        }
    )
    query = "SELECT ?c ?code WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> ?code }"
    rows = memory_store.select(query)
    assert sorted(str(r["code"]) for r in rows) == ["KW", "MA"]
    bound = memory_store.select(query, {"c": KW})
    assert [str(r["code"]) for r in bound] == ["KW"]
    only_g1 = memory_store.select("SELECT ?code WHERE { ?c ?p ?code }", default_graphs=[G1])
    assert [str(r["code"]) for r in only_g1] == ["MA"]


def test_ask_and_construct(memory_store) -> None:
    memory_store.replace_graphs({G1: graph_of((MA, SKOS.notation, Literal("MA")))})
    assert memory_store.ask("ASK { ?s ?p 'MA' }")
    assert not memory_store.ask("ASK { ?s ?p 'KW' }")
    built = memory_store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert set(built) == {(MA, SKOS.notation, Literal("MA"))}


def test_a_malformed_query_is_a_query_error(memory_store) -> None:
    with pytest.raises(QueryError, match="malformed SPARQL query"):
        memory_store.select("SELECT ?s WHERE { ?s ")


def test_the_wrong_query_form_is_a_query_error(memory_store) -> None:
    with pytest.raises(QueryError, match="expected a SELECT"):
        memory_store.select("ASK { ?s ?p ?o }")


def test_an_on_disk_store_persists(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with EmbeddedStore.open(location) as store:
        store.replace_graphs({G1: graph_of((MA, SKOS.notation, Literal("MA")))})
    with EmbeddedStore.open(location) as store:
        assert store.count() == 1


def test_bulk_load_keeps_graph_names_and_puts_triples_in_a_graph(memory_store, tmp_path) -> None:
    quads = tmp_path / "data.nq"
    quads.write_text(f"<{MA}> <{SKOS.notation}> \"MA\" <{G2}> .\n", encoding="utf-8")
    triples = tmp_path / "data.ttl"
    triples.write_text(f"<{KW}> <{SKOS.notation}> \"KW\" .\n", encoding="utf-8")
    assert memory_store.bulk_load(quads) == 1
    assert memory_store.bulk_load(triples, graph=G1) == 1
    assert [(c.name, c.triples) for c in memory_store.graph_counts()] == [(G1, 1), (G2, 1)]


def test_bulk_load_counts_what_the_file_holds_and_optimize_keeps_it(tmp_path: Path) -> None:
    data = tmp_path / "data.nq"
    lines = [f'<{ID}x/{n}> <{SKOS.notation}> "{n}" <{G1 if n % 2 else G2}> .' for n in range(50)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    location = tmp_path / "store"
    with EmbeddedStore.open(location) as store:
        assert store.bulk_load(data) == 50
        store.optimize()
        assert [(c.name, c.triples) for c in store.graph_counts()] == [(G1, 25), (G2, 25)]
    reader = EmbeddedStore.open_read_only(location)  # the union default graph is still current
    try:
        assert reader.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].toPython() == 50
    finally:
        reader.close()


def test_bulk_load_refuses_an_unknown_extension(memory_store, tmp_path: Path) -> None:
    path = tmp_path / "data.xls"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot tell the RDF format"):
        memory_store.bulk_load(path)


def test_class_counts_count_distinct_instances(memory_store) -> None:
    memory_store.replace_graphs(
        {
            G1: graph_of((MA, RDF.type, SKOS.Concept), (KW, RDF.type, SKOS.Concept)),
            G2: graph_of((MA, RDF.type, SKOS.Concept)),
        }
    )
    assert memory_store.class_counts([G1, G2]) == {SKOS.Concept: 2}
    assert memory_store.class_counts([G2]) == {SKOS.Concept: 1}
    assert memory_store.class_counts() == {SKOS.Concept: 2}  # all graphs
