"""Read RDF files safely with pyoxigraph's parsers, for validation before they are stored.

Layer: store. Nothing here reaches the network: pyoxigraph refuses remote JSON-LD contexts,
and RDF/XML with a document type declaration (where entities, internal or external, would
be expanded) is refused before parsing.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from govgraph.errors import Location, SourceError
from govgraph.store.terms import from_ox

RDF_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".rdf", ".owl", ".jsonld", ".n3"}


def rdf_format(path: Path) -> ox.RdfFormat:
    """Return the RDF format of a file from its extension.

    Raises:
        SourceError: the extension names no RDF format.
    """
    extension = path.suffix.lower().lstrip(".")
    try:
        found = ox.RdfFormat.from_extension("rdf" if extension == "owl" else extension)
    except ValueError:
        found = None
    if found is None:
        raise SourceError(
            Location(str(path)),
            f"not an RDF file extension: {path.suffix!r}; "
            f"use one of {', '.join(sorted(RDF_SUFFIXES))}",
        )
    return found


def refuse_xml_doctype(path: Path, data: bytes) -> None:
    """Refuse RDF/XML with a DOCTYPE: its entities could expand without limit or be fetched."""
    if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
        raise SourceError(
            Location(str(path)),
            "RDF/XML with a document type declaration (<!DOCTYPE>/<!ENTITY>) is refused: "
            "entities could be expanded without limit or fetched; remove the declaration",
        )


def read_rdf_file(path: Path, default_graph: URIRef) -> tuple[Dataset, set[URIRef]]:
    """Parse an RDF file into a Dataset: triples go to ``default_graph``, quads keep their graph.

    Returns:
        The dataset and the names of the graphs it fills.

    Raises:
        SourceError: the file cannot be read or does not parse (the message names the line).
    """
    rdf = rdf_format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(Location(str(path)), f"cannot read the file: {exc.strerror}") from exc
    return parse_rdf(data, rdf, str(path), path.resolve().as_uri(), default_graph)


def read_rdf_bytes(
    data: bytes, media_type: str, label: str, default_graph: URIRef
) -> tuple[Dataset, set[URIRef]]:
    """Parse an RDF document received with ``media_type`` (a Graph Store Protocol body).

    Raises:
        SourceError: the media type is not an RDF syntax, or the body does not parse.
    """
    rdf = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if rdf is None:
        raise SourceError(
            Location(label),
            f"cannot read {media_type or 'a body without a Content-Type'} as RDF; send "
            "text/turtle, application/n-triples, application/trig, application/n-quads, "
            "application/ld+json or application/rdf+xml",
        )
    return parse_rdf(data, rdf, label, None, default_graph)


def parse_rdf(
    data: bytes, rdf: ox.RdfFormat, label: str, base_iri: str | None, default_graph: URIRef
) -> tuple[Dataset, set[URIRef]]:
    """Parse RDF bytes safely (no DOCTYPE, no remote contexts) into a Dataset.

    Raises:
        SourceError: the data does not parse; the message names the line.
    """
    if rdf == ox.RdfFormat.RDF_XML:
        refuse_xml_doctype(Path(label), data)
    dataset, graphs = Dataset(), set()
    try:
        for quad in ox.parse(data, format=rdf, base_iri=base_iri):
            graph = (
                default_graph
                if isinstance(quad.graph_name, ox.DefaultGraph)
                else URIRef(str(from_ox(quad.graph_name)))
            )
            graphs.add(graph)
            dataset.graph(graph).add(
                (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
            )
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise SourceError(
            Location(label, line=line), f"not valid {rdf.name}: {exc.msg or exc}"
        ) from exc
    except (OSError, ValueError) as exc:
        raise SourceError(Location(label), f"cannot parse: {exc}") from exc
    return dataset, graphs
