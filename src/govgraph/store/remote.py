"""The remote store: any SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB, Virtuoso, QLever...).

Layer: store. The only module that imports SPARQLWrapper. Queries and updates go through
SPARQLWrapper (SPARQL 1.1 Protocol); whole graphs are written with the Graph Store Protocol
(urllib) when ``store_graphs`` names its URL, else with ``INSERT DATA``. Terms and graphs come
back as rdflib terms and Graphs, like the embedded store's.

The server must treat the default graph of queries as the union of its named graphs, as the
embedded store does (Oxigraph: ``oxigraph serve --union-default-graph``; Fuseki:
``tdb2:unionDefaultGraph true``; see docs/scaling.md). ``RemoteStore.open`` checks it.
"""

from __future__ import annotations

import ast
import base64
import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from http.client import HTTPException
from pathlib import Path
from typing import BinaryIO
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, INSERT, POST, POSTDIRECTLY, SELECT
from SPARQLWrapper import SPARQLWrapper as Wrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from govgraph.config import Settings
from govgraph.errors import ConfigError, GovgraphError, QueryError, QueryTimeoutError, StoreError
from govgraph.model.ids import short_hash
from govgraph.store.answers import cut_answer, write_answer, write_triples
from govgraph.store.base import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    GraphCount,
    QueryAnswer,
    QueryRequest,
    Row,
    Store,
)
from govgraph.store.embedded import STAGING
from govgraph.store.guard import check_request, iter_tokens, resolve_codepoint_escapes
from govgraph.store.terms import Counted, bulk_format, from_ox, graph_node, rows_of, to_ox

log = logging.getLogger(__name__)

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
"""The media type that asks a server for each answer format of ``store.base``."""
assert set(MEDIA_TYPES) == set(RESULT_FORMATS) | set(GRAPH_FORMATS)

CHUNK_TRIPLES = 10_000
"""Triples per ``INSERT DATA`` request when there is no Graph Store Protocol URL (about 1 MB)."""
NO_GRAPH = STAGING + "none"
"""A graph that never exists: the protocol's way to ask for an empty dataset (staging names
are hex digests, so this one is never written)."""
MESSAGE_LIMIT = 500
"""Characters of a server's error message kept in govgraph's messages."""

_RESULTS_ACCEPT = "application/sparql-results+json"
_TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_FORMS = {"select": SELECT, "ask": ASK, "construct": CONSTRUCT, "describe": DESCRIBE}
_STATUS = {
    QueryBadFormed: 400,
    Unauthorized: 401,
    EndPointNotFound: 404,
    URITooLong: 414,
    EndPointInternalError: 500,
}
_UNION_SAMPLE = (
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) } LIMIT 1"
)


def values_clause(bindings: Mapping[str, Node]) -> str:
    """Return a one-row ``VALUES`` clause binding each variable, terms written as N-Triples.

    Raises:
        QueryError: a name is not a variable name, or a term cannot be bound (a blank node,
            an IRI that is not valid).

    >>> from rdflib import Literal
    >>> values_clause({"c": URIRef("https://w3id.org/govgraph/id/country/MA"),
    ...                "n": Literal("Maroc", lang="fr")})
    'VALUES (?c ?n) { (<https://w3id.org/govgraph/id/country/MA> "Maroc"@fr) }'
    """
    names, terms = [], []
    for name, term in bindings.items():
        try:
            variable = ox.Variable(name)
        except ValueError:
            raise QueryError(f"binding {name!r}: not a SPARQL variable name") from None
        if isinstance(term, BNode):
            raise QueryError(f"binding ?{name}: a blank node cannot be bound; bind an IRI")
        try:
            value = to_ox(term)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"binding ?{name}: cannot write {term!r}: {exc}") from exc
        names.append(str(variable))
        terms.append(str(value))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def has_trailing_values(query: str) -> bool:
    """Return whether a query ends with its own ``VALUES`` clause (the only one outside braces).

    >>> has_trailing_values("SELECT ?x { VALUES ?x { 1 } } VALUES ?y { 2 }")
    True
    >>> has_trailing_values("SELECT ?x { VALUES ?x { 1 } }")
    False
    """
    depth = 0
    for token in iter_tokens(resolve_codepoint_escapes(query)):
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif depth == 0 and token.kind == "name" and token.text.upper() == "VALUES":
            return True
    return False


def with_bindings(query: str, bindings: Mapping[str, Node] | None) -> str:
    """Return the query with the bindings as a trailing ``VALUES`` clause.

    SPARQL 1.1 (section 18.2.4) joins a trailing VALUES clause with the solutions before
    ORDER BY, projection and LIMIT, so the bound variables must be in scope there: projected,
    or grouped by. Terms are written by pyoxigraph, never spliced from text.

    Raises:
        QueryError: the query already ends with a VALUES clause, or a binding is wrong.

    >>> print(with_bindings("SELECT ?s { ?s ?p ?o }", {"s": URIRef("http://example.org/a")}))
    SELECT ?s { ?s ?p ?o }
    VALUES (?s) { (<http://example.org/a>) }
    <BLANKLINE>
    """
    if not bindings:
        return query
    if has_trailing_values(query):
        raise QueryError(
            "the query ends with its own VALUES clause, so its parameters cannot be added as "
            "another; move that clause inside the WHERE block"
        )
    return f"{query}\n{values_clause(bindings)}\n"


def insert_data(blocks: Mapping[ox.NamedNode | None, Sequence[ox.Triple]]) -> str:
    """Return an ``INSERT DATA`` update writing each list of triples into its graph.

    ``None`` is the default graph.

    >>> triple = ox.Triple(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("x"))
    >>> print(insert_data({ox.NamedNode("http://a/g"): [triple]}))
    INSERT DATA {
    GRAPH <http://a/g> {
    <http://a/s> <http://a/p> "x" .
    }
    }
    """
    parts = []
    for graph, triples in blocks.items():
        body = (ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        parts.append(body if graph is None else f"GRAPH {graph} {{\n{body}}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def has_blank_node(triple: ox.Triple) -> bool:
    """Return whether a triple has a blank node (its subject or object)."""
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def to_ox_triple(triple: tuple[Node, Node, Node]) -> ox.Triple:
    """Return the pyoxigraph triple for an rdflib triple.

    Raises:
        ValueError: a term cannot be written (an invalid IRI or language tag).
    """
    subject, predicate, value = triple
    try:
        return ox.Triple(to_ox(subject), to_ox(predicate), to_ox(value))  # type: ignore[arg-type]
    except TypeError as exc:
        raise ValueError(f"cannot write the triple {triple!r}: {exc}") from exc


def _tidy(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MESSAGE_LIMIT else flat[: MESSAGE_LIMIT - 3] + "..."


def _wrapper_message(exc: SPARQLWrapperException) -> str:
    """Return the server's message that SPARQLWrapper put (as a bytes repr) in its exception."""
    _, found, raw = str(exc).partition("Response:\n")
    if not found:
        return ""
    try:
        body = ast.literal_eval(raw.strip())
    except (ValueError, SyntaxError):
        return _tidy(raw)
    return _tidy(body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body))


def _body_of(exc: HTTPError) -> str:
    try:
        return _tidy(exc.read().decode("utf-8", "replace"))
    except (OSError, HTTPException):
        return ""
    finally:
        exc.close()


def _media_type(header: str | None) -> str:
    return (header or "").split(";")[0].strip().lower()


class RemoteStore(Store):
    """A SPARQL 1.1 server: ``RemoteStore.open(settings)`` with ``settings.store`` its query URL."""

    def __init__(
        self,
        query_url: str,
        update_url: str = "",
        graphs_url: str = "",
        user: str = "",
        password: str = "",
        timeout: float = 10.0,
        allowed_services: frozenset[str] = frozenset(),
    ) -> None:
        self.location = query_url
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graphs_url = graphs_url
        self.user = user
        self.password = password
        self.timeout = timeout
        self.allowed_services = allowed_services
        self._version = 0

    @classmethod
    def open(cls, settings: Settings) -> RemoteStore:
        """Connect to the server that ``settings.store`` names, and check how it is configured.

        Raises:
            ConfigError: a URL setting is not an http(s) URL.
            StoreError: the server cannot be reached, or its default graph is not the union
                of its named graphs.
        """
        for setting in ("store", "store_update", "store_graphs"):
            value = getattr(settings, setting)
            if value and not value.startswith(("http://", "https://")):
                raise ConfigError(
                    f"setting {setting}: {value!r} is not an http:// or https:// URL; "
                    "give the remote server's endpoint URL"
                )
        store = cls(
            settings.store,
            settings.store_update,
            settings.store_graphs,
            settings.store_user,
            settings.store_password,
            settings.query_timeout,
            settings.allowed_services,
        )
        store.check_union_default_graph()
        return store

    def check_union_default_graph(self) -> None:
        """Check that a triple of a named graph is found in the default graph of queries.

        Two cheap requests (one sample triple, one ASK); an empty store passes.

        Raises:
            StoreError: the server's default graph is not the union of its named graphs.
        """
        sample = self.select(_UNION_SAMPLE)
        if not sample:
            return
        row = sample[0]
        pattern = " ".join(str(to_ox(row[name])) for name in ("s", "p", "o"))
        if not self.ask(f"ASK {{ {pattern} }}"):
            raise StoreError(
                f"{self.query_url}: the server's default graph is not the union of its named "
                "graphs, so govgraph's queries would miss data; configure it so (Oxigraph: "
                "`oxigraph serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`; "
                "see docs/scaling.md)"
            )

    @property
    def version(self) -> int:
        """Changes whenever this process writes (writes by other clients are not seen)."""
        return self._version

    # -- HTTP ---------------------------------------------------------------------------------

    @contextmanager
    def _translated(self, url: str, refused: type[GovgraphError]) -> Iterator[None]:
        """Turn what urllib and SPARQLWrapper raise into govgraph's errors, naming ``url``."""
        try:
            yield
        except SPARQLWrapperException as exc:
            status = _STATUS.get(type(exc), 0)
            raise self._failure(url, status, _wrapper_message(exc), refused) from exc
        except HTTPError as exc:
            raise self._failure(url, exc.code, _body_of(exc), refused) from exc
        except TimeoutError as exc:
            raise self._timed_out(url) from exc
        except URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timed_out(url) from exc
            raise self._unreachable(url, exc.reason) from exc
        except (OSError, HTTPException) as exc:
            raise self._unreachable(url, exc) from exc

    def _failure(
        self, url: str, status: int, message: str, refused: type[GovgraphError]
    ) -> GovgraphError:
        detail = f": {message}" if message else ""
        if status == 400:
            return refused(f"{url} refused the request (HTTP 400){detail}")
        if status in (401, 403):
            return StoreError(
                f"{url}: access denied (HTTP {status}){detail}; "
                "check the settings store_user and store_password"
            )
        if status == 404:
            return StoreError(
                f"{url}: not found (HTTP 404){detail}; "
                "check the settings store, store_update and store_graphs"
            )
        if status >= 500:
            return StoreError(
                f"{url}: the server failed (HTTP {status}){detail}; check the server's log"
            )
        return StoreError(f"{url}: unexpected answer (HTTP {status}){detail}")

    def _timed_out(self, url: str) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"{url}: no answer within {self.timeout:g} s (query_timeout); make the request "
            "cheaper or raise query_timeout"
        )

    def _unreachable(self, url: str, reason: object) -> StoreError:
        return StoreError(
            f"{url}: cannot reach the SPARQL server ({reason}); is the server running, and are "
            "the settings store, store_update and store_graphs right?"
        )

    def _wrapper(
        self,
        text: str,
        query_type: str,
        accept: str,
        parameters: Iterable[tuple[str, str]] = (),
    ) -> Wrapper:
        sparql = Wrapper(self.query_url, updateEndpoint=self.update_url)
        # Set the text and form directly: setQuery guesses the form with a regex over the text
        # (warning when it cannot), and the guard has already tokenized it.
        sparql.queryString = text
        sparql.queryType = query_type
        sparql.setMethod(POST)
        sparql.setOnlyConneg(True)  # no format=/output= parameters, only the Accept header
        if self.timeout:
            sparql.setTimeout(math.ceil(self.timeout))  # SPARQLWrapper takes whole seconds
        if self.user:
            sparql.setCredentials(self.user, self.password)
        sparql.addCustomHttpHeader("Accept", accept)
        for name, value in parameters:
            if name == "default-graph-uri":
                sparql.addDefaultGraph(value)
            elif name == "named-graph-uri":
                sparql.addNamedGraph(value)
            else:
                sparql.addParameter(name, value)
        return sparql

    def _send(
        self, sparql: Wrapper, url: str, refused: type[GovgraphError] = QueryError
    ) -> tuple[bytes, str]:
        with self._translated(url, refused):
            result = sparql.query()
            try:
                content = result.response.read()
                media_type = _media_type(result.response.headers.get("Content-Type"))
            finally:
                result.response.close()
        return content, media_type

    def _query(
        self,
        query: str,
        form: str,
        accept: str,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> tuple[bytes, str]:
        parameters = [
            *(("default-graph-uri", g) for g in _dataset(default_graphs)),
            *(("named-graph-uri", g) for g in _dataset(named_graphs)),
        ]
        sparql = self._wrapper(query, _FORMS.get(form, SELECT), accept, parameters)
        return self._send(sparql, self.query_url)

    def _post_update(
        self,
        update: str,
        parameters: Iterable[tuple[str, str]] = (),
        refused: type[GovgraphError] = StoreError,
    ) -> None:
        """Send an update; a 400 answer raises ``refused`` (StoreError for govgraph's own)."""
        # The update is the request body (application/sparql-update), not URL-encoded:
        # INSERT DATA chunks are large.
        sparql = self._wrapper(update, INSERT, "*/*", parameters)
        sparql.setRequestMethod(POSTDIRECTLY)
        try:
            self._send(sparql, self.update_url, refused)
        finally:
            self._version += 1

    def _auth_headers(self) -> dict[str, str]:
        if not self.user:
            return {}
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}

    def _graph_url(self, graph: ox.NamedNode | None) -> str:
        query = "default" if graph is None else urlencode({"graph": graph.value})
        return f"{self.graphs_url}{'&' if '?' in self.graphs_url else '?'}{query}"

    def _send_data(
        self,
        method: str,
        url: str,
        body: bytes | BinaryIO | Iterable[bytes],
        media_type: str,
        length: int | None = None,
    ) -> None:
        """Send RDF to the Graph Store Protocol URL; without ``length`` the body goes chunked."""
        headers = {"Content-Type": media_type, **self._auth_headers()}
        if length is not None:
            headers["Content-Length"] = str(length)
        request = Request(url, data=body, method=method, headers=headers)
        try:
            with self._translated(url, StoreError):
                with urlopen(request, timeout=self.timeout or None) as response:
                    response.read()
        finally:
            self._version += 1

    # -- writes -------------------------------------------------------------------------------

    def _upload(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> None:
        """Replace a (staging) graph with the triples."""
        if self.graphs_url:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            self._send_data("PUT", self._graph_url(graph), body, "application/n-triples", len(body))
            return
        chunks = list(_chunks(triples))
        for index, chunk in enumerate(chunks):
            operations = [f"DROP SILENT GRAPH {graph}"] if index == 0 else []
            operations.append(insert_data({graph: chunk}))
            self._post_update(" ;\n".join(operations))

    def _drop_staging(self, staged: list[ox.NamedNode]) -> None:
        if not staged:
            return
        try:
            self._post_update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in staged))
        except GovgraphError as exc:
            log.warning(
                "could not remove the staging graphs %s: %s",
                ", ".join(g.value for g in staged),
                exc,
            )

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Upload each graph to a staging graph, then move them all in one update request.

        The server must run one update request atomically (SPARQL 1.1 Update, section 2.2);
        on any failure the staging graphs are dropped and the targets are left as they were.
        """
        operations = []
        staged: list[ox.NamedNode] = []
        try:
            for name, content in graphs.items():
                target = ox.NamedNode(str(name))
                if len(content) == 0:
                    operations.append(f"DROP SILENT GRAPH {target}")
                    continue
                triples = [to_ox_triple(triple) for triple in content]
                staging = ox.NamedNode(STAGING + short_hash(str(name)))
                staged.append(staging)
                self._upload(staging, triples)
                operations.append(f"MOVE SILENT GRAPH {staging} TO GRAPH {target}")
            if operations:
                self._post_update(" ;\n".join(operations))
        except ValueError as exc:
            self._drop_staging(staged)
            raise StoreError(f"{self.location}: cannot write graphs: {exc}") from exc
        except GovgraphError:
            self._drop_staging(staged)
            raise

    def bulk_load(self, path: Path, graph: URIRef | None = None) -> int:
        """Stream a file to the Graph Store Protocol URL, or send it as INSERT DATA chunks.

        A triple file is read through once here (to count it, and to refuse a malformed one
        before anything is sent), then POSTed as it is to ``?graph=<graph>``. A quad file is
        parsed and sent on as N-Quads (chunked) to the dataset URL, its default-graph triples
        put in ``graph`` as the embedded store does. Without a Graph Store Protocol URL the
        file is parsed here and sent in chunks; triples with blank nodes go in one last
        request, so that each blank node stays one node.
        """
        rdf_format = bulk_format(path)
        target = ox.NamedNode(str(graph)) if graph is not None else None
        read = Counted(_iter_quads(path, rdf_format))
        try:
            if not self.graphs_url:
                self._insert_file(read, target)
            elif rdf_format.supports_datasets:
                quads = _iter_nquads(read, target)
                self._send_data("POST", self.graphs_url, quads, "application/n-quads")
            else:
                for _ in read:
                    pass
                size = path.stat().st_size
                with path.open("rb") as handle:
                    url = self._graph_url(target)
                    self._send_data("POST", url, handle, rdf_format.media_type, size)
            return read.count
        except SyntaxError as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from exc
        except OSError as exc:  # the file: network errors are StoreErrors by now
            raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from exc

    def _insert_file(self, quads: Iterable[ox.Quad], target: ox.NamedNode | None) -> None:
        blocks: dict[ox.NamedNode | None, list[ox.Triple]] = {}
        with_blanks: dict[ox.NamedNode | None, list[ox.Triple]] = {}
        pending = 0
        for quad in quads:
            name = target if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name
            triple = quad.triple
            if has_blank_node(triple):
                with_blanks.setdefault(name, []).append(triple)  # type: ignore[arg-type]
                continue
            blocks.setdefault(name, []).append(triple)  # type: ignore[arg-type]
            pending += 1
            if pending >= CHUNK_TRIPLES:
                self._post_update(insert_data(blocks))
                blocks, pending = {}, 0
        for last in (blocks, with_blanks):
            if last:
                self._post_update(insert_data(last))

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        operations = [f"DROP SILENT GRAPH {ox.NamedNode(str(name))}" for name in names]
        if operations:
            self._post_update(" ;\n".join(operations))

    def update(
        self,
        update: str,
        using_graphs: Iterable[str] | None = None,
        using_named_graphs: Iterable[str] | None = None,
    ) -> None:
        check_request(update, self.allowed_services)
        parameters = [
            *(("using-graph-uri", g) for g in _dataset(using_graphs)),
            *(("using-named-graph-uri", g) for g in _dataset(using_named_graphs)),
        ]
        self._post_update(update, parameters, refused=QueryError)

    # -- reads --------------------------------------------------------------------------------

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None,
        expected: tuple[str, ...],
        accept: str,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> tuple[bytes, str]:
        form = check_request(query, self.allowed_services).form
        if form not in expected and form != "unknown":
            raise QueryError(f"expected a {' or '.join(f.upper() for f in expected)} query")
        graphs = None if default_graphs is None else [str(g) for g in default_graphs]
        return self._query(with_bindings(query, bindings), form, accept, graphs)

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> list[Row]:
        content, media_type = self._run(
            query, bindings, ("select",), _RESULTS_ACCEPT, default_graphs
        )
        solutions = self._parse_results(content, media_type)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        try:
            rows = rows_of(solutions)
        except SyntaxError as exc:
            raise self._unreadable(exc) from exc
        return rows

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        content, media_type = self._run(query, bindings, ("ask",), _RESULTS_ACCEPT)
        answer = self._parse_results(content, media_type)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(answer)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        content, media_type = self._run(
            query, bindings, ("construct", "describe"), _TRIPLES_ACCEPT
        )
        graph = Graph()
        for triple in self._parse_triples(content, media_type):
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def execute(self, request: QueryRequest) -> QueryAnswer:
        parsed = check_request(request.query, self.allowed_services)
        if parsed.form == "update":
            raise QueryError("this is an update, not a query: send it as `update`")
        requested = request.result_format
        graph_form = parsed.form in ("construct", "describe") or (
            parsed.form == "unknown" and requested in GRAPH_FORMATS
        )
        if graph_form and requested not in GRAPH_FORMATS:
            raise QueryError(
                f"a CONSTRUCT or DESCRIBE answer cannot be written as {requested!r}; "
                f"choose one of {', '.join(GRAPH_FORMATS)}"
            )
        if not graph_form and requested not in RESULT_FORMATS:
            raise QueryError(
                f"a SELECT or ASK answer cannot be written as {requested!r}; "
                f"choose one of {', '.join(RESULT_FORMATS)}"
            )
        content, media_type = self._query(
            request.query,
            parsed.form,
            _accept(parsed.form, requested, graph_form),
            request.default_graphs,
            request.named_graphs,
        )
        received = _format_name(media_type) or requested
        if received == requested and requested != "csv":
            return cut_answer(content, requested, request.max_rows)
        # The server sent another format (CSV is always asked as TSV: it cannot be read back,
        # so it could be neither counted nor cut): convert it here.
        if graph_form:
            triples = self._parse_triples(content, media_type)
            return write_triples(triples, requested, request.max_rows)
        try:
            return write_answer(
                self._parse_results(content, media_type), requested, request.max_rows
            )
        except SyntaxError as exc:
            raise self._unreadable(exc) from exc

    def _unreadable(self, exc: Exception) -> StoreError:
        return StoreError(f"{self.query_url} sent an unreadable answer: {exc}")

    def _parse_results(self, content: bytes, media_type: str) -> object:
        results_format = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
        if results_format is None or results_format == ox.QueryResultsFormat.CSV:
            raise StoreError(
                f"{self.query_url} answered with {media_type or 'no media type'!r}, not SPARQL "
                "results; is the setting store the server's SPARQL query URL?"
            )
        try:
            return ox.parse_query_results(content, results_format)
        except (SyntaxError, ValueError) as exc:
            raise self._unreadable(exc) from exc

    def _parse_triples(self, content: bytes, media_type: str) -> list[ox.Triple]:
        rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
        if rdf_format is None:
            raise StoreError(
                f"{self.query_url} answered with {media_type or 'no media type'!r}, not RDF; "
                "is the setting store the server's SPARQL query URL?"
            )
        try:
            return [quad.triple for quad in ox.parse(content, format=rdf_format)]
        except (SyntaxError, ValueError) as exc:
            raise self._unreadable(exc) from exc

    def graph_counts(self) -> list[GraphCount]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = [GraphCount(URIRef(str(row["g"])), int(str(row["n"]))) for row in rows]
        return sorted(counts, key=lambda entry: str(entry.name))

    def graph_names(self) -> set[URIRef]:
        # `GRAPH ?g { }` would be cheaper on Oxigraph, but not every server lists graphs so.
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {URIRef(str(row["g"])) for row in rows}

    def export_graph(self, name: URIRef) -> Graph:
        iri = ox.NamedNode(str(name))
        found = self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}")
        graph = Graph(identifier=name)
        for triple in found:
            graph.add(triple)
        return graph

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def _dataset(graphs: Iterable[str] | None) -> list[str]:
    """Return protocol graph parameters; an empty list asks for no graph (NO_GRAPH)."""
    if graphs is None:
        return []
    names = [graph_node(str(g)).value for g in graphs]
    return names or [NO_GRAPH]


def _accept(form: str, requested: str, graph_form: bool) -> str:
    """Return the Accept header for an answer in ``requested``, with a fallback format."""
    if graph_form:
        wanted = MEDIA_TYPES[requested]
        return wanted if requested == "ntriples" else f"{wanted}, {_TRIPLES_ACCEPT};q=0.5"
    if form == "ask" and requested in ("csv", "tsv"):
        return _RESULTS_ACCEPT  # CSV and TSV define no boolean answer: convert from JSON
    wanted = MEDIA_TYPES["tsv" if requested == "csv" else requested]
    return wanted if requested == "json" else f"{wanted}, {_RESULTS_ACCEPT};q=0.5"


def _format_name(media_type: str) -> str | None:
    for name, known in MEDIA_TYPES.items():
        if known == media_type:
            return name
    return None


def _chunks(triples: list[ox.Triple]) -> Iterator[list[ox.Triple]]:
    """Yield chunks of CHUNK_TRIPLES triples; those with blank nodes all in the last one."""
    plain = [t for t in triples if not has_blank_node(t)]
    blank = [t for t in triples if has_blank_node(t)]
    for start in range(0, len(plain), CHUNK_TRIPLES):
        yield plain[start : start + CHUNK_TRIPLES]
    if blank or not plain:
        yield blank


def _iter_quads(path: Path, rdf_format: ox.RdfFormat) -> Iterator[ox.Quad]:
    try:
        yield from ox.parse(path=str(path), format=rdf_format)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc}") from exc


def _iter_nquads(quads: Iterable[ox.Quad], target: ox.NamedNode | None) -> Iterator[bytes]:
    """Yield quads as N-Quads chunks, the default-graph triples moved into ``target``."""
    batch: list[ox.Quad] = []
    for quad in quads:
        if target is not None and isinstance(quad.graph_name, ox.DefaultGraph):
            quad = ox.Quad(quad.subject, quad.predicate, quad.object, target)
        batch.append(quad)
        if len(batch) >= CHUNK_TRIPLES:
            yield ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b""
            batch = []
    if batch:
        yield ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b""
