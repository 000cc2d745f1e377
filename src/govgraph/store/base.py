"""The Store interface: every read and write of persisted graphs goes through it.

Layer: store. Implementations: ``embedded.EmbeddedStore`` (pyoxigraph, the default). A remote
SPARQL 1.1 store implements the same methods, so loaders, validation and exports run unchanged.
Terms crossing this interface are rdflib terms; graphs are rdflib Graphs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from govgraph.errors import QueryError

Row = dict[str, Node]


def refuse_remote_access(query: str) -> None:
    """Refuse a query that would reach the network (SERVICE), checked on the parsed query.

    rdflib's parser reads the query (it does not evaluate it, so nothing is fetched here);
    a query it cannot parse is refused too, rather than passed on unchecked.

    Raises:
        QueryError: the query has a SERVICE clause or cannot be parsed.
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(query).algebra
    except Exception as exc:  # rdflib's parser raises pyparsing and bare exceptions
        raise QueryError(f"malformed SPARQL query: {exc}") from exc
    pending: list[object] = [algebra]
    while pending:
        node = pending.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryError(
                "SERVICE is refused: govgraph never sends queries to other endpoints; "
                "load the data you need instead"
            )
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)

CLASS_COUNTS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


@dataclass(frozen=True)
class GraphCount:
    """A named graph and the number of triples in it."""

    name: URIRef
    triples: int


class Store(ABC):
    """A quad store with named graphs; the default graph of queries is the union of all graphs."""

    location: str
    """Where the store lives (a directory, ``:memory:`` or an endpoint URL), for messages."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace each named graph with the given content, all at once or not at all.

        A graph given with no triples is removed.
        """

    @abstractmethod
    def bulk_load(self, path: Path, graph: URIRef | None = None) -> None:
        """Load a large RDF file fast. Triples go into ``graph``; quads keep their graph names.

        Bulk loading is not transactional: it is meant for building a store, not for updates.
        """

    @abstractmethod
    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        """Remove the named graphs, all at once."""

    @abstractmethod
    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> list[Row]:
        """Run a SELECT query and return its rows.

        Args:
            query: the SPARQL text (never built from input: pass values as ``bindings``).
            bindings: values for variables, which the query must project (SEP-0007).
            default_graphs: the graphs whose union is the default graph; None for all graphs.
        """

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query and return its triples."""

    @abstractmethod
    def graph_counts(self) -> list[GraphCount]:
        """Return every named graph with its triple count, sorted by name."""

    @abstractmethod
    def graph_names(self) -> set[URIRef]:
        """Return the names of the named graphs (without counting their triples)."""

    @abstractmethod
    def export_graph(self, name: URIRef) -> Graph:
        """Return a copy of one named graph (empty when it does not exist)."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the store."""

    def dataset(self, names: Iterable[URIRef]) -> Dataset:
        """Return a Dataset holding copies of the named graphs (for validation or export)."""
        dataset = Dataset()
        for name in names:
            target = dataset.graph(name)
            for triple in self.export_graph(name):
                target.add(triple)
        return dataset

    def class_counts(self, graphs: Iterable[URIRef]) -> dict[URIRef, int]:
        """Return the number of distinct instances of each class in the union of ``graphs``."""
        rows = self.select(CLASS_COUNTS, default_graphs=list(graphs))
        return {URIRef(str(row["class"])): int(str(row["n"])) for row in rows}

    def count(self) -> int:
        """Return the number of quads in all named graphs."""
        return sum(entry.triples for entry in self.graph_counts())

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
