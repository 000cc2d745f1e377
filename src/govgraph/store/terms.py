"""Conversion between rdflib terms and pyoxigraph terms.

Layer: store. Pure helpers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from govgraph.errors import QueryError, StoreError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term for an rdflib term.

    >>> to_ox(Literal("المغرب", lang="ar"))
    <Literal value=المغرب language=ar>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def from_ox(term: object) -> Node:
    """Return the rdflib term for a pyoxigraph term.

    >>> from_ox(ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # RDF 1.1: a simple literal is an xsd:string
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def graph_node(name: str) -> ox.NamedNode:
    """Return the graph IRI a request names, checked.

    Raises:
        QueryError: it is not a valid IRI.
    """
    try:
        return ox.NamedNode(name)
    except ValueError as exc:
        raise QueryError(f"graph IRI {name!r} is not a valid IRI: {exc}") from exc


def bulk_format(path: Path) -> ox.RdfFormat:
    """Return the RDF format of a file to bulk-load, from its extension.

    Raises:
        StoreError: the extension names no RDF format.
    """
    try:
        found = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError:
        found = None
    if found is None:
        raise StoreError(
            f"{path}: cannot tell the RDF format from the extension {path.suffix!r}; "
            "use .ttl, .nt, .nq, .trig, .rdf or .jsonld"
        )
    return found


class Counted(Iterator[ox.Quad]):
    """The quads of a file being bulk-loaded, counted as they are read."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._quads = iter(quads)
        self.count = 0

    def __next__(self) -> ox.Quad:
        quad = next(self._quads)
        self.count += 1
        return quad


def rows_of(solutions: ox.QuerySolutions) -> list[dict[str, Node]]:
    """Return SELECT solutions as rows of rdflib terms (unbound variables left out)."""
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
