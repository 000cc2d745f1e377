"""The command line, used as a user would: exit codes, summaries and exact error text."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Dataset

from govgraph.cli import main
from govgraph.config import REPO_ROOT
from govgraph.model.namespaces import ID, REFERENCE_GRAPH
from govgraph.store import EmbeddedStore


def test_build_loads_and_validates_into_the_store(full_build_result) -> None:
    assert "validation: conforms (0 violations" in full_build_result.summary
    assert "gg:Country" in full_build_result.summary
    with EmbeddedStore.open_read_only(full_build_result.location) as opened:
        names = {entry.name for entry in opened.graph_counts()}
        assert {ID["graph/ontology"], ID["graph/concepts"], REFERENCE_GRAPH} <= names
        rows = opened.select(
            "SELECT ?c ?label WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
            "FILTER(lang(?label) = 'ar') }",
            {"c": ID["country/MA"]},
        )
        assert [str(r["label"]) for r in rows] == ["المغرب"]


def test_build_twice_leaves_the_store_identical(runner, full_build: Path, full_copy: Path) -> None:
    with EmbeddedStore.open_read_only(full_build) as opened:
        first = opened.graph_counts()
    assert runner.invoke(main, ["--store", str(full_copy), "build"]).exit_code == 0
    with EmbeddedStore.open(full_copy) as opened:
        assert opened.graph_counts() == first


def test_build_refuses_nonconforming_reference_data_and_writes_nothing(runner, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "reference", data / "reference")
    (data / "reference" / "broken.ttl").write_text(
        "@prefix gg: <https://w3id.org/govgraph/ns#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/govgraph/id/country/ma> a gg:Country ; skos:notation \"ma\" .\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    env = {"GOVGRAPH_DATA_DIR": str(data)}
    result = runner.invoke(main, ["--store", str(store), "build"], env=env)
    assert result.exit_code == 1
    assert "error: reference data does not conform" in result.stderr
    assert "country/ma" in result.stderr
    assert not store.exists() or EmbeddedStore.open(store).count() == 0


def test_validate_files_reports_violations_and_exits_1(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "<https://w3id.org/govgraph/id/membership/x> a org:Membership .\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--store", ":memory:", "validate", str(bad)])
    assert result.exit_code == 1
    assert "Violation" in result.stderr and "org:member" in result.stderr


def test_validate_refuses_a_format_that_could_fetch(runner, tmp_path: Path) -> None:
    path = tmp_path / "data.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld"}', encoding="utf-8")
    result = runner.invoke(main, ["--store", ":memory:", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: cannot validate a .jsonld file; use one of .nq, .nt, .trig, .ttl\n"
    )


def test_validate_names_a_file_that_does_not_parse(runner, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .\n", encoding="utf-8")
    result = runner.invoke(main, ["--store", ":memory:", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: not valid turtle:")


def test_an_unknown_setting_in_the_config_file_exits_2(runner, tmp_path: Path) -> None:
    config = tmp_path / "govgraph.toml"
    config.write_text('[govgraph]\nstroe = "x"\n', encoding="utf-8")
    result = runner.invoke(main, ["--config", str(config), "stats"])
    assert result.exit_code == 2
    assert "unknown setting(s) stroe" in result.stderr


def test_query_prints_csv(runner, full_copy: Path) -> None:
    result = runner.invoke(
        main,
        [
            "--store", str(full_copy), "query",
            "SELECT ?code WHERE { <https://w3id.org/govgraph/id/country/KW> "
            "<http://www.w3.org/2004/02/skos/core#notation> ?code }",
        ],
    )
    assert result.exit_code == 0
    assert result.stdout == "code\nKW\n"


def test_a_malformed_query_exits_2_with_the_parser_message(runner) -> None:
    result = runner.invoke(main, ["--store", ":memory:", "query", "SELECT ?x WHERE {"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: malformed SPARQL query:")


def test_synth_writes_parseable_nquads(runner, tmp_path: Path) -> None:
    out = tmp_path / "synth.nq"
    result = runner.invoke(main, ["synth", "--triples", "2000", "--seed", "7", "--out", str(out)])
    assert result.exit_code == 0, result.output
    dataset = Dataset()
    dataset.parse(out, format="nquads")
    assert 1960 <= sum(1 for _ in dataset.quads()) <= 2040


def test_the_built_store_validates_announcement_by_announcement(
    runner, full_build_result, full_copy: Path
) -> None:
    """Sources that disagree (two ranks, two accession dates) are not violations."""
    assert "; 0 failed" in full_build_result.summary
    result = runner.invoke(main, ["--store", str(full_copy), "validate", "--hide-warnings"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("0 violation(s), ")
