"""SPARQL endpoint speed: `govgraph serve` beside Oxigraph's own server and rdflib-endpoint.

Prints figures and PASS/FAIL against the targets; asserts nothing. Usage, from the repository root:
    .venv/bin/python bench/endpoint_speed.py [--sizes 100000,1000000] [--seconds 15] [--rounds 2]
        [--mix default,provenance] [--rdflib-cycles 2] [--rdflib-timeout 60]
        [--rdflib-max 1000000] [--govgraph-args "--workers 2 --threads 8"] [--workdir DIR]

For each size, `govgraph synth` writes that many synthetic quads; a govgraph store is built from
the reference data alone (a copy of data/reference, no announcements) and bulk-loaded with them;
the whole store is dumped as N-Quads, and that one file is what Oxigraph (`oxigraph load`, on
disk, served with ``--union-default-graph``) and rdflib-endpoint (an in-memory rdflib
``Dataset(default_union=True)`` under uvicorn) load, so the three servers hold the same quads.
Everything lives in a temporary folder (or ``--workdir``, kept and reused by the next run:
stores already loaded there are not loaded again, and their load times are the first run's).

The mix is thirteen SELECT queries over the synthetic vocabulary (``build_templates``), each with
parameters drawn from the data, in two families: nine *default* ones read the default graph (the
union of all graphs), four *provenance* ones read a fact in the named graph of the announcement
that states it and join the graph's ``prov:wasDerivedFrom``, as every query of the catalogue does
(``--mix`` picks one family). Two modes: *unique* (no request repeats an earlier text, so no cache
can answer) and *repeated* (three texts per query cycled, as a catalogue of saved queries is used).
Each mode runs with 1 and 4 client threads, each on its own keep-alive connection, sending ``GET
<path>?query=`` with ``Accept: application/sparql-results+json``, for ``--seconds`` per cell; each
cell runs ``--rounds`` times, servers alternating, and the best round is kept, since the machine
may be shared (rdflib-endpoint: one round of ``--rdflib-cycles`` times the mix, each request cut at
``--rdflib-timeout``). The client shares the machine's cores with the servers. Row counts of every
text answered by two servers are compared. Two probes (``build_probes``), sent once each, show what
a triple repeated in many named graphs costs in each union default graph.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ACCEPT = "application/sparql-results+json"
SYNTH = "https://w3id.org/govgraph/synth/id/"
PREFIXES = """PREFIX gg: <https://w3id.org/govgraph/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX person: <http://www.w3.org/ns/person#>
PREFIX schema: <http://schema.org/>
PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
CLASSES = (
    "gg:Announcement", "gg:Candidacy", "gg:RankChange", "gg:Ranking", "gg:AssemblySession",
    "gg:Election", "gg:Occupancy", "gg:Initiative", "org:Membership", "org:Post",
    "person:Person", "cv:Participation",
)  # fmt: skip
PROVENANCE = "provenance"
FAMILIES = ("default", PROVENANCE)
BIG_LIMIT = 10_000
"""A LIMIT above any answer's size: varying it makes texts unique without changing answers."""
REPEATED_PER_TEMPLATE = 3


# -- the query mix ------------------------------------------------------------------------------


@dataclass
class Template:
    """A parametrized query: ``render(params, limit)`` and the parameter combinations to draw."""

    name: str
    render: Callable[[tuple, int], str]
    combos: list[tuple]
    limit_step: int = 1  # the LIMIT of a text is combo limit (or BIG_LIMIT) + step * cycle
    family: str = "default"  # or PROVENANCE: reads named graphs with the graph's source

    def text(self, j: int) -> str:
        """The j-th text of this template: j below len(combos) never repeats, nor beyond."""
        combo = self.combos[j % len(self.combos)]
        cycle = j // len(self.combos)
        return self.render(combo, cycle * self.limit_step)


def _lookup(combo: tuple, extra: int) -> str:
    (iri,) = combo
    return f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {BIG_LIMIT + extra}"


def _delegates(combo: tuple, extra: int) -> str:
    (country,) = combo
    return PREFIXES + f"""SELECT DISTINCT ?session ?person ?post WHERE {{
  ?participation gg:onBehalfOf <{country}> ; cv:hasParticipant ?person ;
                 gg:inCapacityOf ?post .
  ?session cv:hasParticipation ?participation .
}} LIMIT {BIG_LIMIT + extra}"""


def _rank_gains(combo: tuple, extra: int) -> str:
    index, places = combo
    return PREFIXES + f"""SELECT DISTINCT ?country ?year ?delta WHERE {{
  ?change gg:index <{index}> ; gg:rankDelta ?delta ; gg:rankedEntity ?country ;
          gg:refPeriod ?year .
  FILTER(?delta >= {places})
}} LIMIT {BIG_LIMIT + extra}"""


def _terms_per_country(combo: tuple, extra: int) -> str:
    (organ,) = combo
    return PREFIXES + f"""SELECT ?country (COUNT(DISTINCT ?membership) AS ?terms)
       (MAX(?n) AS ?n_max) WHERE {{
  ?membership org:organization <{organ}> ; org:member ?country ; gg:consecutiveTerm ?n .
}} GROUP BY ?country ORDER BY DESC(?terms) ?country LIMIT {BIG_LIMIT + extra}"""


def _announcements(combo: tuple, extra: int) -> str:
    publisher, year = combo
    return PREFIXES + f"""SELECT ?doc ?issued ?title WHERE {{
  ?doc dcterms:publisher <{publisher}> ; dcterms:issued ?issued .
  FILTER(?issued >= "{year}-01-01"^^xsd:date && ?issued <= "{year}-12-31"^^xsd:date)
  OPTIONAL {{ ?doc dcterms:title ?title FILTER(LANG(?title) = "fr") }}
}} LIMIT {BIG_LIMIT + extra}"""


def _label_search(combo: tuple, extra: int) -> str:
    (number,) = combo
    return PREFIXES + f"""SELECT ?person ?name WHERE {{
  ?person a person:Person ; skos:prefLabel ?name .
  FILTER(LANG(?name) = "en" && CONTAINS(?name, "Person {number}"))
}} LIMIT {BIG_LIMIT + extra}"""


def _count_class(combo: tuple, extra: int) -> str:
    (cls,) = combo
    return PREFIXES + f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}
LIMIT {BIG_LIMIT + extra}"""


def _top_ranked(combo: tuple, extra: int) -> str:
    index, year, limit = combo
    return PREFIXES + f"""SELECT DISTINCT ?country ?rank WHERE {{
  ?ranking gg:index <{index}> ; gg:refPeriod "{year}"^^xsd:gYear ;
           gg:rankedEntity ?country ; gg:rank ?rank .
}} ORDER BY ?rank ?country LIMIT {limit + extra}"""


def _attendees(combo: tuple, extra: int) -> str:
    (session,) = combo
    return PREFIXES + f"""SELECT DISTINCT ?person ?name ?country WHERE {{
  <{session}> cv:hasParticipation ?part .
  ?part cv:hasParticipant ?person ; gg:onBehalfOf ?country .
  ?person skos:prefLabel ?name FILTER(LANG(?name) = "en")
}} LIMIT {BIG_LIMIT + extra}"""


# The provenance family: the form of every query of the catalogue (queries/*.rq) and of the
# /id/ pages, a fact read in the named graph of the announcement that states it, joined to that
# announcement by the graph's prov:wasDerivedFrom.


def _facts_with_sources(combo: tuple, extra: int) -> str:
    (election,) = combo  # the /id/ page's query (endpoint/linked_data.py)
    return PREFIXES + f"""SELECT ?p ?o ?doc WHERE {{
  GRAPH ?g {{ <{election}> ?p ?o }}
  ?g prov:wasDerivedFrom ?doc .
}} LIMIT {BIG_LIMIT + extra}"""


def _seats_with_sources(combo: tuple, extra: int) -> str:
    (country,) = combo  # the shape of queries/accessions.rq and consecutive_terms.rq
    return PREFIXES + f"""SELECT ?organ ?n ?doc WHERE {{
  GRAPH ?g {{ ?seat org:member <{country}> ; org:organization ?organ ; gg:consecutiveTerm ?n }}
  ?g prov:wasDerivedFrom ?doc .
}} LIMIT {BIG_LIMIT + extra}"""


def _corroboration(combo: tuple, extra: int) -> str:
    (country,) = combo  # how many announcements state each candidacy (queries/conflicts.rq)
    return PREFIXES + f"""SELECT ?candidacy (COUNT(DISTINCT ?doc) AS ?sources) WHERE {{
  GRAPH ?g {{ ?candidacy gg:candidate <{country}> ; gg:election ?election }}
  ?g prov:wasDerivedFrom ?doc .
}} GROUP BY ?candidacy ORDER BY DESC(?sources) ?candidacy LIMIT {BIG_LIMIT + extra}"""


def _evidence(combo: tuple, extra: int) -> str:
    (graph,) = combo  # the shape of queries/fact_evidence.rq, for one announcement
    return PREFIXES + f"""SELECT ?fact ?kind ?quote WHERE {{
  GRAPH ?pg {{
    <{graph}> prov:wasDerivedFrom ?doc .
    ?fact gg:assertionKind ?kind ; gg:evidence ?evidence .
    ?evidence oa:hasSource ?doc .
    OPTIONAL {{ ?evidence oa:hasSelector ?selector . ?selector oa:exact ?quote }}
  }}
}} LIMIT {BIG_LIMIT + extra}"""


def _values(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    rows = store.query(PREFIXES + query)  # govgraph's default graph: the union, each triple once
    return sorted(tuple(term.value for term in row) for row in rows)


def build_templates(store_dir: Path, families: Sequence[str] = FAMILIES) -> list[Template]:
    """Draw the parameters of every template of ``families`` from the store (read-only)."""
    store = ox.Store.read_only(str(store_dir))
    persons = _values(store, "SELECT ?p WHERE { ?p a person:Person }")
    countries = _values(store, "SELECT DISTINCT ?c WHERE { ?x gg:onBehalfOf ?c }")
    organs = _values(store, "SELECT DISTINCT ?o WHERE { ?e gg:electsTo ?o }")
    indices = _values(store, "SELECT ?i WHERE { ?i a gg:Index "
                             f'FILTER(STRSTARTS(STR(?i), "{SYNTH}")) }}')
    publisher_years = _values(store, """SELECT DISTINCT ?p (STR(YEAR(?d)) AS ?y) WHERE {
        ?doc a gg:Announcement ; dcterms:publisher ?p ; dcterms:issued ?d }""")
    index_years = _values(store, "SELECT DISTINCT ?i ?y WHERE { ?r gg:index ?i ; gg:refPeriod ?y }")
    sessions = _values(store, "SELECT DISTINCT ?s WHERE { ?s cv:hasParticipation ?p }")
    elections = _values(store, "SELECT DISTINCT ?e WHERE { ?e gg:electsTo ?o }")
    seated = _values(store, "SELECT DISTINCT ?c WHERE { ?m org:member ?c ; gg:consecutiveTerm ?n }")
    candidates = _values(store, "SELECT DISTINCT ?c WHERE { ?x gg:candidate ?c }")
    graphs = _values(store, f"""SELECT DISTINCT ?g WHERE {{
        ?g prov:wasDerivedFrom ?doc FILTER(STRSTARTS(STR(?g), "{SYNTH}")) }}""")
    del store
    rng = random.Random(20261201)

    def shuffled(items: Sequence[tuple]) -> list[tuple]:
        found = list(items)
        rng.shuffle(found)
        return found

    templates = [
        Template("lookup by IRI", _lookup, shuffled(persons)),
        Template("join (4 patterns)", _delegates, shuffled(countries)),
        Template("FILTER on literal", _rank_gains,
                 shuffled([(i, d) for (i,) in indices for d in range(120, 240)])),
        Template("GROUP BY + COUNT", _terms_per_country, shuffled(organs)),
        Template("OPTIONAL", _announcements, shuffled(publisher_years)),
        Template("CONTAINS search", _label_search, shuffled([(n,) for n in range(1, 1000)])),
        Template("COUNT over class", _count_class, shuffled([(c,) for c in CLASSES])),
        Template("ORDER BY + LIMIT", _top_ranked,
                 shuffled([(i, y, k) for i, y in index_years for k in range(5, 25)]), 20),
        Template("join + label", _attendees, shuffled(sessions)),
        Template("facts + sources", _facts_with_sources, shuffled(elections), 1, PROVENANCE),
        Template("seats + sources", _seats_with_sources, shuffled(seated), 1, PROVENANCE),
        Template("corroboration", _corroboration, shuffled(candidates), 1, PROVENANCE),
        Template("evidence", _evidence, shuffled(graphs), 1, PROVENANCE),
    ]
    return [template for template in templates if template.family in families]


def build_probes(store_dir: Path) -> list[tuple[str, str]]:
    """Two queries that show how the union of named graphs treats a triple held by many graphs.

    A fact reported by several announcements is one triple in several named graphs; an
    evaluation that keeps one solution per (triple, graph) multiplies solutions and work.
    """
    store = ox.Store.read_only(str(store_dir))
    ((organ, country),) = _values(store, """SELECT ?o ?c WHERE {
        ?e gg:electsTo ?o . ?x gg:election ?e ; gg:candidate ?c } ORDER BY ?o ?c LIMIT 1""")
    del store
    return [
        ("COUNT(*) of a 5-pattern join, no DISTINCT",
         PREFIXES + f"""SELECT (COUNT(*) AS ?n) WHERE {{
  ?candidacy gg:candidate <{country}> ; gg:election ?election ;
             gg:rankByVotes ?rank ; gg:votesReceived ?votes .
  ?election schema:superEvent ?session .
}}"""),
        ("candidacies for an organ, votes >= 60", PREFIXES + f"""SELECT DISTINCT ?candidacy ?votes
WHERE {{
  ?election gg:electsTo <{organ}> .
  ?candidacy gg:election ?election ; gg:candidate ?country ; gg:votesReceived ?votes .
  FILTER(?votes >= 60)
}}"""),
    ]


def run_probes(server: Server, probes: list[tuple[str, str]], timeout: float) -> list[str]:
    """Time each probe once; say what it returned (the count, or the number of rows)."""
    found = []
    for _label, text in probes:
        started = time.perf_counter()
        try:
            status, body = fetch(server, text, timeout)
        except TimeoutError:
            found.append(f"no answer in {timeout:.0f} s")
            wait_ready(server, 3600)
            continue
        took = (time.perf_counter() - started) * 1000
        if status != 200:
            found.append(f"HTTP {status} after {took:,.0f} ms")
            continue
        bindings = json.loads(body)["results"]["bindings"]
        value = bindings[0]["n"]["value"] if "COUNT" in text else f"{len(bindings)} rows"
        found.append(f"{value} in {took:,.0f} ms")
    return found


class Mix:
    """Query texts by request number, the same on every server."""

    def __init__(self, templates: list[Template]) -> None:
        self.templates = templates
        count = len(templates)
        self.repeated = [
            (t, templates[t].text(j)) for j in range(REPEATED_PER_TEMPLATE) for t in range(count)
        ]

    def unique(self, u: int) -> tuple[int, str]:
        """The u-th unique text (after the repeated ones, which are the first j of each)."""
        count = len(self.templates)
        t, j = u % count, REPEATED_PER_TEMPLATE + u // count
        return t, self.templates[t].text(j)


# -- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    path: str
    port: int
    process: subprocess.Popen
    log: Path
    ready_after: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(name: str, command: list[str], path: str, port: int, log: Path) -> Server:
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    return Server(name, path, port, process, log)


def wait_ready(server: Server, timeout: float) -> None:
    """Poll with ASK {} until the server answers; note how long it took."""
    started = time.perf_counter()
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited; see {server.log}")
        try:
            status, _body = fetch(server, "ASK {}", 5.0)
            if status == 200:
                server.ready_after = time.perf_counter() - started
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"{server.name} did not answer within {timeout:.0f} s; see {server.log}")


def fetch(server: Server, query: str, timeout: float) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request("GET", f"{server.path}?{urlencode({'query': query})}",
                     headers={"Accept": ACCEPT})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def stop(server: Server) -> None:
    """SIGTERM the process we started (gunicorn stops its worker and query processes)."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def tree_memory(pid: int) -> tuple[int, int, int]:
    """RSS and USS summed over a process and all its descendants, and how many processes."""
    root = psutil.Process(pid)
    rss = uss = 0
    processes = [root, *root.children(recursive=True)]
    for process in processes:
        try:
            info = process.memory_full_info()
        except psutil.NoSuchProcess:
            continue
        rss += info.rss
        uss += info.uss
    return rss, uss, len(processes)


def serve_rdflib(data: Path, port: int) -> None:
    """(Child process) load the N-Quads into an rdflib Dataset and serve it with rdflib-endpoint."""
    import uvicorn
    from fastapi import FastAPI
    from rdflib import BNode, Dataset, Graph, URIRef
    from rdflib.namespace import Namespace
    from rdflib_endpoint import SparqlRouter

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(str(data), format="nquads")
    print(f"rdflib: parsed {len(dataset):,} triples of the default graph in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    # SparqlEndpoint describes the service by counting every named graph with a query of its
    # own (71 s for the 21,600 graphs of 100k quads); a description that already names its
    # default dataset skips that, and nothing else changes.
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    description = Graph()
    service = BNode()
    description.add((service, sd.endpoint, URIRef(f"http://127.0.0.1:{port}/sparql")))
    description.add((service, sd.defaultDataset, BNode()))
    app = FastAPI()
    app.include_router(SparqlRouter(graph=dataset, path="/sparql",
                                    service_description=description))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# -- load ---------------------------------------------------------------------------------------


def run(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def prepare(size: int, folder: Path) -> dict[str, float | int]:
    """Write the synthetic data and load the two on-disk stores; return timings (s)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "prepared.json"
    if done.exists():
        return {**json.loads(done.read_text()), "reused": 1}
    for name in ("govgraph", "oxigraph", "data", "synth.nq", "dump.nq"):
        target = folder / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    timings: dict[str, float | int] = {}
    govgraph = str(BIN / "govgraph")
    synth = folder / "synth.nq"
    timings["synth"] = run([govgraph, "synth", "--triples", str(size), "--out", str(synth)])
    shutil.copytree(ROOT / "data" / "reference", folder / "data" / "reference")
    env = {**os.environ, "GOVGRAPH_DATA_DIR": str(folder / "data")}
    store = folder / "govgraph"
    timings["govgraph build"] = run([govgraph, "--store", str(store), "build"], env)
    timings["govgraph load --bulk"] = run([govgraph, "--store", str(store), "load", "--bulk",
                                          str(synth)])
    started = time.perf_counter()
    dump = folder / "dump.nq"
    source = ox.Store.read_only(str(store))
    named = [quad for quad in source if not isinstance(quad.graph_name, ox.DefaultGraph)]
    timings["quads"] = len(named)  # the default graph is govgraph's union of these
    with dump.open("wb") as out:
        ox.serialize(named, out, format=ox.RdfFormat.N_QUADS)
    del source, named
    timings["dump"] = time.perf_counter() - started
    timings["oxigraph load"] = run([str(BIN / "oxigraph"), "load", "--location",
                                    str(folder / "oxigraph"), "--file", str(dump)])
    synth.unlink()
    done.write_text(json.dumps(timings))
    return timings


# -- load generator -----------------------------------------------------------------------------


@dataclass
class Cell:
    server: str
    mode: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    per_template: dict[int, list[float]] = field(default_factory=dict)
    issued: int = 0
    errors: int = 0
    timeouts: int = 0
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def count_rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def run_cell(
    server: Server,
    cell: Cell,
    next_query: Callable[[int], tuple[int, str]],
    seconds: float,
    max_requests: int,
    timeout: float,
    rows: dict[str, int],
) -> None:
    """Send requests from ``cell.concurrency`` threads until the time or the count runs out."""
    counter = itertools.count()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    finished = [started]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        while True:
            with lock:
                i = next(counter)
            if i >= max_requests or time.perf_counter() >= deadline:
                break
            template, text = next_query(i)
            target = f"{server.path}?{urlencode({'query': text})}"
            for attempt in (1, 2):
                sent = time.perf_counter()
                try:
                    conn.request("GET", target, headers={"Accept": ACCEPT})
                    response = conn.getresponse()
                    body = response.read()
                except TimeoutError:
                    with lock:
                        cell.timeouts += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
                    break
                except (http.client.HTTPException, ConnectionError):
                    conn.close()  # a keep-alive connection the server closed: retry once
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
                    if attempt == 2:
                        with lock:
                            cell.errors += 1
                    continue
                took = time.perf_counter() - sent
                with lock:
                    finished[0] = max(finished[0], time.perf_counter())
                    if response.status != 200:
                        cell.errors += 1
                        break
                    cell.latencies.append(took)
                    cell.per_template.setdefault(template, []).append(took)
                    rows[text] = count_rows(body)
                break
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(cell.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cell.issued = min(next(counter) - cell.concurrency, max_requests)
    cell.elapsed = max(finished[0] - started, 1e-9)
    if cell.timeouts:  # the server may still be busy with a query the client gave up on
        wait_ready(server, 3600)


# -- one size -----------------------------------------------------------------------------------


@dataclass
class Result:
    size: int
    quads: int
    cells: list[Cell]
    memory: dict[str, tuple[int, int, int]]
    timings: dict[str, float | int]
    names: list[str]
    families: list[str]
    probes: list[tuple[str, str]]
    probed: dict[str, list[str]]


def bench_size(size: int, folder: Path, args: argparse.Namespace) -> Result:
    timings = prepare(size, folder)
    mix = Mix(build_templates(folder / "govgraph", args.mix.split(",")))
    probes = build_probes(folder / "govgraph")
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    port, oxigraph_port = free_port(), free_port()
    servers = [
        start("govgraph", [str(BIN / "govgraph"), "--store", str(folder / "govgraph"), "serve",
                           *shlex.split(args.govgraph_args), "--port", str(port)],
              "/sparql", port, logs / "govgraph.log"),
        start("oxigraph", [str(BIN / "oxigraph"), "serve", "--location",
                           str(folder / "oxigraph"), "--bind", f"127.0.0.1:{oxigraph_port}",
                           "--union-default-graph"],
              "/query", oxigraph_port, logs / "oxigraph.log"),
    ]
    with_rdflib = size <= args.rdflib_max
    try:
        for server in servers:
            wait_ready(server, 300)
        if with_rdflib:  # parsed after the others are up: it takes a core for a while
            rdflib_port = free_port()
            servers.append(start("rdflib-endpoint", [sys.executable, __file__, "--serve-rdflib",
                                                     str(folder / "dump.nq"), str(rdflib_port)],
                                 "/sparql", rdflib_port, logs / "rdflib.log"))
            wait_ready(servers[-1], 3600)
            timings["rdflib parse + start"] = servers[-1].ready_after
        clients = measure(servers, mix, args)
        memory = {server.name: tree_memory(server.process.pid) for server in servers}
        print(f"  load average after the runs: {os.getloadavg()[0]:.1f}")
        probed = {server.name: run_probes(server, probes, args.rdflib_timeout
                                          if server.name == "rdflib-endpoint" else 300.0)
                  for server in servers}
    finally:
        for server in servers:
            stop(server)
    flat = [cell for client in clients for cell in client.cells.values()]
    check_rows([server.name for server in servers], [client.rows for client in clients])
    return Result(size, int(timings["quads"]), flat, memory, timings,
                  [t.name for t in mix.templates], [t.family for t in mix.templates], probes,
                  probed)


@dataclass
class Client:
    """What the load generator keeps per server: answers' row counts, the next unique text."""

    server: Server
    rows: dict[str, int] = field(default_factory=dict)
    offset: int = 0
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)

    @property
    def slow(self) -> bool:
        return self.server.name == "rdflib-endpoint"


def measure(servers: list[Server], mix: Mix, args: argparse.Namespace) -> list[Client]:
    """Warm every server up, then run each cell on every server in turn.

    The machine may be shared, so each cell runs ``--rounds`` times, alternating the order of
    the servers, and the round with the highest throughput is kept (rdflib-endpoint: once).
    """
    clients = [Client(server) for server in servers]
    for client in clients:
        # Warm-up and row check: every text of the repeated mix once (rdflib: one per template).
        warm = mix.repeated[: len(mix.templates)] if client.slow else mix.repeated
        run_cell(client.server, Cell(client.server.name, "warm-up", 1), warm.__getitem__, 1e9,
                 len(warm), args.rdflib_timeout if client.slow else 120.0, client.rows)
    for mode in ("unique", "repeated"):
        for concurrency in (1, 4):
            for round_ in range(args.rounds):
                for client in clients if round_ % 2 == 0 else clients[::-1]:
                    if client.slow and round_:
                        continue
                    client_cell(client, mix, mode, concurrency, args)
    return clients


def client_cell(
    client: Client, mix: Mix, mode: str, concurrency: int, args: argparse.Namespace
) -> None:
    server = client.server
    cell = Cell(server.name, mode, concurrency)
    if mode == "unique":
        base = client.offset

        def next_query(i: int) -> tuple[int, str]:
            return mix.unique(base + i)
    else:

        def next_query(i: int) -> tuple[int, str]:
            return mix.repeated[i % len(mix.repeated)]

    load = os.getloadavg()[0]
    if client.slow:
        run_cell(server, cell, next_query, 1e9, args.rdflib_cycles * len(mix.templates),
                 args.rdflib_timeout, client.rows)
    else:
        run_cell(server, cell, next_query, args.seconds, 1_000_000, 120.0, client.rows)
    if mode == "unique":
        client.offset += cell.issued + concurrency
    kept = client.cells.get((mode, concurrency))
    if kept is None or cell.throughput > kept.throughput:
        client.cells[(mode, concurrency)] = cell
    print(f"  {server.name:<16} {mode:<8} c={concurrency}: {len(cell.latencies):>6} "
          f"answers, {cell.throughput:8.1f} q/s, median {cell.quantile(0.5):8.1f} ms "
          f"(load average {load:.1f})"
          + (f", {cell.timeouts} timeouts" if cell.timeouts else "")
          + (f", {cell.errors} errors" if cell.errors else ""), flush=True)


def check_rows(names: list[str], rows: list[dict[str, int]]) -> None:
    """Warn where two servers gave different row counts for the same text."""
    reference = rows[0]
    for name, found in zip(names[1:], rows[1:], strict=True):
        common = set(reference) & set(found)
        differ = [text for text in common if reference[text] != found[text]]
        print(f"  rows: {names[0]} and {name} agree on {len(common) - len(differ)} of "
              f"{len(common)} common queries")
        for text in differ[:3]:
            print(f"  WARNING: {names[0]} {reference[text]} rows, {name} {found[text]} rows: "
                  f"{' '.join(text.split()[-25:])[:200]}")


# -- report -------------------------------------------------------------------------------------


def megabytes(value: int) -> str:
    return f"{value / 1e6:,.0f} MB"


def report_families(result: Result, by_key: dict, servers: list[str]) -> None:
    """Mean latency of each template family (unique, 1 client): the mix of one family alone."""
    print("\n  mean ms per query by family (unique, 1 client), and govgraph's ratio:")
    for family in sorted(set(result.families), key=FAMILIES.index):
        means = {}
        for server in servers:
            cell = by_key[(server, "unique", 1)]
            taken = [statistics.mean(cell.per_template[t]) for t, f in enumerate(result.families)
                     if f == family and t in cell.per_template]
            if len(taken) == result.families.count(family):  # every template of it answered
                means[server] = statistics.mean(taken)
        line = f"  {family:<20}"
        for server in servers:
            found = means.get(server)
            line += f" {found * 1000:>10.1f}" if found else f" {'-':>10}"
            if found and server != "govgraph" and "govgraph" in means:
                line += f" ({found / means['govgraph']:.1f}x)"
        print(line)


def report(result: Result) -> list[tuple[str, bool]]:
    print(f"\n== {result.size:,} synthetic quads ({result.quads:,} in the store) ==")
    for name, value in result.timings.items():
        if name not in ("quads", "reused"):
            print(f"  {name}: {value:.1f} s" + (" (earlier run)" if result.timings.get(
                "reused") and name != "rdflib parse + start" else ""))
    by_key = {(c.server, c.mode, c.concurrency): c for c in result.cells}
    print(f"\n  {'server':<16} {'mode':<9} {'conc':>4} {'answers':>8} {'median ms':>10} "
          f"{'p95 ms':>9} {'q/s':>9} {'gg/oxigraph':>12} {'gg/rdflib':>10}")
    for mode in ("unique", "repeated"):
        for concurrency in (1, 4):
            gg = by_key.get(("govgraph", mode, concurrency))
            for cell in [c for c in result.cells if (c.mode, c.concurrency) == (mode, concurrency)]:
                ratios = ""
                if cell.server == "govgraph":
                    for other, width, digits in (("oxigraph", 11, 2), ("rdflib-endpoint", 9, 1)):
                        found = by_key.get((other, mode, concurrency))
                        if found and found.throughput:
                            ratios += f" {gg.throughput / found.throughput:>{width}.{digits}f}x"
                        else:
                            ratios += f" {'-':>{width + 1}}"  # that server did not run here
                answered = f"{len(cell.latencies)}/{cell.issued}"
                print(f"  {cell.server:<16} {mode:<9} {concurrency:>4} {answered:>8} "
                      f"{cell.quantile(0.5):>10.1f} {cell.quantile(0.95):>9.1f} "
                      f"{cell.throughput:>9.1f}{ratios}"
                      + (f"  ({cell.timeouts} timed out)" if cell.timeouts else ""))
    print("\n  median ms per query, unique, 1 client:")
    servers = sorted({c.server for c in result.cells}, key=["govgraph", "oxigraph",
                                                             "rdflib-endpoint"].index)
    print(f"  {'query':<20}" + "".join(f" {name:>16}" for name in servers))
    for t, name in enumerate(result.names):
        line = f"  {name:<20}"
        for server in servers:
            found = by_key[(server, "unique", 1)].per_template.get(t)
            line += f" {statistics.median(found) * 1000:>16.2f}" if found else f" {'-':>16}"
        print(line)
    report_families(result, by_key, servers)
    print("\n  union of named graphs, one request each (a triple held by k graphs counts k times "
          "in Oxigraph's union):")
    for index, (label, _text) in enumerate(result.probes):
        print(f"  {label}:")
        for name, found in result.probed.items():
            print(f"    {name:<16} {found[index]}")
    print("\n  memory after the runs (all processes of each server):")
    for name, (rss, uss, count) in result.memory.items():
        print(f"  {name:<16} RSS {megabytes(rss):>9} (USS {megabytes(uss)}) in {count} "
              f"process{'es' if count > 1 else ''}")
    verdicts = []

    def ratio(mode: str, concurrency: int, other: str) -> float:
        found = by_key.get((other, mode, concurrency))
        if not found or not found.throughput:
            return float("nan")
        return by_key[("govgraph", mode, concurrency)].throughput / found.throughput

    for concurrency in (1, 4):
        value = ratio("unique", concurrency, "oxigraph")
        verdicts.append((f"unique c={concurrency} >= 1.0x Oxigraph ({value:.2f}x)", value >= 1.0))
        value = ratio("unique", concurrency, "rdflib-endpoint")
        if value == value:
            verdicts.append((f"unique c={concurrency} >= 100x rdflib-endpoint ({value:.0f}x)",
                             value >= 100))
        value = ratio("repeated", concurrency, "oxigraph")
        verdicts.append((f"repeated c={concurrency} >= 5x Oxigraph ({value:.2f}x)", value >= 5))
    rss = result.memory["govgraph"][0]
    verdicts.append((f"govgraph RSS < 1 GB ({megabytes(rss)})", rss < 1e9))
    print()
    for text, ok in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--seconds", type=float, default=15.0,
                        help="seconds per server, mode and concurrency (govgraph, oxigraph)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs of each cell (the best is kept), alternating server order")
    parser.add_argument("--rdflib-cycles", type=int, default=2,
                        help="rdflib-endpoint's requests per cell, in rounds of the mix")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--rdflib-max", type=int, default=1_000_000,
                        help="largest size served by rdflib-endpoint too")
    parser.add_argument("--mix", default=",".join(FAMILIES),
                        help="template families of the mix: default, provenance or both")
    parser.add_argument("--govgraph-args", default="", help="extra options of govgraph serve")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) stores here")
    parser.add_argument("--serve-rdflib", nargs=2, metavar=("NQUADS", "PORT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_rdflib:
        serve_rdflib(Path(args.serve_rdflib[0]), int(args.serve_rdflib[1]))
        return
    unknown = set(args.mix.split(",")) - set(FAMILIES)
    if unknown:
        parser.error(f"--mix: no family {', '.join(sorted(unknown))}; use {','.join(FAMILIES)}")
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 1e9:.0f} GB; govgraph serve "
          f"{args.govgraph_args or '(defaults)'}; {args.seconds:g} s per cell", flush=True)
    with tempfile.TemporaryDirectory(prefix="endpoint-speed-") as tmp:
        work = args.workdir or Path(tmp)
        results = []
        for size in sizes:
            print(f"\n{size:,} quads: loading and serving (load average "
                  f"{os.getloadavg()[0]:.1f})", flush=True)
            results.append(bench_size(size, work / str(size), args))
        verdicts = [report(result) for result in results]
    target = next((i for i, r in enumerate(results) if r.size == 1_000_000), len(results) - 1)
    print(f"\ntargets, evaluated at {results[target].size:,} quads:")
    for text, ok in verdicts[target]:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
