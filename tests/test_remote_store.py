"""The remote store against a real Oxigraph server on 127.0.0.1: the Store contract, the protocol
answers, errors, and the whole command line giving the answers of the embedded store.

The server is the ``oxigraph`` binary of the PyPI package ``oxigraph`` (the test extra), started
with ``--union-default-graph`` as docs/scaling.md requires.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from govgraph.cli import main
from govgraph.config import REPO_ROOT, Settings
from govgraph.errors import ConfigError, QueryError, QueryTimeoutError, StoreError
from govgraph.model.namespaces import ID, SKOS
from govgraph.store import MEMORY, EmbeddedStore, open_store
from govgraph.store.base import GRAPH_FORMATS, RESULT_FORMATS, QueryRequest
from govgraph.store.embedded import STAGING
from govgraph.store.remote import RemoteStore

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
G1, G2, G3, G4 = (ID[f"graph/test/{n}"] for n in ("one", "two", "three", "four"))
MA, KW, TN = ID["country/MA"], ID["country/KW"], ID["country/TN"]
ONE = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{MA}> skos:notation "MA" ; skos:prefLabel "Maroc"@fr, "المغرب"@ar .
<{KW}> skos:notation "KW" ; skos:prefLabel "Koweït"@fr ; skos:note [ skos:prefLabel "x"@en ] .
"""
TWO = f'<{TN}> <{SKOS.notation}> "TN" .\n'
# Excerpts of the data built for the command-line comparison: three announcements about the
# DCO Executive Committee for 2026 (one with its raw text), beside all the reference data.
ANNOUNCEMENTS = [
    "ma-mtnra/e8c76b1901d040da.yaml",
    "ma-mtnra/e8c76b1901d040da.txt",
    "press-atlasinfo/33ca91c102de405a.yaml",
    "press-lodj/d49e2a99ba9243cb.yaml",
]

pytestmark = pytest.mark.skipif(
    not OXIGRAPH.is_file(), reason="the oxigraph server is not installed (pip install oxigraph)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running Oxigraph server's endpoint URLs."""

    base: str

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    @property
    def graphs(self) -> str:
        return self.base + "/store"

    def settings(self, gsp: bool = True, **values: object) -> Settings:
        graphs = self.graphs if gsp else ""
        return Settings(store=self.query, store_update=self.update, store_graphs=graphs, **values)


@contextmanager
def oxigraph(location: Path, union: bool = True) -> Iterator[Server]:
    """Run ``oxigraph serve`` on a free port until the block ends (terminate, then kill)."""
    port = free_port()
    arguments = [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    log = (location.parent / f"{location.name}.log").open("wb")
    process = subprocess.Popen(
        [*arguments, *(["--union-default-graph"] if union else [])],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urlopen(server.query + "?query=ASK%7B%7D", timeout=1) as answer:
                    answer.read()
                break
            except (URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph did not start: {arguments}")
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with oxigraph(tmp_path_factory.mktemp("oxigraph") / "store") as running:
        yield running


@pytest.fixture(params=["gsp", "update"])
def remote(request: pytest.FixtureRequest, server: Server) -> RemoteStore:
    """An emptied remote store writing through the Graph Store Protocol, or SPARQL Update only."""
    store = RemoteStore.open(server.settings(gsp=request.param == "gsp"))
    store.update("DROP ALL")
    return store


def turtle(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


@pytest.fixture
def loaded(remote: RemoteStore) -> RemoteStore:
    remote.replace_graphs({G1: turtle(ONE), G2: turtle(TWO)})
    return remote


@pytest.fixture
def embedded() -> Iterator[EmbeddedStore]:
    """The embedded store holding what ``loaded`` holds, to compare answers with."""
    store = EmbeddedStore.open(MEMORY)
    store.replace_graphs({G1: turtle(ONE), G2: turtle(TWO)})
    yield store
    store.close()


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if to_isomorphic(expected) == to_isomorphic(actual):
        return
    _, only_expected, only_actual = graph_diff(expected, actual)
    pytest.fail(
        f"only in expected:\n{only_expected.serialize(format='nt')}\n"
        f"only in actual:\n{only_actual.serialize(format='nt')}"
    )


def counts(store: RemoteStore | EmbeddedStore) -> list[tuple[URIRef, int]]:
    return [(entry.name, entry.triples) for entry in store.graph_counts()]


# -- the Store contract ---------------------------------------------------------------------


def test_replace_graphs_writes_and_replaces(loaded: RemoteStore) -> None:
    assert counts(loaded) == [(G1, 7), (G2, 1)]
    before = loaded.version
    loaded.replace_graphs({G1: turtle(TWO)})
    assert loaded.version > before
    assert counts(loaded) == [(G1, 1), (G2, 1)]
    assert loaded.graph_names() == {G1, G2}


def test_export_graph_returns_the_graph_with_its_blank_nodes(loaded: RemoteStore) -> None:
    exported = loaded.export_graph(G1)
    assert exported.identifier == G1
    assert_isomorphic(turtle(ONE), exported)
    assert len(loaded.export_graph(G3)) == 0


def test_a_failing_batch_leaves_earlier_graphs_intact(loaded: RemoteStore) -> None:
    # G2's new content is staged first; the broken graph fails after it, so G2's staging
    # graph must be dropped and nothing moved.
    broken = Graph()
    broken.add((URIRef("not an iri"), SKOS.notation, Literal("x")))
    with pytest.raises(StoreError, match="cannot write graphs"):
        loaded.replace_graphs({G2: turtle(ONE), G3: broken})
    assert counts(loaded) == [(G1, 7), (G2, 1)]
    assert not any(str(name).startswith(STAGING) for name in loaded.graph_names())


def test_a_batch_the_server_refuses_changes_nothing(server: Server, loaded: RemoteStore) -> None:
    wrong = RemoteStore(server.query, server.update, server.base + "/no-such-path")
    with pytest.raises(StoreError, match=r"HTTP 404"):
        wrong.replace_graphs({G2: turtle(ONE)})
    assert counts(loaded) == [(G1, 7), (G2, 1)]


def test_an_empty_graph_removes_it_and_drop_graphs_removes_them(loaded: RemoteStore) -> None:
    loaded.replace_graphs({G2: Graph()})
    assert counts(loaded) == [(G1, 7)]
    loaded.replace_graphs({G2: turtle(TWO)})
    loaded.drop_graphs([G1, G2, G3])
    assert loaded.graph_counts() == [] and loaded.graph_names() == set()


def test_select_with_bindings_and_default_graphs(loaded: RemoteStore) -> None:
    query = "SELECT ?c ?code WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> ?code }"
    assert sorted(str(row["code"]) for row in loaded.select(query)) == ["KW", "MA", "TN"]
    assert loaded.select(query, {"c": MA}) == [{"c": MA, "code": Literal("MA")}]
    assert [str(r["code"]) for r in loaded.select(query, default_graphs=[G2])] == ["TN"]
    assert loaded.select(query, default_graphs=[]) == []
    labels = loaded.select(
        "SELECT ?c ?label WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
        "FILTER (lang(?label) = 'ar') }",
        {"c": MA},
    )
    assert labels == [{"c": MA, "label": Literal("المغرب", lang="ar")}]


def test_select_returns_rdflib_terms_like_the_embedded_store(loaded, embedded) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) }"
    rows = loaded.select(query)
    assert len(rows) == 6
    assert sorted(rows, key=repr) == sorted(embedded.select(query), key=repr)


def test_bindings_that_cannot_be_values_are_refused(loaded: RemoteStore) -> None:
    with pytest.raises(QueryError, match="a blank node cannot be bound"):
        loaded.select("SELECT ?s { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(QueryError, match="ends with its own VALUES clause"):
        loaded.select("SELECT ?s { ?s ?p ?o } VALUES ?s { <urn:x> }", {"s": MA})


def test_ask_and_construct(loaded: RemoteStore) -> None:
    ask = "ASK { ?c <http://www.w3.org/2004/02/skos/core#notation> ?code }"
    assert loaded.ask(ask, {"c": MA}) is True
    assert loaded.ask(ask, {"c": ID["country/FR"]}) is False
    built = loaded.construct(
        "CONSTRUCT { ?c <urn:code> ?code } WHERE "
        "{ ?c <http://www.w3.org/2004/02/skos/core#notation> ?code }",
        {"c": KW},
    )
    assert set(built) == {(KW, URIRef("urn:code"), Literal("KW"))}
    with pytest.raises(QueryError, match="expected a SELECT query"):
        loaded.select(ask)


def test_update_with_using_graphs(loaded: RemoteStore) -> None:
    loaded.update(
        f"INSERT {{ GRAPH <{G3}> {{ ?s <urn:copied> true }} }} WHERE {{ ?s ?p ?o }}",
        using_graphs=[str(G2)],
    )
    assert set(loaded.export_graph(G3)) == {(TN, URIRef("urn:copied"), Literal(True))}
    with pytest.raises(QueryError, match=r"refused the request \(HTTP 400\)"):
        loaded.update("INSERT DATA { <urn:a> }")


BULK_TRIG = f"""
<{G3}> {{ <{MA}> <urn:in> "three" . }}
<{KW}> <urn:in> "default" .
"""
BULK_TURTLE = f"""
<{TN}> <urn:name> "Tunisie"@fr ; <urn:note> [ <urn:text> "a blank node" ] .
"""


@pytest.mark.parametrize(
    ("name", "content", "graph", "expected"),
    [
        ("data.trig", BULK_TRIG, G4, [(G4, 1), (G3, 1)]),
        ("data.nq", f'<{MA}> <urn:in> "three" <{G3}> .\n<{KW}> <urn:in> "d" .\n', G4,
         [(G4, 1), (G3, 1)]),
        ("data.ttl", BULK_TURTLE, G4, [(G4, 3)]),
    ],
    ids=["trig", "nquads", "turtle"],
)  # fmt: skip
def test_bulk_load_like_the_embedded_store(
    remote: RemoteStore, tmp_path: Path, name: str, content: str, graph: URIRef, expected: list
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    sent = remote.bulk_load(path, graph)
    assert sent == sum(triples for _, triples in expected)
    assert counts(remote) == expected
    with EmbeddedStore.open(MEMORY) as local:
        assert local.bulk_load(path, graph) == sent
        assert counts(local) == expected
        for entry in local.graph_counts():
            assert_isomorphic(local.export_graph(entry.name), remote.export_graph(entry.name))


def test_bulk_load_refuses_bad_files(remote: RemoteStore, tmp_path: Path) -> None:
    unknown = tmp_path / "data.xls"
    unknown.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot tell the RDF format"):
        remote.bulk_load(unknown, G1)
    broken = tmp_path / "broken.nq"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match="broken.nq: cannot load"):
        remote.bulk_load(broken, G1)
    broken_turtle = tmp_path / "broken.ttl"  # POSTed as it is, once it has been read through
    broken_turtle.write_text(f"<{MA}> <urn:in> 'one' .\n<{KW}> <urn:in> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match="broken.ttl: cannot load.*line 2"):
        remote.bulk_load(broken_turtle, G1)
    assert counts(remote) == []
    with pytest.raises(StoreError, match="missing.ttl: cannot read"):
        remote.bulk_load(tmp_path / "missing.ttl", G1)


# -- execute: protocol answers ---------------------------------------------------------------

NAMES = (
    "SELECT ?c ?label WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
    "FILTER (isIRI(?c)) } ORDER BY ?c ?label"
)


@pytest.mark.parametrize("result_format", RESULT_FORMATS)
def test_execute_select_answers_like_the_embedded_store(loaded, embedded, result_format) -> None:
    for max_rows, rows, truncated in ((0, 3, False), (2, 2, True)):
        request = QueryRequest(NAMES, result_format, max_rows=max_rows)
        answer, expected = loaded.execute(request), embedded.execute(request)
        assert (answer.rows, answer.truncated) == (rows, truncated)
        assert answer.result_format == result_format
        assert answer.content == expected.content


@pytest.mark.parametrize("result_format", RESULT_FORMATS)
def test_execute_ask(loaded, embedded, result_format) -> None:
    request = QueryRequest("ASK { ?s ?p 'TN' }", result_format)
    assert loaded.execute(request) == embedded.execute(request)


@pytest.mark.parametrize("result_format", GRAPH_FORMATS)
def test_execute_construct(loaded, embedded, result_format) -> None:
    query = "CONSTRUCT WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o }"
    answer = loaded.execute(QueryRequest(query, result_format))
    expected = embedded.execute(QueryRequest(query, result_format))
    assert answer.rows == expected.rows == 4 and not answer.truncated
    if result_format in ("turtle", "ntriples"):
        parse_as = {"turtle": "turtle", "ntriples": "nt"}[result_format]
        assert_isomorphic(
            Graph().parse(data=expected.content, format=parse_as),
            Graph().parse(data=answer.content, format=parse_as),
        )
    cut = loaded.execute(QueryRequest(query, result_format, max_rows=3))
    assert (cut.rows, cut.truncated) == (3, True)


def test_execute_with_protocol_graphs(loaded: RemoteStore) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = loaded.execute(QueryRequest(query, "tsv", default_graphs=(str(G2),)))
    assert answer.content.splitlines()[1] == b"1"
    named = "SELECT ?g WHERE { GRAPH ?g { } }"
    answer = loaded.execute(QueryRequest(named, "tsv", named_graphs=(str(G1),)))
    assert answer.content.splitlines()[1:] == [f"<{G1}>".encode()]


def test_execute_refuses_a_format_the_form_cannot_have(loaded: RemoteStore) -> None:
    with pytest.raises(QueryError, match="cannot be written as 'json'"):
        loaded.execute(QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", "json"))
    with pytest.raises(QueryError, match="this is an update"):
        loaded.execute(QueryRequest("DROP ALL", "json"))


def test_a_malformed_query_gives_the_servers_message(loaded: RemoteStore) -> None:
    with pytest.raises(QueryError) as caught:
        loaded.execute(QueryRequest("SELECT * WHERE { ?s ?p", "json"))
    message = str(caught.value)
    assert message.startswith(f"{loaded.query_url} refused the request (HTTP 400): error at 1:")
    assert "Traceback" not in message and "QueryBadFormed" not in message


def test_service_is_refused_before_anything_is_sent() -> None:
    # Nothing listens on this port: a request would fail with StoreError, not QueryError.
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    query = "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    for run in (
        lambda: store.execute(QueryRequest(query, "json")),
        lambda: store.select(query),
        lambda: store.update("LOAD <http://example.org/data.ttl>"),
    ):
        with pytest.raises(QueryError, match="is refused"):
            run()


# -- errors: servers that are down, slow or misconfigured ------------------------------------


def test_a_server_that_is_not_running_gives_a_clear_error(runner: CliRunner) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError) as caught:
        open_store(Settings(store=url))
    assert str(caught.value).startswith(f"{url}: cannot reach the SPARQL server (")
    assert "is the server running" in str(caught.value)
    result = runner.invoke(main, ["--store", url, "stats"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {url}: cannot reach the SPARQL server")
    assert "Traceback" not in result.output


def test_a_server_that_does_not_answer_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        store = RemoteStore(base + "/query", graphs_url=base + "/store", timeout=0.5)
        with pytest.raises(QueryTimeoutError, match=r"no answer within 0.5 s \(query_timeout\)"):
            store.ask("ASK {}")
        with pytest.raises(QueryTimeoutError, match="no answer within 0.5 s"):
            store.replace_graphs({G1: turtle(TWO)})


def test_a_server_without_a_union_default_graph_is_refused(tmp_path: Path) -> None:
    with oxigraph(tmp_path / "plain", union=False) as plain:
        RemoteStore(plain.query, plain.update, plain.graphs).replace_graphs({G1: turtle(TWO)})
        with pytest.raises(StoreError, match="default graph is not the union"):
            RemoteStore.open(plain.settings())


def test_settings_that_are_not_urls_are_refused(server: Server) -> None:
    with pytest.raises(ConfigError, match="setting store_graphs: 'var/graphs' is not an http"):
        RemoteStore.open(Settings(store=server.query, store_graphs="var/graphs"))


# -- the whole command line, remote and embedded ---------------------------------------------


@dataclass(frozen=True)
class Built:
    """A remote and an embedded store built by `govgraph build` from the same data."""

    remote: list[str]
    embedded: list[str]
    env: dict[str, str]
    remote_build: str
    embedded_build: str


@pytest.fixture(scope="module")
def built_both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(REPO_ROOT / "data" / "reference", data / "reference")
    for name in ANNOUNCEMENTS:
        target = data / "announcements" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / "data" / "announcements" / name, target)
    env = {"GOVGRAPH_DATA_DIR": str(data)}
    runner = CliRunner()
    with oxigraph(tmp_path_factory.mktemp("cli") / "store") as running:
        remote_env = {
            **env,
            "GOVGRAPH_STORE_UPDATE": running.update,
            "GOVGRAPH_STORE_GRAPHS": running.graphs,
        }
        remote = ["--store", running.query]
        embedded = ["--store", str(tmp_path_factory.mktemp("embedded") / "store")]
        builds = []
        for arguments, environment in ((remote, remote_env), (embedded, env)):
            result = runner.invoke(main, [*arguments, "build"], env=environment)
            assert result.exit_code == 0, result.output
            builds.append(result.stderr)
        yield Built(remote, embedded, remote_env, *builds)


def without_location(summary: str) -> str:
    return "\n".join(line for line in summary.splitlines() if not line.startswith("store: "))


def test_build_on_the_remote_store_reports_what_the_embedded_build_does(built_both) -> None:
    assert "loaded 3 of 3 file(s)" in built_both.remote_build
    assert "validation: conforms (0 violations" in built_both.remote_build
    assert f"store: {built_both.remote[1]}" in built_both.remote_build
    assert without_location(built_both.remote_build) == without_location(built_both.embedded_build)


@pytest.mark.parametrize(
    "command",
    [["stats"], ["validate"], ["query", str(REPO_ROOT / "queries" / "excom_2026_members.rq")]],
    ids=["stats", "validate", "query"],
)
def test_commands_answer_as_on_the_embedded_store(built_both, command: list[str]) -> None:
    runner = CliRunner()
    remote = runner.invoke(main, [*built_both.remote, *command], env=built_both.env)
    embedded = runner.invoke(main, [*built_both.embedded, *command])
    assert remote.exit_code == embedded.exit_code == 0, remote.output
    assert remote.stdout == embedded.stdout
    assert remote.stderr == embedded.stderr
    if command[0] == "query":
        assert len(remote.stdout.splitlines()) > 2  # a header and rows from several documents


def test_the_endpoint_and_ui_serve_a_remote_store_unchanged(built_both, tmp_path: Path) -> None:
    from conftest import LiveServer

    served = LiveServer(built_both.remote[1], env=built_both.env, log_dir=tmp_path)
    try:
        query = urllib.parse.urlencode(
            {"query": "ASK { <https://w3id.org/govgraph/id/country/MA> ?p ?o }"}
        )
        with urllib.request.urlopen(f"{served.url}/sparql?{query}", timeout=30) as answer:
            assert json.loads(answer.read())["boolean"] is True
        catalogue = f"{served.url}/queries/excom_2026_members?format=csv"
        with urllib.request.urlopen(catalogue, timeout=30) as answer:
            remote_rows = answer.read().decode().splitlines()
        embedded = CliRunner().invoke(
            main,
            [*built_both.embedded, "query", str(REPO_ROOT / "queries" / "excom_2026_members.rq")],
        )
        assert len(remote_rows) == len(embedded.stdout.splitlines()) > 2
        page = urllib.request.Request(
            f"{served.url}/id/country/MA", headers={"Accept": "text/html"}
        )
        with urllib.request.urlopen(page, timeout=30) as answer:
            assert "المغرب" in answer.read().decode()
    finally:
        served.stop()
