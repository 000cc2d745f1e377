"""Serialize query answers in the protocol's formats, counting and cutting rows on the way.

Layer: store. All serialization is pyoxigraph's (Rust). A SELECT answer is written as TSV
first: TSV escapes newlines and tabs inside terms, so one line is one row, which makes counting
and cutting exact and cheap; other formats are then converted from it without loss.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import pyoxigraph as ox

from govgraph.errors import QueryError
from govgraph.store.base import GRAPH_FORMATS, RESULT_FORMATS, QueryAnswer

_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
assert set(_RESULTS) == set(RESULT_FORMATS) and set(_GRAPHS) == set(GRAPH_FORMATS)


def _results_format(name: str) -> ox.QueryResultsFormat:
    try:
        return _RESULTS[name]
    except KeyError:
        raise QueryError(
            f"a SELECT or ASK answer cannot be written as {name!r}; "
            f"choose one of {', '.join(RESULT_FORMATS)}"
        ) from None


def _graph_format(name: str) -> ox.RdfFormat:
    try:
        return _GRAPHS[name]
    except KeyError:
        raise QueryError(
            f"a CONSTRUCT or DESCRIBE answer cannot be written as {name!r}; "
            f"choose one of {', '.join(GRAPH_FORMATS)}"
        ) from None


def cut_tsv(tsv: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    r"""Return a TSV answer cut to ``max_rows`` rows (0: uncut), its row count and if it was cut.

    >>> cut_tsv(b"?x\n1\n2\n3\n", 2)
    (b'?x\n1\n2\n', 2, True)
    >>> cut_tsv(b"?x\n", 5)
    (b'?x\n', 0, False)
    """
    lines = tsv.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    rows = len(lines) - 1
    if max_rows and rows > max_rows:
        return b"\n".join(lines[: max_rows + 1]) + b"\n", max_rows, True
    return tsv, rows, False


def write_solutions(solutions: ox.QuerySolutions, result_format: str, max_rows: int) -> QueryAnswer:
    """Serialize SELECT solutions, cut to ``max_rows`` rows."""
    target = _results_format(result_format)
    written = solutions.serialize(format=ox.QueryResultsFormat.TSV) or b""
    tsv, rows, truncated = cut_tsv(written, max_rows)
    if result_format == "tsv":
        return QueryAnswer(tsv, result_format, rows, truncated)
    converted = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    content = converted.serialize(format=target) or b""
    return QueryAnswer(content, result_format, rows, truncated)


def write_boolean(answer: ox.QueryBoolean, result_format: str) -> QueryAnswer:
    """Serialize an ASK answer (CSV and TSV carry a bare ``true`` or ``false``)."""
    content = answer.serialize(format=_results_format(result_format)) or b""
    return QueryAnswer(content, result_format, 1)


def write_triples(
    triples: Iterable[ox.Triple],
    result_format: str,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
) -> QueryAnswer:
    """Serialize CONSTRUCT or DESCRIBE triples, cut to ``max_rows`` triples."""
    target = _graph_format(result_format)
    kept = list(islice(triples, max_rows + 1) if max_rows else triples)
    truncated = bool(max_rows) and len(kept) > max_rows
    if truncated:
        kept = kept[:max_rows]
    content = ox.serialize(kept, format=target, prefixes=prefixes) or b""
    return QueryAnswer(content, result_format, len(kept), truncated)


def write_answer(
    result: object, result_format: str, max_rows: int, prefixes: dict[str, str] | None = None
) -> QueryAnswer:
    """Serialize whatever pyoxigraph's ``query`` returned."""
    if isinstance(result, ox.QuerySolutions):
        return write_solutions(result, result_format, max_rows)
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(result, result_format)
    if isinstance(result, ox.QueryTriples):
        return write_triples(result, result_format, max_rows, prefixes)
    raise QueryError(f"unexpected answer of type {type(result).__name__}")


def cut_answer(content: bytes, result_format: str, max_rows: int) -> QueryAnswer:
    """Count and cut an answer serialized elsewhere (a remote store's), re-serializing it.

    SELECT and ASK answers in JSON, XML or TSV are parsed and rewritten; RDF answers are parsed
    as triples. CSV cannot be read back (it drops term types), so it is passed through.
    """
    if result_format in _RESULTS:
        if result_format == "csv":
            lines = content.count(b"\n")
            return QueryAnswer(content, result_format, max(lines - 1, 0))
        try:
            parsed = ox.parse_query_results(content, _RESULTS[result_format])
        except SyntaxError as exc:
            raise QueryError(f"the store sent an unreadable {result_format} answer: {exc}") from exc
        return write_answer(parsed, result_format, max_rows)
    try:
        triples = [quad.triple for quad in ox.parse(content, format=_graph_format(result_format))]
    except SyntaxError as exc:
        raise QueryError(f"the store sent an unreadable {result_format} answer: {exc}") from exc
    return write_triples(triples, result_format, max_rows)
