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

Row = dict[str, Node]

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
"""Formats of SELECT and ASK answers (SPARQL 1.1 Query Results JSON, XML, CSV and TSV)."""
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
"""Formats of CONSTRUCT and DESCRIBE answers."""


@dataclass(frozen=True)
class QueryRequest:
    """A query as the SPARQL protocol gives it, with the answer format already chosen.

    Attributes:
        query: the SPARQL text, already passed by ``guard.check_request``.
        result_format: one of RESULT_FORMATS (SELECT, ASK) or GRAPH_FORMATS (CONSTRUCT, DESCRIBE).
        default_graphs: ``default-graph-uri`` values; None leaves the dataset to the query
            (its FROM clauses) or, failing those, the union of all graphs.
        named_graphs: ``named-graph-uri`` values; None for every named graph.
        max_rows: cut the answer after this many rows or triples (0: no cut).
    """

    query: str
    result_format: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int = 0


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer: its bytes, how many rows or triples it holds, and if it was cut."""

    content: bytes
    result_format: str
    rows: int
    truncated: bool = False


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
    def bulk_load(self, path: Path, graph: URIRef | None = None) -> int:
        """Load a large RDF file fast; return how many triples and quads the file held.

        Triples go into ``graph``; quads keep their graph names. Bulk loading is not
        transactional: it is meant for building a store, not for updates.
        """

    def optimize(self) -> None:
        """Reorganize the storage for reading after bulk loads (a remote server does its own)."""
        return None  # nothing to do unless the store keeps its own files

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
    def execute(self, request: QueryRequest) -> QueryAnswer:
        """Run a protocol query and return its answer serialized in ``request.result_format``.

        Raises:
            QueryError: the query is malformed or refused.
            QueryTimeoutError: it ran past the store's time limit.
        """

    @abstractmethod
    def update(
        self,
        update: str,
        using_graphs: Iterable[str] | None = None,
        using_named_graphs: Iterable[str] | None = None,
    ) -> None:
        """Run a SPARQL 1.1 Update, all of it or none of it.

        Args:
            update: the update text, already passed by ``guard.check_request``.
            using_graphs: ``using-graph-uri`` values (the default graph of its WHERE clauses).
            using_named_graphs: ``using-named-graph-uri`` values.
        """

    @property
    def version(self) -> int:
        """A number that changes whenever this process writes to the store (for caches)."""
        return 0

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

    def class_counts(self, graphs: Iterable[URIRef] | None = None) -> dict[URIRef, int]:
        """Return the number of distinct instances of each class in the union of ``graphs``.

        None counts in the union of all graphs (the default graph: faster than naming them all).
        """
        rows = self.select(CLASS_COUNTS, default_graphs=None if graphs is None else list(graphs))
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
