"""Choose an answer format from the ``format`` parameter or the Accept header (with q-values).

Layer: endpoint. Format names are the store's (``store.base.RESULT_FORMATS``, ``GRAPH_FORMATS``).
Clients send few distinct Accept headers, so parsed headers and the choices made from them are
remembered (werkzeug's ``MIMEAccept`` is immutable and hashable).
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from govgraph.errors import RequestError

RESULT_TYPES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
"""Media types of SELECT and ASK answers, the first of each the one we send."""

GRAPH_TYPES: dict[str, tuple[str, ...]] = {
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "nquads": ("application/n-quads", "text/x-nquads"),
    "trig": ("application/trig",),
    "jsonld": ("application/ld+json", "application/json"),
    "rdfxml": ("application/rdf+xml", "application/xml", "text/xml"),
}
"""Media types of CONSTRUCT and DESCRIBE answers (and of RDF documents the server describes)."""

ALIASES = {
    "srj": "json", "srx": "xml", "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples",
    "nq": "nquads", "n-quads": "nquads", "json-ld": "jsonld", "rdf": "rdfxml", "rdf+xml": "rdfxml",
    "rdf/xml": "rdfxml", "owl": "rdfxml",
}  # fmt: skip

TEXT_TYPES = frozenset({"text/csv", "text/tab-separated-values", "text/turtle", "text/plain"})
REMEMBERED = 256
"""How many Accept headers, and choices made from them, are remembered."""


def media_type_of(name: str, table: dict[str, tuple[str, ...]]) -> str:
    """Return the Content-Type to send for a format name, with a charset for text types.

    >>> media_type_of("csv", RESULT_TYPES)
    'text/csv; charset=utf-8'
    """
    media_type = table[name][0]
    return f"{media_type}; charset=utf-8" if media_type in TEXT_TYPES else media_type


GRAPH_ALIASES = {"xml": "rdfxml", "json": "jsonld"}
"""Names of result formats that, asked of a CONSTRUCT or DESCRIBE answer, mean an RDF format."""


def _from_parameter(value: str, table: dict[str, tuple[str, ...]]) -> str:
    """Return the first format of a comma-separated ``format`` value that the table has.

    Clients repeat the parameter with a name and a media type (SPARQLWrapper sends
    ``format=tsv&format=text/tab-separated-values``), or list several media types.

    >>> _from_parameter("tsv,text/tab-separated-values", RESULT_TYPES)
    'tsv'
    >>> _from_parameter("xml", GRAPH_TYPES), _from_parameter("xml", RESULT_TYPES)
    ('rdfxml', 'xml')
    """
    for item in value.split(","):
        wanted = item.partition(";")[0].strip().lower()
        wanted = ALIASES.get(wanted, wanted)
        if wanted not in table and GRAPH_ALIASES.get(wanted) in table:
            wanted = GRAPH_ALIASES[wanted]
        if wanted in table:
            return wanted
        for name, types in table.items():
            if wanted in types:
                return name
    raise RequestError(
        f"format {value!r} cannot carry this answer; use one of {', '.join(table)}", 406
    )


def choose_format(
    table: dict[str, tuple[str, ...]], accept: MIMEAccept, parameter: str | None = None
) -> str:
    """Return the format name for an answer.

    Args:
        table: RESULT_TYPES for SELECT/ASK, GRAPH_TYPES for CONSTRUCT/DESCRIBE.
        accept: the request's parsed Accept header.
        parameter: the ``format`` parameter, which wins over the header when given.

    Raises:
        RequestError: (406) neither names a format the table has.
    """
    if parameter:
        return _from_parameter(parameter, table)
    if not accept:
        return next(iter(table))
    return _best_format(tuple(table.items()), accept)


@lru_cache(maxsize=REMEMBERED)
def _best_format(table: tuple[tuple[str, tuple[str, ...]], ...], accept: MIMEAccept) -> str:
    """Return the format of ``table`` (its items) that ``accept`` prefers (a 406 is not kept)."""
    offered = [media_type for _, types in table for media_type in types]
    best = accept.best_match(offered)
    if best is None:
        raise RequestError(
            f"none of the accepted types ({accept}) can carry this answer; accept one of "
            f"{', '.join(types[0] for _, types in table)}",
            406,
        )
    return next(name for name, types in table if best in types)


@lru_cache(maxsize=REMEMBERED)
def parse_accept(header: str | None) -> MIMEAccept:
    """Return an Accept header parsed as werkzeug's ``request.accept_mimetypes`` is.

    >>> parse_accept("text/csv;q=0.5, application/json").best
    'application/json'
    """
    return parse_accept_header(header, MIMEAccept)
