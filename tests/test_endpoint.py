"""The SPARQL service over HTTP: protocol, formats, clients, limits, writes, descriptions.

Every test talks to a real `govgraph serve` (gunicorn) on 127.0.0.1 through real clients:
urllib, SPARQLWrapper, and rdflib's SPARQLStore.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper

from conftest import LiveServer

SD = "http://www.w3.org/ns/sparql-service-description#"
COUNTRIES = (
    "SELECT ?c ?code WHERE { ?c a <https://w3id.org/govgraph/ns#Country> ; "
    "<http://www.w3.org/2004/02/skos/core#notation> ?code } ORDER BY ?code"
)
MOROCCO = URIRef("https://w3id.org/govgraph/id/country/MA")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TOKEN = "test-token"


def request(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Send one HTTP request; return status, headers and body (errors included)."""
    prepared = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(prepared, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get(server: LiveServer, path: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    query = urllib.parse.urlencode(params)
    return request(f"{server.url}{path}?{query}" if params else server.url + path)


def post_form(server: LiveServer, fields: list[tuple[str, str]], **headers: str):
    body = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    return request(server.url + "/sparql", body, headers)


def error_of(body: bytes) -> str:
    payload = json.loads(body)
    assert set(payload) == {"error", "status"}
    return str(payload["error"])


@pytest.fixture(scope="module")
def limited(built: Path, tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    """A writable server with tight limits, on a private copy of the reference build."""
    copy = tmp_path_factory.mktemp("limited") / "store"
    shutil.copytree(built, copy)
    server = LiveServer(
        copy,
        env={
            "GOVGRAPH_QUERY_TIMEOUT": "1.5",
            "GOVGRAPH_MAX_ROWS": "5",
            "GOVGRAPH_MAX_BODY": "4000",
            "GOVGRAPH_CORS_ORIGINS": "https://app.example",
            "GOVGRAPH_WRITE_TOKEN": TOKEN,
        },
    )
    yield server
    server.stop()


# --- Protocol operations -------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(live_server: LiveServer) -> None:
    by_get = get(live_server, "/sparql", query=COUNTRIES)
    by_form = post_form(live_server, [("query", COUNTRIES)])
    direct = request(
        live_server.url + "/sparql",
        COUNTRIES.encode(),
        {"Content-Type": "application/sparql-query"},
    )
    assert by_get[0] == by_form[0] == direct[0] == 200
    assert by_get[2] == by_form[2] == direct[2]
    rows = json.loads(by_get[2])["results"]["bindings"]
    assert len(rows) == 249
    assert {"type": "literal", "value": "MA"} in [row["code"] for row in rows]


def test_protocol_errors_get_the_status_the_specification_names(live_server: LiveServer) -> None:
    status, _, body = get(live_server, "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and "2 `query` parameters" in error_of(body)
    status, _, body = post_form(live_server, [("query", "ASK {}"), ("update", "CLEAR ALL")])
    assert status == 400 and "both `query` and `update`" in error_of(body)
    status, _, body = request(
        live_server.url + "/sparql", b"ASK {}", {"Content-Type": "text/plain"}
    )
    assert status == 415 and "application/sparql-query" in error_of(body)
    status, _, body = post_form(live_server, [("default-graph-uri", "http://example.org/g")])
    assert status == 400 and "needs a `query` or an `update`" in error_of(body)
    status, headers, _ = request(live_server.url + "/sparql", method="PUT")
    assert status == 405 and "POST" in headers["Allow"]
    status, _, body = get(live_server, "/sparql", update="CLEAR ALL")
    assert status == 405 and "POST" in error_of(body)


def test_a_malformed_query_gets_400_with_the_parser_message_and_position(
    live_server: LiveServer,
) -> None:
    status, _, body = get(live_server, "/sparql", query="SELECT * WHERE { ?s ?p }")
    assert status == 400
    assert "malformed SPARQL query: error at 1:25" in error_of(body)


def test_the_protocol_dataset_replaces_the_union_default_graph(live_server: LiveServer) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = json.loads(get(live_server, "/sparql", query=count)[2])
    reference = json.loads(
        get(
            live_server,
            "/sparql",
            query=count,
            **{"default-graph-uri": "https://w3id.org/govgraph/id/graph/reference"},
        )[2]
    )
    total = int(everything["results"]["bindings"][0]["n"]["value"])
    part = int(reference["results"]["bindings"][0]["n"]["value"])
    assert 0 < part < total
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    only_named = json.loads(
        get(
            live_server,
            "/sparql",
            query=named,
            **{"named-graph-uri": "https://w3id.org/govgraph/id/graph/reference"},
        )[2]
    )
    assert int(only_named["results"]["bindings"][0]["n"]["value"]) == part


# --- Formats and negotiation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        (
            "image/png;q=0.9, text/tab-separated-values;q=0.1",
            "text/tab-separated-values; charset=utf-8",
        ),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_answers_are_negotiated_with_q_values(
    live_server: LiveServer, accept: str, expected: str
) -> None:
    url = f"{live_server.url}/sparql?{urllib.parse.urlencode({'query': COUNTRIES})}"
    status, headers, body = request(url, headers={"Accept": accept})
    assert status == 200
    assert headers["Content-Type"] == expected
    assert "Morocco" not in body.decode() and "MA" in body.decode()


@pytest.mark.parametrize(
    ("form", "accept", "expected"),
    [
        ("construct", "text/turtle", "text/turtle; charset=utf-8"),
        ("construct", "application/n-triples", "application/n-triples"),
        ("construct", "application/ld+json", "application/ld+json"),
        ("construct", "application/rdf+xml", "application/rdf+xml"),
        ("construct", "application/trig", "application/trig"),
        ("construct", "application/n-quads", "application/n-quads"),
        ("describe", "text/turtle", "text/turtle; charset=utf-8"),
    ],
)
def test_graph_answers_parse_in_every_rdf_format(
    live_server: LiveServer, form: str, accept: str, expected: str
) -> None:
    query = (
        f"CONSTRUCT {{ <{MOROCCO}> ?p ?o }} WHERE {{ <{MOROCCO}> ?p ?o }}"
        if form == "construct"
        else f"DESCRIBE <{MOROCCO}>"
    )
    url = f"{live_server.url}/sparql?{urllib.parse.urlencode({'query': query})}"
    status, headers, body = request(url, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"] == expected
    rdflib_format = {
        "text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
        "application/rdf+xml": "xml", "application/trig": "trig", "application/n-quads": "nquads",
    }[accept]  # fmt: skip
    graph = Dataset(default_union=True).parse(data=body, format=rdflib_format)
    assert (MOROCCO, None, Literal("المغرب", lang="ar")) in graph


def test_the_format_parameter_wins_and_an_unacceptable_accept_gets_406(
    live_server: LiveServer,
) -> None:
    url = f"{live_server.url}/sparql?{urllib.parse.urlencode({'query': 'ASK {}', 'format': 'csv'})}"
    status, headers, body = request(url, headers={"Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.strip() == b"true"
    url = f"{live_server.url}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    status, _, body = request(url, headers={"Accept": "image/png"})
    assert status == 406 and "application/sparql-results+json" in error_of(body)
    status, _, body = get(live_server, "/sparql", query="ASK {}", format="turtle")
    assert status == 406 and "format 'turtle' cannot carry this answer" in error_of(body)


# --- Real clients --------------------------------------------------------------------------


@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_reads_every_select_format(live_server: LiveServer, return_format) -> None:
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(COUNTRIES)
    client.setReturnFormat(return_format)
    result = client.query().convert()
    if return_format == JSON:
        codes = [row["code"]["value"] for row in result["results"]["bindings"]]
    elif return_format == XML:
        namespace = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(result.toxml())  # SPARQLWrapper gives a minidom Document
        codes = [
            binding.find(f"{namespace}literal").text
            for binding in root.iter(f"{namespace}binding")
            if binding.get("name") == "code"
        ]
    else:
        text = result.decode() if isinstance(result, bytes) else result
        delimiter = "," if return_format == CSV else "\t"
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        column = rows[0].index("code" if return_format == CSV else "?code")
        codes = [row[column].strip('"') for row in rows[1:]]
    assert len(codes) == 249 and "MA" in codes


@pytest.mark.parametrize("return_format", [TURTLE, JSONLD, XML])
def test_sparqlwrapper_reads_construct_answers(live_server: LiveServer, return_format) -> None:
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(f"CONSTRUCT {{ <{MOROCCO}> ?p ?o }} WHERE {{ <{MOROCCO}> ?p ?o }}")
    client.setReturnFormat(return_format)
    graph = client.queryAndConvert()
    if not isinstance(graph, Graph):
        graph = Graph().parse(data=graph, format="turtle" if return_format == TURTLE else "json-ld")
    assert (MOROCCO, None, Literal("Maroc", lang="fr")) in graph


def test_sparqlwrapper_ask(live_server: LiveServer) -> None:
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(f"ASK {{ <{MOROCCO}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_is_a_second_client(live_server: LiveServer) -> None:
    remote = Graph(SPARQLStore(query_endpoint=live_server.url + "/sparql", returnFormat="xml"))
    rows = list(remote.query(COUNTRIES))
    assert len(rows) == 249
    assert (MOROCCO, Literal("MA")) in [(row[0], row[1]) for row in rows]
    assert remote.query(f"ASK {{ <{MOROCCO}> ?p ?o }}").askAnswer is True


# --- Descriptions and operations ------------------------------------------------------------


def test_service_description_names_the_real_endpoint(live_server: LiveServer) -> None:
    status, headers, body = request(live_server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    service = graph.value(predicate=RDF.type, object=URIRef(SD + "Service"))
    assert graph.value(service, URIRef(SD + "endpoint")) == URIRef(live_server.url + "/sparql")
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in graph
    languages = set(graph.objects(service, URIRef(SD + "supportedLanguage")))
    assert languages == {URIRef(SD + "SPARQL11Query")}  # read-only: no Update advertised


def test_a_browser_asking_for_the_endpoint_is_sent_to_the_ui(live_server: LiveServer) -> None:
    prepared = urllib.request.Request(
        live_server.url + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"}
    )
    with urllib.request.urlopen(prepared, timeout=30) as answer:
        assert answer.url == live_server.url + "/"


def test_void_counts_match_the_store(live_server: LiveServer) -> None:
    status, _, body = get(live_server, "/void")
    assert status == 200
    graph = Graph().parse(data=body, format="turtle")
    dataset = URIRef("https://w3id.org/govgraph/id/dataset")
    assert (dataset, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in graph
    count = json.loads(
        get(live_server, "/sparql", query="SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[2]
    )
    assert int(graph.value(dataset, VOID.triples)) == int(
        count["results"]["bindings"][0]["n"]["value"]
    )
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(live_server.url + "/sparql")


def test_healthz_and_the_access_log(live_server: LiveServer) -> None:
    status, _, body = get(live_server, "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    marker = (
        "SELECT ?code WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> ?code } LIMIT 3"
    )
    get(live_server, "/sparql", query=marker)
    get(live_server, "/sparql", query=marker)
    time.sleep(0.3)
    lines = [line for line in live_server.log.read_text().splitlines() if '"GET /sparql"' in line]
    assert any("200 rows=3 cached=False" in line and line.endswith(" ms") for line in lines)
    assert any("200 rows=3 cached=True" in line for line in lines)


def test_cross_origin_reads_never_carry_credentials(live_server: LiveServer) -> None:
    url = f"{live_server.url}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    _, headers, _ = request(url, headers={"Origin": "https://elsewhere.example"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = request(
        live_server.url + "/sparql",
        method="OPTIONS",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]


def test_an_allow_list_of_origins_is_not_reflected_for_others(limited: LiveServer) -> None:
    url = f"{limited.url}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    _, headers, _ = request(url, headers={"Origin": "https://app.example"})
    assert headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Origin" in headers["Vary"]
    _, headers, _ = request(url, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers


# --- Limits ---------------------------------------------------------------------------------


def worker_pids(store: str) -> set[int]:
    """Return the pids of the query (read) processes serving ``store`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"govgraph.store.worker" in command and store.encode() in command and b"read" in command:
            found.add(int(entry.name))
    return found


def test_a_query_past_the_time_limit_is_stopped_with_503(limited: LiveServer) -> None:
    store = str(limited.log.parent / "store")
    before = worker_pids(store)
    assert len(before) == 2
    started = time.monotonic()
    status, headers, body = get(limited, "/sparql", query=SLOW)
    elapsed = time.monotonic() - started
    assert status == 503 and headers["Retry-After"]
    assert "ran past the time limit of 1.5 s and was stopped" in error_of(body)
    assert 1.4 < elapsed < 5
    time.sleep(0.5)
    after = worker_pids(store)
    assert len(after) == 2 and after != before  # the runaway process was killed and replaced
    assert get(limited, "/sparql", query="ASK {}")[0] == 200


def test_a_crashed_query_process_costs_only_that_query(limited: LiveServer) -> None:
    store = str(limited.log.parent / "store")
    answers: list[tuple[int, dict[str, str], bytes]] = []
    slow = threading.Thread(
        target=lambda: answers.append(get(limited, "/sparql", query=SLOW + " #crash"))
    )
    before = worker_pids(store)
    slow.start()
    time.sleep(0.5)
    busy = [pid for pid in before if Path(f"/proc/{pid}/stat").read_text().split()[2] == "R"]
    assert busy, "the slow query should be running in a worker"
    os.kill(busy[0], 9)
    slow.join()
    status, _, body = answers[0]
    assert status == 400 and "crashed the process evaluating it" in error_of(body)
    assert get(limited, "/sparql", query="ASK {}")[0] == 200


def test_deep_nesting_is_refused_before_evaluation(live_server: LiveServer) -> None:
    query = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    status, _, body = request(
        live_server.url + "/sparql", query.encode(), {"Content-Type": "application/sparql-query"}
    )
    assert status == 400 and "nests groups more than 200 deep" in error_of(body)
    assert get(live_server, "/sparql", query="ASK {}")[0] == 200


def test_answers_are_cut_at_the_row_cap(limited: LiveServer) -> None:
    status, headers, body = get(limited, "/sparql", query=COUNTRIES, format="tsv")
    assert status == 200
    assert len(body.decode().splitlines()) == 1 + 5
    assert "max_rows=5" in headers["X-Govgraph-Truncated"]
    status, headers, body = get(limited, "/sparql", query=COUNTRIES + " LIMIT 3")
    assert len(json.loads(body)["results"]["bindings"]) == 3
    assert "X-Govgraph-Truncated" not in headers


def test_a_request_body_over_the_cap_gets_413(limited: LiveServer) -> None:
    query = "ASK { ?s ?p ?o } #" + "x" * 5000
    status, _, body = request(
        limited.url + "/sparql", query.encode(), {"Content-Type": "application/sparql-query"}
    )
    assert status == 413 and error_of(body)


class Canary(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def test_service_and_load_are_refused_and_nothing_is_fetched(limited: LiveServer) -> None:
    canary = ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{canary.server_address[1]}/sparql"
    try:
        status, _, body = get(
            limited, "/sparql", query=f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
        )
        assert status == 403 and f"SERVICE <{target}> is refused" in error_of(body)
        status, _, body = post_form(
            limited, [("update", f"LOAD <{target}>")], Authorization=f"Bearer {TOKEN}"
        )
        assert status == 403 and f"LOAD <{target}> is refused" in error_of(body)
        status, _, _ = get(limited, "/sparql", query=f"SELECT * FROM <{target}> {{ ?s ?p ?o }}")
        assert status == 200
    finally:
        canary.shutdown()
        canary.server_close()
    assert Canary.hits == []


# --- Writes ---------------------------------------------------------------------------------


def test_a_read_only_server_refuses_every_write(live_server: LiveServer) -> None:
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"  # noqa: E501
    status, _, body = post_form(live_server, [("update", update)], Authorization="Bearer anything")
    assert status == 403 and "read-only" in error_of(body)
    status, _, _ = request(
        live_server.url + "/store?graph=http://example.org/g",
        b"<http://example.org/a> <http://example.org/b> 1 .",
        {"Content-Type": "application/n-triples"},
        method="PUT",
    )
    assert status == 403


def test_updates_need_the_token_and_invalidate_cached_answers(limited: LiveServer) -> None:
    query = "SELECT ?o WHERE { GRAPH <http://example.org/made-up> { ?s ?p ?o } }"
    assert json.loads(get(limited, "/sparql", query=query)[2])["results"]["bindings"] == []
    update = "INSERT DATA { GRAPH <http://example.org/made-up> { <http://example.org/a> <http://example.org/b> 'made up' } }"  # noqa: E501
    status, headers, _ = post_form(limited, [("update", update)])
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    status, _, _ = post_form(limited, [("update", update)], Authorization="Bearer wrong")
    assert status == 401
    status, _, _ = request(
        limited.url + "/sparql",
        update.encode(),
        {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert status == 204
    rows = json.loads(get(limited, "/sparql", query=query)[2])["results"]["bindings"]
    assert rows == [{"o": {"type": "literal", "value": "made up"}}]
    status, _, _ = post_form(
        limited, [("update", "DROP GRAPH <http://example.org/made-up>")],
        Authorization=f"Bearer {TOKEN}",
    )  # fmt: skip
    assert status == 204
    assert json.loads(get(limited, "/sparql", query=query)[2])["results"]["bindings"] == []


def test_writes_to_the_default_graph_are_refused_and_the_union_stays_exact(
    limited: LiveServer,
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = get(limited, "/sparql", query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2]
    loose = "INSERT DATA { <http://example.org/a> <http://example.org/b> 'no graph' }"
    readers = worker_pids(str(limited.log.parent / "store"))
    status, _, body = post_form(limited, [("update", loose)], **auth)
    assert status == 403 and "write into a named graph" in error_of(body)
    assert worker_pids(str(limited.log.parent / "store")) == readers  # refused by a reader
    status, _, body = request(
        limited.url + "/store?default", b"<http://example.org/a> <http://example.org/b> 1 .",
        {"Content-Type": "application/n-triples", **auth}, method="PUT",
    )  # fmt: skip
    assert status == 403 and "?graph=<IRI>" in error_of(body)
    assert get(limited, "/sparql", query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2] == before
    # A fact that two graphs state is one triple of the default graph.
    fact = "<http://example.org/a> <http://example.org/b> 'made up'"
    twice = f"INSERT DATA {{ GRAPH <http://example.org/one> {{ {fact} }} " \
            f"GRAPH <http://example.org/two> {{ {fact} }} }}"  # fmt: skip
    assert post_form(limited, [("update", twice)], **auth)[0] == 204
    try:
        count = json.loads(get(limited, "/sparql", query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2])
        assert int(count["results"]["bindings"][0]["n"]["value"]) == int(
            json.loads(before)["results"]["bindings"][0]["n"]["value"]
        ) + 1
    finally:
        drop = "DROP GRAPH <http://example.org/one> ; DROP GRAPH <http://example.org/two>"
        assert post_form(limited, [("update", drop)], **auth)[0] == 204
    assert get(limited, "/sparql", query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2] == before


def test_the_graph_store_protocol_round_trip(limited: LiveServer) -> None:
    graph = "http://example.org/gsp-made-up"
    url = f"{limited.url}/store?graph={urllib.parse.quote(graph, safe='')}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert request(url)[0] == 404
    turtle = b"<http://example.org/a> <http://example.org/b> 'one' ."
    status, _, _ = request(url, turtle, {"Content-Type": "text/turtle", **auth}, method="PUT")
    assert status == 201
    more = b"<http://example.org/a> <http://example.org/b> 'two' ."
    status, _, _ = request(url, more, {"Content-Type": "text/turtle", **auth}, method="POST")
    assert status == 204
    status, headers, body = request(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    values = {str(o) for o in Graph().parse(data=body, format="nt").objects()}
    assert values == {"one", "two"}
    status, _, body = request(
        url, b"not turtle {", {"Content-Type": "text/turtle", **auth}, method="PUT"
    )
    assert status == 400 and "not valid Turtle" in error_of(body)
    values_after = {
        str(o)
        for o in Graph()
        .parse(data=request(url, headers={"Accept": "application/n-triples"})[2], format="nt")
        .objects()
    }  # noqa: E501
    assert values_after == {"one", "two"}  # a failed PUT leaves the graph as it was
    assert request(url, method="DELETE", headers=auth)[0] == 204
    assert request(url)[0] == 404
    assert request(url, method="DELETE")[0] == 401


# --- Starting the server --------------------------------------------------------------------


def test_serve_says_what_to_do_without_a_store(runner, tmp_path: Path) -> None:
    from govgraph.cli import main

    result = runner.invoke(main, ["--store", str(tmp_path / "none"), "serve"])
    assert result.exit_code == 1
    assert "there is no store here; build one first with `govgraph build`" in result.stderr
    result = runner.invoke(main, ["--store", ":memory:", "serve"])
    assert result.exit_code == 2 and "not ':memory:'" in result.stderr


def test_a_served_store_cannot_be_written_by_another_process(
    live_server: LiveServer, runner
) -> None:
    from govgraph.cli import main

    store = live_server.log.parent / "store"
    result = runner.invoke(main, ["--store", str(store), "build"])
    assert result.exit_code == 1
    assert "a govgraph server is serving this store; stop it first" in result.stderr
    assert get(live_server, "/sparql", query=f"ASK {{ <{MOROCCO}> ?p ?o }}")[0] == 200


def test_a_second_server_on_the_same_store_is_refused(live_server: LiveServer, runner) -> None:
    from govgraph.cli import main

    store = live_server.log.parent / "store"
    result = runner.invoke(main, ["--store", str(store), "serve", "--port", "0"])
    assert result.exit_code == 1
    assert "a govgraph server is serving this store" in result.stderr
