"""Loading RDF files from other sources: own graphs, provenance, validation, safety."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from govgraph.cli import main
from govgraph.store import EmbeddedStore

INDEX = """@prefix gg: <https://w3id.org/govgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/govgraph/id/index/made-up-test-index> a gg:Index ;
    skos:prefLabel "Made-up test index"@en .
"""


def load(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", str(store), "load", *args])
    return result.exit_code, result.stderr


def graphs(store: Path) -> dict[str, int]:
    with EmbeddedStore.open(store) as opened:
        return {str(e.name): e.triples for e in opened.graph_counts()}


def test_a_triple_file_goes_into_a_graph_of_its_own_with_provenance(store, tmp_path) -> None:
    path = tmp_path / "index.ttl"
    path.write_text(INDEX, encoding="utf-8")
    code, err = load(store, str(path))
    assert code == 0, err
    imported = {g: n for g, n in graphs(store).items() if "/graph/import/" in g}
    assert len(imported) == 2
    data = next(g for g in imported if not g.endswith("/prov"))
    assert imported[data] == 2
    with EmbeddedStore.open(store) as opened:
        rows = opened.select(
            "SELECT ?g ?doc ?sha WHERE { ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc . "
            "?doc <https://w3id.org/govgraph/ns#sha256> ?sha }"
        )
    assert [str(r["g"]) for r in rows] == [data]


def test_a_quad_file_keeps_its_graph_names(store, tmp_path) -> None:
    path = tmp_path / "data.nq"
    path.write_text(
        "<https://w3id.org/govgraph/id/index/made-up-test-index> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/govgraph/ns#Index> "
        "<https://example.org/made-up-graph> .\n"
        "<https://w3id.org/govgraph/id/index/made-up-test-index> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> \"Made-up\"@en "
        "<https://example.org/made-up-graph> .\n",
        encoding="utf-8",
    )
    code, err = load(store, str(path))
    assert code == 0, err
    assert graphs(store)["https://example.org/made-up-graph"] == 2


def test_an_rdf_file_that_violates_the_shapes_is_not_stored(store, tmp_path) -> None:
    before = graphs(store)
    path = tmp_path / "bad.ttl"
    bad = INDEX.replace('skos:prefLabel "Made-up test index"@en', 'skos:prefLabel "x"@de')
    path.write_text(bad, encoding="utf-8")
    code, err = load(store, str(path))
    assert code == 1
    assert "SHACL violation(s)" in err and "ggsh:IndexShape-prefLabel" in err
    assert graphs(store) == before


def test_a_syntax_error_names_the_line(store, tmp_path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(INDEX + "<a> <b> .\n", encoding="utf-8")
    code, err = load(store, str(path))
    assert code == 1
    assert f"error: {path}: line 5: not valid Turtle" in err


def test_xml_entities_are_refused(store, tmp_path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        encoding="utf-8",
    )
    code, err = load(store, str(path))
    assert code == 1
    assert "RDF/XML with a document type declaration (<!DOCTYPE>/<!ENTITY>) is refused" in err


def test_a_remote_jsonld_context_is_refused(store, tmp_path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "name": "x"}', "utf-8")
    code, err = load(store, str(path))
    assert code == 1
    assert "remote contexts" in err


def test_bulk_loads_without_validation_and_records_provenance(store, tmp_path) -> None:
    path = tmp_path / "index.ttl"
    path.write_text(INDEX, encoding="utf-8")
    code, err = load(store, "--bulk", str(path))
    assert code == 0, err
    assert "loaded 1 of 1 file(s), 8 triples" in err  # the file's 2 and its provenance's 6
    imported = {g: n for g, n in graphs(store).items() if "/graph/import/" in g}
    assert sorted(imported.values()) == [2, 6]
