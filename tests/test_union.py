"""The union default graph: each distinct triple of the named graphs once, kept by every write.

The graphs and triples here are made up (example.org); they test the store, not the data.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from govgraph.errors import QueryError, QueryRefusedError, StoreError, UpdateFailedError
from govgraph.store import EmbeddedStore
from govgraph.store.pool import PooledStore
from govgraph.store.terms import to_ox
from govgraph.store.union import MARKER, RESYNC, is_current, maintained_update

E = "http://example.org/"
PREFIX = f"PREFIX e: <{E}>\n"
ALL_DEFAULT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def iri(name: str) -> URIRef:
    return URIRef(E + name)


def graph_of(*triples: tuple[str, str, object]) -> Graph:
    graph = Graph()
    for s, p, o in triples:
        graph.add((iri(s), iri(p), o if isinstance(o, (Literal, BNode)) else iri(str(o))))
    return graph


def expected_union(store: EmbeddedStore) -> set[tuple]:
    """The distinct triples of all named graphs (read from the graphs, not the default graph)."""
    rows = store.select("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {(row["s"], row["p"], row["o"]) for row in rows}


def default_rows(store: EmbeddedStore) -> list[tuple]:
    return [(row["s"], row["p"], row["o"]) for row in store.select(ALL_DEFAULT)]


def assert_union_exact(store: EmbeddedStore) -> None:
    rows = default_rows(store)
    assert len(rows) == len(set(rows)), "a triple came back more than once"
    assert set(rows) == expected_union(store)


@pytest.fixture
def shared(memory_store: EmbeddedStore) -> EmbeddedStore:
    """Two graphs that share one triple (as two announcements stating one fact)."""
    memory_store.replace_graphs(
        {
            iri("g1"): graph_of(("ma", "member", "dco"), ("ma", "label", Literal("Morocco"))),
            iri("g2"): graph_of(("ma", "member", "dco"), ("kw", "member", "dco")),
        }
    )
    return memory_store


def test_a_triple_stated_by_two_graphs_is_answered_once(shared: EmbeddedStore) -> None:
    rows = shared.select(f"{PREFIX}SELECT ?who WHERE {{ ?who e:member e:dco }}")
    assert sorted(str(row["who"]) for row in rows) == [E + "kw", E + "ma"]
    count = shared.select(f"{PREFIX}SELECT (COUNT(*) AS ?n) WHERE {{ ?s e:member ?o }}")
    assert int(count[0]["n"]) == 2
    assert_union_exact(shared)


def test_replacing_a_graph_keeps_triples_another_graph_states(shared: EmbeddedStore) -> None:
    shared.replace_graphs({iri("g1"): graph_of(("ma", "label", Literal("Maroc", lang="fr")))})
    assert (iri("ma"), iri("member"), iri("dco")) in set(default_rows(shared))
    assert (iri("ma"), iri("label"), Literal("Morocco")) not in set(default_rows(shared))
    assert_union_exact(shared)


def test_replacing_both_graphs_that_share_a_triple_drops_it(shared: EmbeddedStore) -> None:
    shared.replace_graphs(
        {iri("g1"): graph_of(("x", "p", "y")), iri("g2"): graph_of(("kw", "member", "dco"))}
    )
    assert (iri("ma"), iri("member"), iri("dco")) not in set(default_rows(shared))
    assert_union_exact(shared)


def test_dropping_graphs_removes_only_their_own_triples(shared: EmbeddedStore) -> None:
    shared.drop_graphs([iri("g2")])
    kept = graph_of(("ma", "member", "dco"), ("ma", "label", Literal("Morocco")))
    assert set(default_rows(shared)) == set(kept)
    shared.drop_graphs([iri("g1")])
    assert default_rows(shared) == []


UPDATES = [
    "INSERT DATA { GRAPH e:g3 { e:a e:p 1, 2 } GRAPH e:g4 { e:a e:p 1 } }",
    "DELETE DATA { GRAPH e:g3 { e:a e:p 1 } }",
    "DELETE DATA { GRAPH e:g4 { e:a e:p 1 } } ; INSERT DATA { GRAPH e:g5 { e:z e:p e:q } }",
    "DELETE WHERE { GRAPH e:g3 { ?s e:p ?o } }",
    "WITH e:g5 DELETE { ?s e:p ?o } INSERT { ?s e:q ?o } WHERE { ?s e:p ?o }",
    "INSERT { GRAPH ?g { ?s e:r 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "COPY e:g5 TO e:g6 ; MOVE e:g6 TO e:g7 ; ADD e:g7 TO e:g8",
    "COPY DEFAULT TO e:g9",
    "DELETE { GRAPH e:g9 { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != e:g9) }",
    "DELETE { GRAPH e:g1 { ?s ?p ?o } } WHERE { GRAPH e:g2 { ?s ?p ?o } }",
    "DROP GRAPH e:g8 ; CLEAR GRAPH e:g7",
    "CLEAR NAMED",
]


def test_every_kind_of_update_keeps_the_union_exact(shared: EmbeddedStore) -> None:
    for update in UPDATES:
        shared.update(PREFIX + update)
        assert_union_exact(shared)
    assert default_rows(shared) == []


def test_updates_change_what_they_say(shared: EmbeddedStore) -> None:
    shared.update(PREFIX + UPDATES[0])
    shared.update(PREFIX + UPDATES[1])
    assert set(shared.export_graph(iri("g3"))) == {(iri("a"), iri("p"), Literal(2))}
    assert (iri("a"), iri("p"), Literal(1)) in set(default_rows(shared))  # g4 still states it
    shared.update(PREFIX + "COPY DEFAULT TO e:copy")
    assert set(shared.export_graph(iri("copy"))) == expected_union(shared)
    # The WHERE of a later operation reads the default graph the earlier ones left.
    shared.update(PREFIX + "CLEAR NAMED ; INSERT DATA { GRAPH e:h { e:b e:p 3 } } ; "
                  "INSERT { GRAPH e:seen { ?s e:seen ?o } } WHERE { ?s e:p ?o }")  # fmt: skip
    assert set(shared.export_graph(iri("seen"))) == {(iri("b"), iri("seen"), Literal(3))}
    assert_union_exact(shared)


def test_a_stash_is_not_visible_to_the_update_it_serves(shared: EmbeddedStore) -> None:
    shared.update(
        PREFIX + "DELETE { GRAPH e:g1 { ?s ?p ?o } } INSERT { GRAPH e:log { ?g e:had ?s } } "
        "WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    logged = {str(s) for s, _, _ in shared.export_graph(iri("log"))}
    assert logged == {E + "g1", E + "g2"}
    assert_union_exact(shared)


VARIABLE_GRAPH_UPDATES = [
    "INSERT { GRAPH ?g { ?s e:r 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s e:member ?o } } "
    "WHERE { GRAPH ?g { ?s e:member ?o } FILTER(?s = e:ma) }",
    "DELETE WHERE { GRAPH ?g { e:kw ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p ?o } } "
    "WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s e:label ?l } } "
    "INSERT { GRAPH ?g { ?s e:name ?l ; e:note [ e:was ?l ] } } "
    "WHERE { GRAPH ?g { ?s e:label ?l } }",
    "WITH e:g2 DELETE { ?s ?p ?o } INSERT { GRAPH ?h { ?s ?p ?o } } "
    "WHERE { ?s ?p ?o GRAPH ?h { ?s e:label ?any } }",
    "INSERT { GRAPH ?g { ?s e:seen ?x } } USING NAMED e:g1 WHERE { GRAPH ?g { ?s ?p ?o } }",
    "INSERT { GRAPH ?g { ?s e:unbound ?nothing } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "INSERT { GRAPH ?o { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",  # ?o: IRIs and a literal
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } } ; "
    "INSERT DATA { GRAPH e:g3 { e:a e:p 3 } }",
]
"""Updates on variable graphs, each solved first (or the first operation of a request)."""


def named_graphs(store: ox.Store) -> dict[str, Graph]:
    found: dict[str, Graph] = {}
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode):
            graph = found.setdefault(quad.graph_name.value, Graph())
            graph.parse(data=f"{quad.subject} {quad.predicate} {quad.object} .", format="nt")
    return found


@pytest.mark.parametrize("update", VARIABLE_GRAPH_UPDATES)
def test_an_update_on_variable_graphs_does_what_the_engine_alone_does(
    shared: EmbeddedStore, update: str
) -> None:
    # The same named graphs in a plain pyoxigraph store, updated by the engine alone.
    plain = ox.Store()
    for entry in shared.graph_counts():
        for s, p, o in shared.export_graph(entry.name):
            plain.add(ox.Quad(*(to_ox(term) for term in (s, p, o)), ox.NamedNode(entry.name)))
    plain.update(PREFIX + update)
    shared.update(PREFIX + update)
    mine, theirs = named_graphs(shared._store), named_graphs(plain)
    assert sorted(mine) == sorted(theirs)
    for name, graph in mine.items():
        assert isomorphic(graph, theirs[name]), name
    assert_union_exact(shared)


def test_an_update_on_variable_graphs_is_solved_instead_of_reading_the_whole_store() -> None:
    solved = maintained_update(PREFIX + VARIABLE_GRAPH_UPDATES[1], lambda query, graph: [
        {"g": ox.NamedNode(E + "g1"), "s": ox.NamedNode(E + "ma"), "o": ox.NamedNode(E + "dco")}
    ])  # fmt: skip
    assert RESYNC[1] not in solved and f"DELETE DATA {{ GRAPH <{E}g1> {{ <{E}ma>" in solved
    assert RESYNC[1] in maintained_update(PREFIX + VARIABLE_GRAPH_UPDATES[1])  # nothing to solve
    with_store_blank = maintained_update(  # a DATA operation cannot name a stored blank node
        PREFIX + VARIABLE_GRAPH_UPDATES[1],
        lambda query, graph: [{"g": ox.NamedNode(E + "g1"), "s": ox.BlankNode(), "o": None}],
    )
    assert RESYNC[1] in with_store_blank


def test_a_refused_later_operation_is_found_before_the_first_is_solved() -> None:
    solved: list[str] = []

    def solve(query: str, graph: object) -> list:
        solved.append(query)
        return []

    with pytest.raises(QueryRefusedError, match="named graph"):
        maintained_update(PREFIX + VARIABLE_GRAPH_UPDATES[1] + " ; CLEAR DEFAULT", solve)
    assert solved == []


def test_an_update_binding_a_stored_blank_node_still_keeps_the_union_exact(
    shared: EmbeddedStore,
) -> None:
    shared.update(PREFIX + "INSERT DATA { GRAPH e:g3 { _:x e:member e:dco } }")
    shared.update(
        PREFIX + "DELETE { GRAPH ?g { ?s e:member ?o } } WHERE { GRAPH ?g { ?s e:member ?o } }"
    )
    assert not shared.ask(PREFIX + "ASK { GRAPH ?g { ?s e:member ?o } }")
    assert not shared.ask(PREFIX + "ASK { ?s e:member ?o }")
    assert_union_exact(shared)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { e:a e:p e:b }",
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT { ?s e:q ?o } WHERE { GRAPH ?g { ?s e:member ?o } }",
        "CLEAR DEFAULT",
        "DROP DEFAULT",
        "MOVE DEFAULT TO e:g9",
        "COPY e:g1 TO DEFAULT",
        "ADD e:g1 TO DEFAULT",
    ],
)
def test_writing_the_default_graph_is_refused_and_changes_nothing(
    shared: EmbeddedStore, update: str
) -> None:
    before = default_rows(shared), shared.graph_counts()
    with pytest.raises(QueryRefusedError, match="named graph"):
        shared.update(PREFIX + update)
    assert (default_rows(shared), shared.graph_counts()) == before


def test_a_failed_update_changes_nothing(shared: EmbeddedStore) -> None:
    before = default_rows(shared), shared.graph_counts()
    with pytest.raises(UpdateFailedError):
        shared.update(PREFIX + "DROP GRAPH e:g1 ; DROP GRAPH e:missing")
    assert (sorted(default_rows(shared)), shared.graph_counts()) == (
        sorted(before[0]), before[1]
    )


def test_bulk_load_copies_triples_with_their_blank_nodes(tmp_path: Path) -> None:
    data = tmp_path / "data.nq"
    data.write_text(
        f"_:b1 <{E}p> <{E}o> <{E}g1> .\n_:b1 <{E}q> \"x\" <{E}g1> .\n"
        f"_:b1 <{E}p> <{E}o> <{E}g2> .\n",
        encoding="utf-8",
    )
    store = EmbeddedStore.open(tmp_path / "store")
    store.bulk_load(data)
    store.bulk_load(data)  # a second file's _:b1 is another node
    assert_union_exact(store)
    rows = store.select(f"SELECT ?b WHERE {{ ?b <{E}p> <{E}o> ; <{E}q> \"x\" }}")
    assert len({row["b"] for row in rows}) == 2
    assert is_current(tmp_path / "store")
    store.close()


def test_bulk_load_of_triples_needs_a_graph(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    data.write_text(f"<{E}s> <{E}p> <{E}o> .\n", encoding="utf-8")
    store = EmbeddedStore.open(tmp_path / "store")
    with pytest.raises(StoreError, match="outside any graph"):
        store.bulk_load(data)
    store.bulk_load(data, iri("g"))
    assert default_rows(store) == [(iri("s"), iri("p"), iri("o"))]
    store.close()


def older_store(location: Path) -> None:
    """A store as govgraph wrote it before the union was kept: named graphs, no marker."""
    raw = ox.Store(str(location))
    for graph in ("g1", "g2"):
        raw.add(ox.Quad(ox.NamedNode(E + "s"), ox.NamedNode(E + "p"), ox.NamedNode(E + "o"),
                        ox.NamedNode(E + graph)))  # fmt: skip
    raw.flush()
    del raw


def test_a_store_without_a_current_union_is_rebuilt_when_opened_for_writing(
    tmp_path: Path,
) -> None:
    location = tmp_path / "store"
    older_store(location)
    with pytest.raises(StoreError, match="not up to date.*open it once for writing"):
        EmbeddedStore.open_read_only(location)
    EmbeddedStore.open(location).close()
    assert (location / MARKER).is_file()
    reader = EmbeddedStore.open_read_only(location)
    assert default_rows(reader) == [(iri("s"), iri("p"), iri("o"))]
    reader.close()


def test_a_server_rebuilds_the_union_of_an_older_store(tmp_path: Path) -> None:
    location = tmp_path / "store"
    older_store(location)
    served = PooledStore.open(str(location), 1, 10.0)
    try:
        assert served.select(ALL_DEFAULT) == [{"s": iri("s"), "p": iri("p"), "o": iri("o")}]
    finally:
        served.close()


def test_a_served_store_is_optimized_by_its_writer_and_still_reads(tmp_path: Path) -> None:
    location = tmp_path / "store"
    EmbeddedStore.open(location).close()
    data = tmp_path / "data.nq"
    data.write_text(f"<{iri('s')}> <{iri('p')}> <{iri('o')}> <{iri('g')}> .\n", "utf-8")
    served = PooledStore.open(str(location), 1, 10.0)
    try:
        assert served.bulk_load(data) == 1
        before = served.version
        served.optimize()
        assert served.version > before  # readers restarted on the optimized store
        assert served.select(ALL_DEFAULT) == [{"s": iri("s"), "p": iri("p"), "o": iri("o")}]
    finally:
        served.close()


def test_a_malformed_update_gets_the_engine_message_with_its_position(
    shared: EmbeddedStore,
) -> None:
    with pytest.raises(QueryError, match=r"malformed SPARQL update: error at 2:\d+"):
        shared.update(PREFIX + "INSERT DATA { GRAPH e:g { e:a e:b } }")
    assert_union_exact(shared)
