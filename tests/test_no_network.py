"""No input makes govgraph fetch anything: a canary HTTP server on 127.0.0.1 counts requests."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.config import REPO_ROOT


class Canary(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(b'{"@context": {"name": "http://schema.org/name"}}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    Canary.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_canary_answers(canary: str) -> None:
    from urllib.request import urlopen

    with urlopen(canary + "/ping") as response:  # noqa: S310 - our own loopback canary
        assert response.status == 200
    assert Canary.hits == ["/ping"]


def test_urls_in_a_record_are_never_fetched(canary: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "reference", data / "reference")
    announcements = data / "announcements"
    announcements.mkdir()
    for name in ("good.yaml", "good.txt"):
        shutil.copy(REPO_ROOT / "tests" / "data" / "announcements" / name, announcements / name)
    record = announcements / "good.yaml"
    text = record.read_text(encoding="utf-8").replace(
        "issued: 2031-01-15", f"issued: 2031-01-15\nurl: {canary}/page\nurls: [{canary}/other]"
    )
    record.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "store"), "build"], env={"GOVGRAPH_DATA_DIR": str(data)}
    )
    assert result.exit_code == 0, result.output
    assert "loaded 1 of 1" in result.stderr
    assert Canary.hits == []


def test_owl_imports_and_remote_contexts_are_not_followed(canary: str, tmp_path: Path) -> None:
    turtle = tmp_path / "imports.ttl"
    turtle.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<https://w3id.org/govgraph/id/x> owl:imports <{canary}/ontology.ttl> .\n",
        encoding="utf-8",
    )
    jsonld = tmp_path / "remote.jsonld"
    jsonld.write_text(f'{{"@context": "{canary}/context.jsonld", "name": "x"}}', "utf-8")
    xml = tmp_path / "entity.rdf"
    xml.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{canary}/entity">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(main, ["--store", ":memory:", "validate", str(turtle)]).exit_code == 0
    for path in (jsonld, xml):
        result = runner.invoke(main, ["--store", ":memory:", "validate", str(path)])
        assert result.exit_code == 1
        assert "cannot validate a" in result.stderr
    assert Canary.hits == []


def test_a_service_clause_is_refused_before_anything_is_sent(canary: str) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{canary}/sparql> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(main, ["--store", ":memory:", "query", query])
    assert result.exit_code == 2
    assert f"SERVICE <{canary}/sparql> is refused" in result.stderr
    nested = (
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT ?x WHERE { "
        f"SERVICE SILENT <{canary}/sparql> {{ ?x ?y ?z }} }} }} }} }}"
    )
    result = CliRunner().invoke(main, ["--store", ":memory:", "query", nested])
    assert result.exit_code == 2
    assert f"SERVICE <{canary}/sparql> is refused" in result.stderr
    escaped = f"SELECT * WHERE {{ \\u0053ERVICE <{canary}/sparql> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(main, ["--store", ":memory:", "query", escaped])
    assert result.exit_code == 2
    assert "is refused (line 1, column 18)" in result.stderr
    load = f"LOAD <{canary}/data.ttl>"
    result = CliRunner().invoke(main, ["--store", ":memory:", "query", load])
    assert result.exit_code == 2
    assert "LOAD" in result.stderr
    assert Canary.hits == []
