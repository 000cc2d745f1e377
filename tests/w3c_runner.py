"""Read the W3C SPARQL 1.1 test manifests in tests/w3c/ and compare answers with expected results.

The test module (test_w3c_sparql.py) sends every query over HTTP; this module only knows the
manifests' vocabulary, the canonical IRIs of the test files, and how to compare two answers:
SELECT answers as multisets of solutions up to blank-node renaming (in order when the query
has a top-level ORDER BY), CONSTRUCT answers as isomorphic graphs, CSV answers as text cells.
"""

from __future__ import annotations

import csv
import io
import math
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.plugins.sparql.results.rdfresults import RDFResult
from rdflib.query import Result
from rdflib.term import Node

from govgraph.store.guard import iter_tokens, resolve_codepoint_escapes

SUITE = Path(__file__).resolve().parent / "w3c" / "sparql11"
DATA_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
EMPTY_GRAPH = DATA_BASE + "no-such-graph"
"""A graph name with no triples: the default graph of tests that give no qt:data."""

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

EVALUATION_FOLDERS = (
    "aggregates", "bind", "bindings", "cast", "construct", "csv-tsv-res", "exists", "functions",
    "grouping", "json-res", "negation", "project-expression", "property-path", "subquery",
)  # fmt: skip
SYNTAX_FOLDERS = ("syntax-query", "syntax-update-1", "syntax-update-2")
RESULT_FORMAT_FOLDERS = ("csv-tsv-res", "json-res")
EVALUATION_TYPES = ("QueryEvaluationTest", "CSVResultFormatTest")
SYNTAX_TYPES = {
    "PositiveSyntaxTest11": (True, "query"),
    "NegativeSyntaxTest11": (False, "query"),
    "PositiveUpdateSyntaxTest11": (True, "update"),
    "NegativeUpdateSyntaxTest11": (False, "update"),
}
"""Syntax test type -> (must be accepted, operation)."""
RESULT_MEDIA_TYPES = {
    ".srx": "application/sparql-results+xml",
    ".srj": "application/sparql-results+json",
    ".tsv": "text/tab-separated-values",
    ".csv": "text/csv",
    ".ttl": "text/turtle",
    ".rdf": "text/turtle",
}
"""The answer format asked of the endpoint for each kind of expected-results file."""
RDFLIB_RESULTS = {".srx": "xml", ".srj": "json", ".tsv": "tsv"}
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


@dataclass(frozen=True)
class W3CTest:
    """One manifest entry: where its files are and what kind of test it is."""

    folder: str
    name: str
    kind: str
    query: Path | None = None
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None

    @property
    def test_id(self) -> str:
        """The pytest id: ``<folder>/<entry name in the manifest>``."""
        return f"{self.folder}/{self.name}"


@dataclass(frozen=True)
class ProtocolRequest:
    """One HTTP request of a protocol test and the response the manifest expects."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]
    result_form: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    """A protocol test: the graphs it needs and its requests, to be sent in order."""

    name: str
    title: str
    graphs: tuple[tuple[str, Path], ...]
    requests: tuple[ProtocolRequest, ...]


@dataclass
class Solutions:
    """A parsed SELECT or ASK answer."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None


@contextmanager
def exact_literals() -> Iterator[None]:
    """Keep literals' lexical forms as written (rdflib normalizes ``"01"^^xsd:integer``)."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def canonical_iri(path: Path) -> str:
    """Return the IRI a test file is published under (the base of its folder's manifest)."""
    return DATA_BASE + path.relative_to(SUITE).as_posix()


def local_path(iri: Node) -> Path:
    """Return the file of the suite that a canonical IRI names."""
    text = str(iri)
    if not text.startswith(DATA_BASE):
        raise ValueError(f"{text} is not under {DATA_BASE}")
    return SUITE / text[len(DATA_BASE) :]


def read_manifest(folder: str) -> tuple[Graph, list[Node]]:
    """Parse a folder's manifest under its canonical IRI; return it and its entries in order."""
    path = SUITE / folder / "manifest.ttl"
    graph = Graph().parse(path, format="turtle", publicID=canonical_iri(path))
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    entries: list[Node] = []
    for head in graph.objects(manifest, MF.entries):
        entries.extend(Collection(graph, head))
    return graph, entries


def _name_of(entry: Node) -> str:
    return str(entry).rpartition("#")[2]


def entry_names(folder: str) -> list[str]:
    """The names of a manifest's entries, in order (the fragments of their IRIs)."""
    return [_name_of(entry) for entry in read_manifest(folder)[1]]


def iter_tests(folders: tuple[str, ...]) -> Iterator[W3CTest]:
    """Yield the query-evaluation and syntax tests of the folders, in manifest order."""
    for folder in folders:
        graph, entries = read_manifest(folder)
        for entry in entries:
            kind = str(graph.value(entry, RDF.type)).rpartition("#")[2]
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            if kind in EVALUATION_TYPES:
                yield W3CTest(
                    folder,
                    _name_of(entry),
                    kind,
                    local_path(graph.value(action, QT.query)),
                    tuple(sorted(local_path(d) for d in graph.objects(action, QT.data))),
                    tuple(sorted(local_path(d) for d in graph.objects(action, QT.graphData))),
                    local_path(result) if result is not None else None,
                )
            elif kind in SYNTAX_TYPES:
                yield W3CTest(folder, _name_of(entry), kind, local_path(action))
            else:
                raise ValueError(f"{folder}: test {entry} has a type this runner does not know")


def _headers_of(graph: Graph, request: Node) -> tuple[tuple[str, str], ...]:
    found = []
    for head in graph.objects(request, HT.headers):
        for header in Collection(graph, head):
            found.append(
                (str(graph.value(header, HT.fieldName)), str(graph.value(header, HT.fieldValue)))
            )
    return tuple(found)


def _body_of(graph: Graph, request: Node) -> bytes | None:
    body = graph.value(request, HT.body)
    if body is None:
        return None
    encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(body, CNT.chars)).encode(encoding)


def iter_protocol_tests() -> Iterator[ProtocolTest]:
    """Yield the tests of protocol/manifest.ttl, with their requests in order."""
    graph, entries = read_manifest("protocol")
    for entry in entries:
        graphs = tuple(
            (str(graph.value(item, RDFS.label)), local_path(graph.value(item, UT.graph)))
            for item in graph.objects(entry, UT.graphData)
        )
        connection = graph.value(entry, MF.action)
        requests = []
        for head in graph.objects(connection, HT.requests):
            for request in Collection(graph, head):
                response = graph.value(request, HT.resp)
                boolean = graph.value(response, MF.expectedBoolean)
                form = graph.value(response, MF.expectedFormat)
                requests.append(
                    ProtocolRequest(
                        str(graph.value(request, HT.methodName)),
                        str(graph.value(request, HT.absolutePath)),
                        _headers_of(graph, request),
                        _body_of(graph, request),
                        frozenset(
                            str(s).rpartition("#")[2][-3:]
                            for s in graph.objects(response, MF.expectedStatus)
                        ),
                        str(form) if form is not None else None,
                        bool(boolean.toPython()) if isinstance(boolean, Literal) else None,
                    )
                )
        yield ProtocolTest(
            _name_of(entry), str(graph.value(entry, MF.name)), graphs, tuple(requests)
        )


def endpoint_path(manifest_path: str) -> str:
    """Map the manifest's ``/sparql/...`` request paths to govgraph's ``/sparql``."""
    prefix = "/sparql/"
    assert manifest_path.startswith(prefix), manifest_path
    rest = manifest_path[len(prefix) :]
    return "/sparql" + rest


# --- What a query text says -----------------------------------------------------------------


def _top_level_keywords(text: str) -> list[tuple[int, str, str]]:
    """Return (depth, kind, upper-cased text) for each token of a query."""
    depth = 0
    found = []
    for token in iter_tokens(resolve_codepoint_escapes(text)):
        if token.kind == "open" and token.text == "{":
            depth += 1
        elif token.kind == "close" and token.text == "}":
            depth -= 1
        found.append(
            (depth, token.kind, token.text.upper() if token.kind == "name" else token.text)
        )
    return found


def has_base(text: str) -> bool:
    """Whether a query declares its own BASE."""
    return any(kind == "name" and word == "BASE" for _, kind, word in _top_level_keywords(text))


def has_dataset_clause(text: str) -> bool:
    """Whether a query has its own FROM or FROM NAMED."""
    return any(
        depth == 0 and kind == "name" and word == "FROM"
        for depth, kind, word in _top_level_keywords(text)
    )


def order_variables(text: str) -> list[str] | None:
    """Return the variables of the outer ORDER BY (None when the answer is unordered)."""
    tokens = _top_level_keywords(text)
    for index, (depth, kind, word) in enumerate(tokens[:-1]):
        if depth == 0 and kind == "name" and word == "ORDER" and tokens[index + 1][2] == "BY":
            names = []
            for _, later_kind, later in tokens[index + 2 :]:
                if later_kind == "name" and later in ("LIMIT", "OFFSET", "VALUES"):
                    break
                if later_kind == "var":
                    names.append(later[1:])
            return names
    return None


def query_to_send(test: W3CTest) -> str:
    """The query text with the canonical base in front when it declares none."""
    assert test.query is not None
    text = test.query.read_text(encoding="utf-8")
    if has_base(text):
        return text
    return f"BASE <{canonical_iri(test.query)}>\n{text}"


def dataset_parameters(test: W3CTest) -> list[tuple[str, str]]:
    """The protocol dataset of a test (none when the query names its own)."""
    assert test.query is not None
    if has_dataset_clause(test.query.read_text(encoding="utf-8")):
        return []
    defaults = [canonical_iri(path) for path in test.data] or [EMPTY_GRAPH]
    parameters = [("default-graph-uri", iri) for iri in defaults]
    parameters += [("named-graph-uri", canonical_iri(path)) for path in test.graph_data]
    return parameters


def form_body(fields: list[tuple[str, str]]) -> bytes:
    """URL-encode form fields."""
    return urllib.parse.urlencode(fields).encode("ascii")


# --- Reading answers ------------------------------------------------------------------------


def parse_solutions(content: bytes, suffix: str) -> Solutions:
    """Parse a SELECT or ASK answer in the format the expected-results suffix names.

    CSV carries no term types, so its cells stay strings (blank nodes are ``_:`` cells).
    """
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
        if rows and len(rows[0]) == 1 and rows[0][0] in ("true", "false") and len(rows) == 1:
            return Solutions([], boolean=rows[0][0] == "true")
        header = rows[0] if rows else []
        solutions = Solutions(header)
        for row in rows[1:]:
            solutions.rows.append(
                {
                    name: BNode(cell[2:]) if cell.startswith("_:") else Literal(cell)
                    for name, cell in zip(header, row, strict=True)
                    if cell != ""
                }
            )
        return solutions
    with exact_literals():
        return _solutions_of(Result.parse(io.BytesIO(content), format=RDFLIB_RESULTS[suffix]))


def _solutions_of(result: Result) -> Solutions:
    if result.type == "ASK":
        return Solutions([], boolean=bool(result.askAnswer))
    names = [str(variable) for variable in result.vars or []]
    rows = [
        {str(name): value for name, value in binding.items() if value is not None}
        for binding in result.bindings
    ]
    return Solutions(names, rows)


def read_expected(path: Path) -> Solutions | Graph:
    """Read an expected-results file: solutions, or the graph a CONSTRUCT must return.

    A Turtle or RDF/XML file holding an ``rs:ResultSet`` is a SELECT answer in RDF.
    """
    if path.suffix in (".ttl", ".rdf"):
        rdf_format = "turtle" if path.suffix == ".ttl" else "xml"
        graph = parse_graph(path.read_bytes(), rdf_format, canonical_iri(path))
        if (None, RDF.type, RS.ResultSet) in graph:
            return _solutions_of(RDFResult(graph))
        return graph
    return parse_solutions(path.read_bytes(), path.suffix)


def parse_graph(content: bytes, rdf_format: str, base: str | None = None) -> Graph:
    """Parse an RDF answer or expected graph, keeping lexical forms."""
    with exact_literals():
        return Graph().parse(data=content, format=rdf_format, publicID=base)


# --- Comparing answers ----------------------------------------------------------------------

VALUE_DATATYPES = frozenset(
    XSD[name]
    for name in (
        "boolean", "decimal", "float", "double", "integer", "nonPositiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "nonNegativeInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "positiveInteger",
    )
)  # fmt: skip
"""Datatypes whose valid literals are compared by value: Oxigraph stores them by value."""


def canonical(term: Node | None) -> Node | None:
    """Return a term in the form answers are compared in.

    A valid literal of a numeric or boolean datatype gets a canonical lexical form of its value
    (same datatype): Oxigraph keeps values, not lexical forms, so ``"1.0E0"^^xsd:double`` comes
    back as ``"1"^^xsd:double`` and ``"0"^^xsd:boolean`` as ``"false"``. Language tags are
    compared in lower case (BCP 47 tags are case-insensitive). Other terms stay as they are.

    >>> canonical(Literal("1.0E0", datatype=XSD.double)).n3()
    '"1.0"^^<http://www.w3.org/2001/XMLSchema#double>'
    >>> canonical(Literal("0", datatype=XSD.boolean)).n3()
    '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'

    """
    if not isinstance(term, Literal):
        return term
    if term.language:
        return Literal(str(term), lang=term.language.lower())
    if term.datatype not in VALUE_DATATYPES or term.ill_typed:
        return term
    value = term.value
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = "NaN" if math.isnan(value) else repr(value)
    elif isinstance(value, Decimal):
        text = str(value.normalize())
    else:
        text = str(int(value))
    return Literal(text, datatype=term.datatype, normalize=False)


def _cells(row: dict[str, Node], names: list[str]) -> tuple[Node | None, ...]:
    return tuple(canonical(row.get(name)) for name in names)


def _bind(
    expected: tuple[Node | None, ...],
    actual: tuple[Node | None, ...],
    mapping: dict[Node, Node],
    reverse: dict[Node, Node],
) -> list[tuple[Node, Node]] | None:
    """Return the blank-node pairs to add so the rows match, or None if they cannot."""
    added: list[tuple[Node, Node]] = []
    for left, right in zip(expected, actual, strict=True):
        if isinstance(left, BNode) and isinstance(right, BNode):
            known = mapping.get(left)
            if known is None and right not in reverse:
                mapping[left], reverse[right] = right, left
                added.append((left, right))
            elif known != right:
                for undo_left, undo_right in added:
                    del mapping[undo_left], reverse[undo_right]
                return None
        elif left != right or isinstance(left, BNode) or isinstance(right, BNode):
            for undo_left, undo_right in added:
                del mapping[undo_left], reverse[undo_right]
            return None
    return added


def _match_rows(
    expected: list[tuple[Node | None, ...]],
    actual: list[tuple[Node | None, ...]],
    mapping: dict[Node, Node],
    reverse: dict[Node, Node],
) -> bool:
    """Backtracking search for a bijection of rows under one blank-node renaming."""
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    tried: set[tuple[Node | None, ...]] = set()
    for index, candidate in enumerate(actual):
        if candidate in tried:
            continue
        tried.add(candidate)
        added = _bind(first, candidate, mapping, reverse)
        if added is None:
            continue
        if _match_rows(rest, actual[:index] + actual[index + 1 :], mapping, reverse):
            return True
        for left, right in added:
            del mapping[left], reverse[right]
    return False


def _show(rows: list[tuple[Node | None, ...]], names: list[str]) -> str:
    lines = [
        "  "
        + " | ".join(
            f"?{n}={c.n3() if c is not None else '-'}" for n, c in zip(names, r, strict=True)
        )
        for r in rows[:20]
    ]
    return "\n".join(lines + (["  ..."] if len(rows) > 20 else []))


def compare_solutions(
    expected: Solutions, actual: Solutions, ordered_by: list[str] | None
) -> str | None:
    """Return why two answers differ, or None when they are the same answer."""
    if expected.boolean is not None or actual.boolean is not None:
        if expected.boolean != actual.boolean:
            return f"expected ASK answer {expected.boolean}, got {actual.boolean}"
        return None
    names = sorted(set(expected.variables) | set(actual.variables))
    if set(expected.variables) != set(actual.variables):
        return f"expected variables {sorted(expected.variables)}, got {sorted(actual.variables)}"
    wanted = [_cells(row, names) for row in expected.rows]
    got = [_cells(row, names) for row in actual.rows]
    ground_wanted = Counter(r for r in wanted if not any(isinstance(c, BNode) for c in r))
    ground_got = Counter(r for r in got if not any(isinstance(c, BNode) for c in r))
    rest_wanted = [r for r in wanted if any(isinstance(c, BNode) for c in r)]
    rest_got = [r for r in got if any(isinstance(c, BNode) for c in r)]
    if ground_wanted != ground_got or not (
        len(rest_wanted) == len(rest_got) and _match_rows(rest_wanted, rest_got, {}, {})
    ):
        missing = list((ground_wanted - ground_got).elements()) + rest_wanted
        extra = list((ground_got - ground_wanted).elements()) + rest_got
        return (
            f"the solutions differ ({len(wanted)} expected, {len(got)} returned)\n"
            f"only in expected:\n{_show(missing, names)}\nonly in actual:\n{_show(extra, names)}"
        )
    if ordered_by:
        keys = [name for name in ordered_by if name in names]

        def projected(rows: list[dict[str, Node]]) -> list[tuple[Node | None, ...]]:
            return [
                tuple("_:" if isinstance(c, BNode) else c for c in _cells(row, keys))
                for row in rows
            ]

        if projected(expected.rows) != projected(actual.rows):
            return (
                f"same solutions, but not in the order of ORDER BY {' '.join(keys)}\n"
                f"expected:\n{_show(projected(expected.rows), keys)}\n"
                f"actual:\n{_show(projected(actual.rows), keys)}"
            )
    return None


def _canonical_graph(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(tuple(canonical(term) for term in triple))  # type: ignore[arg-type]
    return copy


def compare_graphs(expected: Graph, actual: Graph) -> str | None:
    """Return why two graphs are not isomorphic (literals compared as ``canonical`` says)."""
    expected, actual = _canonical_graph(expected), _canonical_graph(actual)
    if isomorphic(expected, actual):
        return None
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return (
        f"the graphs differ ({len(expected)} expected triples, {len(actual)} returned)\n"
        f"only in expected:\n{only_expected.serialize(format='nt')}\n"
        f"only in actual:\n{only_actual.serialize(format='nt')}"
    )
