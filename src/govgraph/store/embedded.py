"""The embedded store: pyoxigraph on disk (RocksDB) or in memory.

Layer: store. The one place that opens pyoxigraph stores and runs its engine.

The default graph holds the union of the named graphs, each triple once (``store.union``):
queries without a dataset read it, and every write keeps it exact.
"""

from __future__ import annotations

import fcntl
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from govgraph.errors import QueryError, QueryRefusedError, StoreError, UpdateFailedError
from govgraph.model.namespaces import BASE
from govgraph.store.answers import write_answer
from govgraph.store.base import GraphCount, QueryAnswer, QueryRequest, Row, Store
from govgraph.store.guard import add_using_clauses, check_request
from govgraph.store.terms import Counted, bulk_format, from_ox, graph_node, rows_of, to_ox
from govgraph.store.union import (
    STAGING,
    drop_request,
    is_current,
    maintained_update,
    mark_current,
    mark_stale,
    rebuild,
    replace_request,
    staging_graph,
    with_default_copies,
)

log = logging.getLogger(__name__)

MEMORY = ":memory:"
SERVER_LOCK = "govgraph-serve.lock"
"""A file in a served store's directory, locked by the server while it serves the store."""


def _substitutions(bindings: Mapping[str, Node] | None) -> dict[ox.Variable, object] | None:
    if not bindings:
        return None
    return {ox.Variable(name): to_ox(term) for name, term in bindings.items()}


_UNSUPPORTED_FUNCTION = re.compile(r"The custom function <(.+)> is not supported")
MAX_UNKNOWN_FUNCTIONS = 20


def _no_value(*arguments: object) -> None:
    """An extension function govgraph does not know: every call is an evaluation error."""
    return None


def _unknown_function(error: BaseException | None) -> ox.NamedNode | None:
    """Return the function IRI pyoxigraph refused to call, if that is what ``error`` says.

    SPARQL 1.1 section 17.6: calling a function the engine does not implement is an
    evaluation error (the expression has no value, a FILTER is false), not a failed query;
    pyoxigraph refuses the whole query, so the caller retries with the IRI bound to _no_value.
    """
    found = _UNSUPPORTED_FUNCTION.fullmatch(str(error)) if error is not None else None
    return ox.NamedNode(found[1]) if found else None


def _refuse_malformed(update: str) -> None:
    """Raise QueryError with pyoxigraph's message if ``update`` does not parse (scratch store)."""
    try:
        ox.Store().update(update, base_iri=BASE)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL update: {exc}") from exc
    except (RuntimeError, OSError):
        pass  # well-formed: what it does to an empty store does not matter


def refuse_if_served(location: Path) -> None:
    """Raise StoreError when a govgraph server serves the store at ``location``."""
    lock = location / SERVER_LOCK
    if not lock.is_file():
        return
    with lock.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(
                f"{location}: a govgraph server is serving this store; stop it first, or write "
                "through its endpoint (SPARQL Update or /store, with the write token)"
            ) from None


def serialize_ntriples(graph: Graph) -> bytes:
    """Return ``graph`` as N-Triples bytes.

    Raises:
        ValueError: a term cannot be written (rdflib raises a bare Exception for a bad IRI).
    """
    try:
        return graph.serialize(format="nt", encoding="utf-8")
    except Exception as exc:  # rdflib's serializer raises bare Exception
        raise ValueError(str(exc)) from exc


class EmbeddedStore(Store):
    """A pyoxigraph store: ``EmbeddedStore.open(path)`` on disk, ``EmbeddedStore.open(MEMORY)``."""

    def __init__(
        self, store: ox.Store, location: str, allowed_services: frozenset[str] = frozenset()
    ) -> None:
        self._store = store
        self.location = location
        self.allowed_services = allowed_services
        self.read_only = False

    @classmethod
    def open(
        cls,
        location: str | Path,
        allowed_services: frozenset[str] = frozenset(),
        beside_server: bool = False,
    ) -> EmbeddedStore:
        """Open (creating if needed) the store at ``location``, or in memory for ``":memory:"``.

        Args:
            location: a directory, or ``":memory:"``.
            allowed_services: endpoint IRIs that SERVICE and LOAD may reach.
            beside_server: open it although a server serves it (only the server's own writer
                process may: it stops the server's readers first).

        Raises:
            StoreError: the directory cannot be created, is locked by another process, or is
                served by a govgraph server.
        """
        location = str(location)
        if location != MEMORY and not beside_server:
            refuse_if_served(Path(location))
        try:
            if location == MEMORY:
                store = ox.Store()
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                store = ox.Store(location)
        except OSError as exc:
            raise StoreError(
                f"{location}: cannot open the embedded store: {exc}; "
                "is another govgraph process (a server?) using it? Stop it, choose another "
                "--store, or write through the running server's endpoint"
            ) from exc
        opened = cls(store, location, allowed_services)
        opened._drop_staging_leftovers()
        opened._make_union_current()
        return opened

    @classmethod
    def open_read_only(
        cls, location: str | Path, allowed_services: frozenset[str] = frozenset()
    ) -> EmbeddedStore:
        """Open an on-disk store for reading only, beside other read-only openers.

        No process may write the store meanwhile (RocksDB's rule): ``pool.PooledStore`` stops
        its readers before it writes.

        Raises:
            StoreError: the directory holds no store or cannot be read.
        """
        location = str(location)
        if not (Path(location) / "CURRENT").is_file():
            raise StoreError(
                f"{location}: there is no store here; build one first with `govgraph build`"
            )
        if not is_current(location):
            raise StoreError(
                f"{location}: the store's union default graph is not up to date (a store from "
                "an older govgraph, or an interrupted write); open it once for writing, e.g. "
                "with `govgraph stats`, to rebuild it"
            )
        try:
            store = ox.Store.read_only(location)
        except OSError as exc:
            raise StoreError(f"{location}: cannot open the store to read: {exc}") from exc
        opened = cls(store, location, allowed_services)
        opened.read_only = True
        return opened

    def _drop_staging_leftovers(self) -> None:
        leftovers = [g for g in self._store.named_graphs() if g.value.startswith(STAGING)]
        for graph in leftovers:
            log.warning("removing graph %s left over by an interrupted write", graph.value)
            self._store.remove_graph(graph)

    def _make_union_current(self) -> None:
        """Rebuild the union default graph of a store that does not say it is current."""
        if self.location == MEMORY or is_current(self.location):
            return
        if any(True for _ in self._store.named_graphs()):
            log.warning("%s: building the union default graph (once)", self.location)
            rebuild(self._store)
            self._store.flush()
        mark_current(self.location)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        moves: dict[ox.NamedNode, ox.NamedNode | None] = {}
        try:
            for name, content in graphs.items():
                target = ox.NamedNode(str(name))
                moves[target] = None
                if len(content) == 0:
                    continue
                staging = staging_graph(str(name))
                if self._store.contains_named_graph(staging):
                    self._store.remove_graph(staging)
                self._store.load(
                    serialize_ntriples(content), format=ox.RdfFormat.N_TRIPLES, to_graph=staging
                )
                moves[target] = staging
            if moves:
                self._store.update(replace_request(moves))
        except (OSError, SyntaxError, ValueError) as exc:
            for staged in moves.values():
                if staged is not None:
                    self._store.remove_graph(staged)
            raise StoreError(f"{self.location}: cannot write graphs: {exc}") from exc

    def bulk_load(self, path: Path, graph: URIRef | None = None) -> int:
        rdf_format = bulk_format(path)
        target = ox.NamedNode(str(graph)) if graph is not None else None
        if self.location != MEMORY:
            mark_stale(self.location)  # bulk loading is not atomic
        read = Counted(ox.parse(path=str(path), format=rdf_format))
        try:
            self._store.bulk_extend(with_default_copies(read, target, str(path)))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from exc
        if self.location != MEMORY:
            self._store.flush()
            mark_current(self.location)
        return read.count

    def optimize(self) -> None:
        """Compact the on-disk storage (RocksDB): bulk-loaded files are merged for reading."""
        if self.location != MEMORY:
            try:
                self._store.optimize()
            except OSError as exc:
                raise StoreError(f"{self.location}: cannot optimize the store: {exc}") from exc

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        targets = [ox.NamedNode(str(name)) for name in names]
        if targets:
            self._store.update(drop_request(targets))

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> object:
        check_request(query, self.allowed_services)
        graphs = None if default_graphs is None else [ox.NamedNode(str(g)) for g in default_graphs]
        return self._evaluate(query, default_graph=graphs, substitutions=_substitutions(bindings))

    def _evaluate(self, query: str, **options: object) -> object:
        try:
            return self._store.query(query, **options)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from exc
        except RuntimeError as exc:
            # pyoxigraph 0.5 substitutes only projected variables (SEP-0007).
            raise QueryError(f"cannot run the query with its parameters: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot read the store: {exc}") from exc

    def execute(self, request: QueryRequest) -> QueryAnswer:
        parsed = check_request(request.query, self.allowed_services)
        if parsed.form == "update":
            raise QueryError("this is an update, not a query: send it as `update`")
        options: dict[str, object] = {}
        if request.default_graphs is not None:
            options["default_graph"] = [graph_node(g) for g in request.default_graphs]
        if request.named_graphs is not None:
            options["named_graphs"] = [graph_node(g) for g in request.named_graphs]
        functions: dict[ox.NamedNode, object] = {}
        while True:
            try:
                # Relative IRIs resolve against a service-defined base IRI (SPARQL Protocol).
                result = self._evaluate(
                    request.query, base_iri=BASE, custom_functions=functions, **options
                )
                break
            except QueryError as exc:
                unknown = _unknown_function(exc.__cause__)
                if unknown is None or len(functions) >= MAX_UNKNOWN_FUNCTIONS:
                    raise
                functions[unknown] = _no_value
        try:
            return write_answer(result, request.result_format, request.max_rows)
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot read the store: {exc}") from exc

    def check_update_syntax(self, update: str) -> None:
        """Refuse a malformed or refused update without touching this store.

        The syntax is checked on an empty scratch store; then what the update writes.

        Raises:
            QueryRefusedError: the guard refuses it, or it writes the default graph.
            QueryError: it does not parse.
        """
        check_request(update, self.allowed_services)
        _refuse_malformed(update)
        maintained_update(update)

    def update(
        self,
        update: str,
        using_graphs: Iterable[str] | None = None,
        using_named_graphs: Iterable[str] | None = None,
    ) -> None:
        parsed = check_request(update, self.allowed_services)
        if using_graphs is not None or using_named_graphs is not None:
            if parsed.has_dataset:
                raise QueryError(
                    "the update has USING, USING NAMED or WITH clauses and the request also "
                    "gives using-graph-uri or using-named-graph-uri; send one or the other "
                    "(SPARQL 1.1 Protocol, section 2.2.3)"
                )
            clauses = [f"USING {graph_node(g)}" for g in using_graphs or ()]
            clauses += [f"USING NAMED {graph_node(g)}" for g in using_named_graphs or ()]
            update = add_using_clauses(update, " ".join(clauses))
        try:
            update = maintained_update(update, self._solutions)
        except QueryRefusedError:
            raise
        except QueryError:
            _refuse_malformed(update)  # the engine's message names the error's position
            raise
        functions: dict[ox.NamedNode, object] = {}
        while True:
            try:
                # Relative IRIs resolve against a service-defined base IRI (SPARQL Protocol).
                self._store.update(
                    update,
                    base_iri=BASE,
                    custom_functions=functions,  # type: ignore[arg-type]
                )
                return
            except SyntaxError as exc:
                raise QueryError(f"malformed SPARQL update: {exc}") from exc
            except RuntimeError as exc:
                unknown = _unknown_function(exc)
                if unknown is None or len(functions) >= MAX_UNKNOWN_FUNCTIONS:
                    # A valid update that cannot be applied (DROP GRAPH of a graph the store
                    # lacks, without SILENT): Protocol 2.2.5 answers 500, not 400.
                    raise UpdateFailedError(f"cannot apply the update: {exc}") from exc
                functions[unknown] = _no_value
            except OSError as exc:
                raise StoreError(f"{self.location}: cannot write the store: {exc}") from exc

    def _solutions(
        self, query: str, default_graph: URIRef | None
    ) -> list[dict[str, object]] | None:
        """Evaluate the WHERE clause of an update operation (``union.Solve``)."""
        options = {} if default_graph is None else {"default_graph": graph_node(default_graph)}
        try:
            solutions = self._evaluate(query, base_iri=BASE, **options)
        except QueryError:  # e.g. an unknown function, which the update itself tolerates
            return None
        assert isinstance(solutions, ox.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        return [{name: solution[name] for name in names} for solution in solutions]

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> list[Row]:
        solutions = self._run(query, bindings, default_graphs)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return rows_of(solutions)

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        answer = self._run(query, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(answer)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        triples = self._run(query, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in triples:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def graph_counts(self) -> list[GraphCount]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = [GraphCount(URIRef(str(row["g"])), int(str(row["n"]))) for row in rows]
        return sorted(counts, key=lambda entry: str(entry.name))

    def graph_names(self) -> set[URIRef]:
        return {
            URIRef(graph.value)
            for graph in self._store.named_graphs()
            if isinstance(graph, ox.NamedNode)
        }

    def export_graph(self, name: URIRef) -> Graph:
        graph = Graph(identifier=name)
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
        if data:
            graph.parse(data=data, format="nt")
        return graph

    def close(self) -> None:
        if self.location != MEMORY and not self.read_only:
            self._store.flush()
        del self._store
