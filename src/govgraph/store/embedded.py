"""The embedded store: pyoxigraph on disk (RocksDB) or in memory.

Layer: store. The only module besides ``store.terms`` that imports pyoxigraph.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from govgraph.errors import QueryError, StoreError
from govgraph.model.ids import short_hash
from govgraph.model.namespaces import ID
from govgraph.store.base import GraphCount, Row, Store, refuse_remote_access
from govgraph.store.terms import from_ox, to_ox

log = logging.getLogger(__name__)

MEMORY = ":memory:"
STAGING = str(ID["graph/staging/"])


def _substitutions(bindings: Mapping[str, Node] | None) -> dict[ox.Variable, object] | None:
    if not bindings:
        return None
    return {ox.Variable(name): to_ox(term) for name, term in bindings.items()}


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

    def __init__(self, store: ox.Store, location: str) -> None:
        self._store = store
        self.location = location

    @classmethod
    def open(cls, location: str | Path) -> EmbeddedStore:
        """Open (creating if needed) the store at ``location``, or in memory for ``":memory:"``.

        Raises:
            StoreError: the directory cannot be created or is locked by another process.
        """
        location = str(location)
        try:
            if location == MEMORY:
                store = ox.Store()
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                store = ox.Store(location)
        except OSError as exc:
            raise StoreError(
                f"{location}: cannot open the embedded store: {exc}; "
                "is another govgraph process using it? Stop it or choose another --store"
            ) from exc
        opened = cls(store, location)
        opened._drop_staging_leftovers()
        return opened

    def _drop_staging_leftovers(self) -> None:
        leftovers = [g for g in self._store.named_graphs() if g.value.startswith(STAGING)]
        for graph in leftovers:
            log.warning("removing graph %s left over by an interrupted write", graph.value)
            self._store.remove_graph(graph)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        operations = []
        staged = []
        try:
            for name, content in graphs.items():
                target = ox.NamedNode(str(name))
                if len(content) == 0:
                    operations.append(f"DROP SILENT GRAPH {target}")
                    continue
                staging = ox.NamedNode(STAGING + short_hash(str(name)))
                if self._store.contains_named_graph(staging):
                    self._store.remove_graph(staging)
                self._store.load(
                    serialize_ntriples(content), format=ox.RdfFormat.N_TRIPLES, to_graph=staging
                )
                staged.append(staging)
                operations.append(f"MOVE SILENT GRAPH {staging} TO GRAPH {target}")
            if operations:
                self._store.update(" ;\n".join(operations))
        except (OSError, SyntaxError, ValueError) as exc:
            for staging in staged:
                self._store.remove_graph(staging)
            raise StoreError(f"{self.location}: cannot write graphs: {exc}") from exc

    def bulk_load(self, path: Path, graph: URIRef | None = None) -> None:
        try:
            rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        except ValueError:
            rdf_format = None
        if rdf_format is None:
            raise StoreError(
                f"{path}: cannot tell the RDF format from the extension {path.suffix!r}; "
                "use .ttl, .nt, .nq, .trig, .rdf or .jsonld"
            )
        target = ox.NamedNode(str(graph)) if graph is not None else None
        try:
            self._store.bulk_load(path=str(path), format=rdf_format, to_graph=target)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from exc

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        operations = [f"DROP SILENT GRAPH {ox.NamedNode(str(name))}" for name in names]
        if operations:
            self._store.update(" ;\n".join(operations))

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> object:
        refuse_remote_access(query)
        graphs = None if default_graphs is None else [ox.NamedNode(str(g)) for g in default_graphs]
        try:
            return self._store.query(
                query,
                use_default_graph_as_union=graphs is None,
                default_graph=graphs,  # type: ignore[arg-type]
                substitutions=_substitutions(bindings),  # type: ignore[arg-type]
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from exc
        except RuntimeError as exc:
            # pyoxigraph 0.5 substitutes only projected variables (SEP-0007).
            raise QueryError(f"cannot run the query with its parameters: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot read the store: {exc}") from exc

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> list[Row]:
        solutions = self._run(query, bindings, default_graphs)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [variable.value for variable in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = from_ox(value)
            rows.append(row)
        return rows

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
        if self.location != MEMORY:
            self._store.flush()
        del self._store
        # Parsing queries with rdflib leaves reference cycles through pyparsing's frames that
        # can keep the pyoxigraph store, and its directory lock, alive: collect them now so the
        # store can be opened again at once.
        gc.collect()
