"""The embedded store's default graph: every distinct triple of the named graphs, kept once.

Layer: store. Used by ``embedded`` only: it writes the SPARQL text and quads that the embedded
store hands to pyoxigraph, and reads updates with rdflib's parser (which evaluates nothing).

Oxigraph's own union default graph yields one solution per (triple, graph), and govgraph repeats
reference facts in every announcement that states them, so joins over the union multiply (a
5-pattern COUNT gave 196,716 where the set of triples gives 4). Instead, the embedded store keeps
the union itself in its default graph: each write of named graphs carries the operations that
keep it exact, inside the same atomic pyoxigraph update. Queries without a dataset then read
the default graph, which is the RDF merge the SPARQL specification describes.

A file ``MARKER`` in the store's directory says the default graph is current. Writes that cannot
be atomic (bulk loads, a rebuild) remove it first and write it when done, so a store whose
marker is missing is rebuilt when next opened for writing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, URIRef, Variable

from govgraph.errors import QueryError, QueryRefusedError, StoreError
from govgraph.model.ids import short_hash
from govgraph.model.namespaces import BASE, ID
from govgraph.store.guard import Token, iter_tokens, resolve_codepoint_escapes
from govgraph.store.terms import to_ox

MARKER = "govgraph-union-default-graph"
"""A file whose presence says the store's default graph holds exactly its named graphs' union."""
MARKER_TEXT = (
    "The default graph of this store holds every distinct triple of its named graphs once.\n"
    "govgraph keeps it so; if this file is missing, it rebuilds it on the next write.\n"
)
STAGING = str(ID["graph/staging/"])
STASH = f"<{STAGING}removed>"
"""A graph, inside one update, holding the triples an operation may remove from named graphs."""
NOT_STAGING = f'FILTER(!STRSTARTS(STR(?h), "{STAGING}"))'
DEFAULT_WRITE = (
    "govgraph keeps every triple in a named graph and the default graph is their union, kept by "
    "govgraph; write into a named graph instead (GRAPH <IRI> { ... }, WITH <IRI>, INTO GRAPH "
    "<IRI>)"
)


# -- the marker ---------------------------------------------------------------------------------


def is_current(location: str | Path) -> bool:
    """Whether the store at ``location`` says its default graph is its named graphs' union."""
    return (Path(location) / MARKER).is_file()


def mark_current(location: str | Path) -> None:
    """Say that the default graph of the store at ``location`` is current."""
    partial = Path(location) / f"{MARKER}.partial"
    partial.write_text(MARKER_TEXT, encoding="utf-8")
    partial.replace(Path(location) / MARKER)


def mark_stale(location: str | Path) -> None:
    """Say that the default graph may lag its named graphs (a non-atomic write follows)."""
    (Path(location) / MARKER).unlink(missing_ok=True)


def rebuild(store: ox.Store) -> None:
    """Make the default graph the union of the named graphs (reads and rewrites it all)."""
    store.update("CLEAR SILENT DEFAULT")
    store.bulk_extend(
        ox.Quad(quad.subject, quad.predicate, quad.object)
        for quad in store.quads_for_pattern(None, None, None, None)
        if not isinstance(quad.graph_name, ox.DefaultGraph)
    )


def with_default_copies(
    quads: Iterable[ox.Quad], graph: ox.NamedNode | None, source: str
) -> Iterator[ox.Quad]:
    """Yield each parsed quad (triples into ``graph``) and its copy in the default graph.

    Blank nodes are renamed, so that a file's ``_:b1`` is its own node in the store (as
    pyoxigraph's own loaders do) and its default-graph copy is the same node.

    Raises:
        StoreError: a triple has no graph to go into (``graph`` is None).
    """
    fresh: dict[str, ox.BlankNode] = {}

    def renamed(term: object) -> object:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        return term

    for quad in quads:
        name = quad.graph_name
        if isinstance(name, ox.DefaultGraph):
            if graph is None:
                raise StoreError(f"{source}: it has triples outside any graph; give a graph")
            name = graph
        subject, value = renamed(quad.subject), renamed(quad.object)
        yield ox.Quad(subject, quad.predicate, value, renamed(name))  # type: ignore[arg-type]
        yield ox.Quad(subject, quad.predicate, value)  # type: ignore[arg-type]


# -- operations that keep the default graph exact -----------------------------------------------


def _orphans_removed(source: str, others: str) -> str:
    """Remove from the default graph the triples of ``source`` found in no other named graph."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {source} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} {others} }} }}"
    )


def _copied_to_default(graph: str) -> str:
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


RESYNC = [
    f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
    f"{NOT_STAGING} }} }}",
    f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?h {{ ?s ?p ?o }} {NOT_STAGING} }}",
]
"""Operations that make the default graph the union again, reading the whole store."""


def replace_request(moves: dict[ox.NamedNode, ox.NamedNode | None]) -> str:
    """Return the update that moves each staging graph onto its target (None: drops the target).

    Before the moves, triples of a replaced graph that no graph outside the batch holds leave
    the default graph (a staging graph counts: its triples come back with it); after them,
    every new graph's triples are added.
    """
    targets = ", ".join(str(target) for target in moves)
    others = f"FILTER(?h NOT IN ({targets}))"
    operations = [_orphans_removed(str(target), others) for target in moves]
    for target, staging in moves.items():
        if staging is None:
            operations.append(f"DROP SILENT GRAPH {target}")
        else:
            operations.append(f"MOVE SILENT GRAPH {staging} TO GRAPH {target}")
    operations += [_copied_to_default(str(t)) for t, s in moves.items() if s is not None]
    return " ;\n".join(operations)


# -- SPARQL Update, read ------------------------------------------------------------------------


@dataclass(frozen=True)
class Writes:
    """What one update operation may change, in named graphs.

    Attributes:
        adds: graphs that may gain triples.
        removes: graphs that may lose some triples (found by copying them before it runs).
        empties: graphs it empties without reading the default graph (CLEAR, DROP, the target
            of COPY or MOVE, the source of MOVE): their triples leave the default graph first.
        every: it may change graphs it does not name (a variable graph name).
        clears: it removes every named graph's triples (CLEAR / DROP ALL or NAMED).
        removed_by_text: its removed triples can be written out from its own text (DELETE
            DATA, DELETE WHERE), so no graph needs copying before it runs.
    """

    adds: frozenset[str] = frozenset()
    removes: frozenset[str] = frozenset()
    empties: frozenset[str] = frozenset()
    every: bool = False
    clears: bool = False
    removed_by_text: bool = False


def _field(value: Any, name: str) -> Any:
    """A field of rdflib's algebra (its own ``get`` answers a missing field with its name)."""
    return dict.get(value, name)


def _iri(name: Any) -> str:
    return f"<{name}>"


def _template_graphs(clause: Any, with_graph: Any) -> tuple[frozenset[str], bool]:
    """The graphs a template (or quad data) writes, and whether one of them is a variable.

    Raises:
        QueryRefusedError: the template writes the default graph.
    """
    if clause is None:
        return frozenset(), False
    graphs: set[str] = set()
    every = False
    if _field(clause, "triples"):
        if with_graph is None:
            raise QueryRefusedError(f"the update writes the default graph: {DEFAULT_WRITE}")
        graphs.add(_iri(with_graph))
    for name, triples in (_field(clause, "quads") or {}).items():
        if not triples:
            continue
        if isinstance(name, URIRef):
            graphs.add(_iri(name))
        else:
            every = True
    return frozenset(graphs), every


def _graph_transfer(name: str, source: Any, target: Any) -> Writes:
    """What ADD, COPY or MOVE does to the named graphs."""
    if target == "DEFAULT" or (name == "Move" and source == "DEFAULT"):
        raise QueryRefusedError(f"the update moves triples into or out of the default graph: "
                         f"{DEFAULT_WRITE}")  # fmt: skip
    written = frozenset({_iri(target)})
    if name == "Add":
        return Writes(adds=written)
    if source == "DEFAULT":  # COPY DEFAULT reads the default graph: leave it whole until then
        return Writes(adds=written, removes=written)
    emptied = written | ({_iri(source)} if name == "Move" else set())
    return Writes(adds=written, empties=emptied)


def _writes_of(operation: Any) -> Writes:
    """What one operation of rdflib's update algebra may change.

    Raises:
        QueryRefusedError: it writes the default graph.
    """
    name = operation.name
    if name == "Create":
        return Writes()
    if name == "Load":
        target = _field(operation, "graphiri")
        if target is None:
            raise QueryRefusedError(
                f"LOAD without INTO GRAPH writes the default graph: {DEFAULT_WRITE}"
            )
        return Writes(adds=frozenset({_iri(target)}))
    if name == "InsertData":
        added, every = _template_graphs(operation, None)
        return Writes(adds=added, every=every)
    if name in ("DeleteData", "DeleteWhere"):
        removed, every = _template_graphs(operation, None)
        return Writes(removes=removed, every=every, removed_by_text=True)
    if name in ("Clear", "Drop"):
        target = _field(operation, "graphiri")
        if target == "DEFAULT":
            raise QueryRefusedError(f"the update clears the default graph: {DEFAULT_WRITE}")
        if target in ("ALL", "NAMED"):
            return Writes(clears=True)
        return Writes(empties=frozenset({_iri(target)}))
    if name in ("Add", "Copy", "Move"):
        source, target = _field(operation, "graph")
        return _graph_transfer(name, source, target)
    if name == "Modify":
        with_graph = _field(operation, "withClause")
        removed, every_removed = _template_graphs(_field(operation, "delete"), with_graph)
        added, every_added = _template_graphs(_field(operation, "insert"), with_graph)
        return Writes(adds=added, removes=removed, every=every_removed or every_added)
    raise QueryError(f"govgraph cannot tell what the update operation {name} writes")


def _top_level_tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` outside any brackets or braces (the brackets themselves left out)."""
    depth = 0
    for token in iter_tokens(text):
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif depth == 0:
            yield token


def _segments(text: str) -> list[str]:
    """Split an update's text at its top-level ``;`` (the prologue stays with the first part)."""
    parts = []
    start = 0
    for token in _top_level_tokens(text):
        if token.kind == "other" and token.text == ";":
            parts.append(text[start : token.offset])
            start = token.offset + 1
    parts.append(text[start:])
    return [part for part in parts if any(True for _ in iter_tokens(part))]


def _split_prologue(text: str) -> tuple[str, str]:
    """Split an update into its prologue (BASE and PREFIX declarations) and its operations.

    pyoxigraph reads a prologue only at the start of a request, so the operations added around
    the user's must come after it.
    """
    tokens = list(iter_tokens(text))
    index = 0
    end = 0
    while index < len(tokens) and tokens[index].text.upper() in ("BASE", "PREFIX"):
        width = 2 if tokens[index].text.upper() == "BASE" else 3
        last = tokens[min(index + width, len(tokens)) - 1]
        end = last.offset + len(last.text)
        index += width
    return text[:end], text[end:]


def _is_graph_keyword(token: Token) -> bool:
    return token.kind == "name" and token.text.upper() == "GRAPH"


def _reads_variable_graph(segment: str) -> bool:
    tokens = list(iter_tokens(segment))
    return any(
        _is_graph_keyword(token) and following.kind == "var"
        for token, following in zip(tokens, tokens[1:], strict=False)
    )


def _stash_of_removed(segment: str) -> str:
    """Rewrite DELETE DATA / DELETE WHERE as the INSERT of its triples into STASH."""
    tokens = list(iter_tokens(segment))
    keyword = next(
        index for index, token in enumerate(tokens)
        if token.kind == "name" and token.text.upper() == "DELETE"
    )  # fmt: skip
    head = segment[: tokens[keyword].offset]
    body_start = tokens[keyword + 1].offset + len(tokens[keyword + 1].text)
    body = segment[body_start:]
    stashed = _graphs_renamed(body, STASH)
    if tokens[keyword + 1].text.upper() == "DATA":
        return f"{head}INSERT DATA {stashed}"
    return f"{head}INSERT {stashed} WHERE {body}"


def _graphs_renamed(text: str, graph: str) -> str:
    """Replace the graph named after each GRAPH keyword of ``text`` with ``graph``."""
    tokens = list(iter_tokens(text))
    pieces = []
    last = 0
    for token, following in zip(tokens, tokens[1:], strict=False):
        if _is_graph_keyword(token) and following.kind in ("iri", "pname"):
            pieces.append(text[last : following.offset] + graph)
            last = following.offset + len(following.text)
    pieces.append(text[last:])
    return "".join(pieces)


def _needs_whole_store(segment: str, writes: Writes) -> bool:
    """Whether the operation's changes cannot be traced graph by graph from its text.

    Its templates name a variable graph, or it removes triples while reading ``GRAPH ?g``,
    where a stash of what it removes would be visible to it.
    """
    return writes.every or bool(writes.removes and _reads_variable_graph(segment))


def _maintained(segment: str, writes: Writes) -> list[str]:
    """The operations that run one user operation and keep the default graph exact after it."""
    if writes.clears:
        return [segment, "CLEAR SILENT DEFAULT"]
    if _needs_whole_store(segment, writes):
        return [segment, *RESYNC]
    before: list[str] = []
    after: list[str] = []
    if writes.empties:
        others = f"FILTER(?h NOT IN ({', '.join(sorted(writes.empties))}))"
        before += [_orphans_removed(g, others) for g in sorted(writes.empties)]
    if writes.removes:
        if writes.removed_by_text:
            before.append(_stash_of_removed(segment))
        else:
            before += [
                f"INSERT {{ GRAPH {STASH} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
                for g in sorted(writes.removes)
            ]
        after += [_orphans_removed(STASH, NOT_STAGING), f"DROP SILENT GRAPH {STASH}"]
    after += [_copied_to_default(g) for g in sorted(writes.adds)]
    return [*before, segment, *after]


# -- an operation on variable graphs, solved first -------------------------------------------------

Solve = Callable[[str, URIRef | None], list[dict[str, Any]] | None]
"""Evaluate a SELECT (its default graph, or None for the store's): each solution by name, or
None when the engine cannot evaluate it on its own."""


def _where_text(segment: str) -> str:
    """The text after the first ``WHERE`` outside braces: the operation's graph pattern."""
    for token in _top_level_tokens(segment):
        if token.kind == "name" and token.text.upper() == "WHERE":
            return segment[token.offset + len(token.text) :]
    raise QueryError("govgraph cannot find the WHERE clause of this update operation")


def _template_blocks(clause: Any, with_graph: URIRef | None) -> list[tuple[Any, tuple]]:
    """Each template triple with the graph it goes into (``with_graph`` outside GRAPH)."""
    if clause is None:
        return []
    blocks = [(with_graph, triple) for triple in _field(clause, "triples") or []]
    for name, triples in (_field(clause, "quads") or {}).items():
        blocks += [(name, triple) for triple in triples]
    return blocks


def _binds_store_blank_node(blocks: list[tuple[Any, tuple]], solutions: list[dict]) -> bool:
    """Whether a solution binds a template variable to a blank node of the store."""
    terms = (term for graph, triple in blocks for term in (graph, *triple))
    names = {str(term) for term in terms if isinstance(term, Variable)}
    return any(isinstance(row.get(name), ox.BlankNode) for row in solutions for name in names)


def _instance(term: Any, solution: dict[str, Any], row: int) -> Any:
    """A template term for one solution: None when unbound; template blank nodes per row."""
    if isinstance(term, Variable):
        return solution.get(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(f"t{row}x{short_hash(str(term))}")
    return None if term is None else to_ox(term)


def _instances(
    blocks: list[tuple[Any, tuple]], solutions: list[dict[str, Any]]
) -> dict[str, dict[str, None]]:
    """The quads a template gives for the solutions: graph -> N-Triples lines (ordered set).

    Triples with an unbound or misplaced term are left out, as SPARQL Update says.
    """
    found: dict[str, dict[str, None]] = {}
    for row, solution in enumerate(solutions):
        for graph, triple in blocks:
            name, subject, predicate, value = (
                _instance(term, solution, row) for term in (graph, *triple)
            )
            if (
                isinstance(name, ox.NamedNode)
                and isinstance(subject, (ox.NamedNode, ox.BlankNode))
                and isinstance(predicate, ox.NamedNode)
                and value is not None
            ):
                found.setdefault(str(name), {})[f"{subject} {predicate} {value} ."] = None
    return found


def _quad_data(found: dict[str, dict[str, None]]) -> str:
    blocks = (f"GRAPH {graph} {{ {' '.join(lines)} }}" for graph, lines in found.items())
    return "{ " + " ".join(blocks) + " }"


def _solved(prologue: str, segment: str, operation: Any, solve: Solve) -> list[str] | None:
    """The operation as DELETE DATA / INSERT DATA of the quads it changes, kept exact.

    Its WHERE clause is evaluated first (the writer runs alone), so the cost follows what it
    matches, not the size of the store. None when the WHERE clause cannot be evaluated alone,
    or when a solution binds a template variable to a blank node of the store, which no DATA
    operation can name.
    """
    with_graph = _field(operation, "withClause")
    datasets = [
        f"FROM NAMED <{named}>" if (named := _field(clause, "named")) else
        f"FROM <{_field(clause, 'default')}>"
        for clause in _field(operation, "using") or []
    ]  # fmt: skip
    if operation.name == "DeleteWhere":
        deleted_blocks, inserted_blocks = _template_blocks(operation, None), []
    else:
        deleted_blocks = _template_blocks(_field(operation, "delete"), with_graph)
        inserted_blocks = _template_blocks(_field(operation, "insert"), with_graph)
    query = f"{prologue}\nSELECT * {' '.join(datasets)} WHERE {_where_text(segment)}"
    solutions = solve(query, None if datasets else with_graph)
    if solutions is None or _binds_store_blank_node(deleted_blocks + inserted_blocks, solutions):
        return None
    deleted = _instances(deleted_blocks, solutions)
    inserted = _instances(inserted_blocks, solutions)
    operations: list[str] = []
    if deleted:
        removal = f"DELETE DATA {_quad_data(deleted)}"
        graphs = frozenset(deleted)
        operations += _maintained(removal, Writes(removes=graphs, removed_by_text=True))
    if inserted:
        operations.append(f"INSERT DATA {_quad_data(inserted)}")
        if any(isinstance(term, BNode) for _, triple in inserted_blocks for term in triple):
            # A blank node is one node within one DATA operation: copy its graphs whole.
            operations += [_copied_to_default(graph) for graph in sorted(inserted)]
        else:
            lines = {line: None for block in inserted.values() for line in block}
            operations.append(f"INSERT DATA {{ {' '.join(lines)} }}")
    return operations


def maintained_update(update: str, solve: Solve | None = None) -> str:
    """Return ``update`` with, after each operation, what keeps the default graph exact.

    The result is one request, so pyoxigraph applies it all or nothing. With ``solve`` (the
    writer's store), a first operation on variable graphs is solved and rewritten as the DATA
    operations of the quads it changes; otherwise such an operation rebuilds the default graph
    from the whole store after it runs.

    Raises:
        QueryRefusedError: the update writes the default graph.
        QueryError: govgraph cannot read it.
    """
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    text = resolve_codepoint_escapes(update)
    try:
        translated = translateUpdate(parseUpdate(text), base=str(BASE))
    except Exception as exc:  # pyparsing's ParseException and rdflib's bare exceptions
        raise QueryError(f"govgraph cannot tell which graphs this update writes: {exc}") from exc
    algebra = getattr(translated, "algebra", [])  # an empty update translates to []
    prologue, body = _split_prologue(text)
    segments = _segments(body)
    if len(segments) != len(algebra):
        raise QueryError("govgraph cannot tell the operations of this update apart; send them "
                         "one request each")  # fmt: skip
    all_writes = [_writes_of(operation) for operation in algebra]  # refusals before any work
    operations = []
    steps = zip(segments, algebra, all_writes, strict=True)
    for index, (segment, operation, writes) in enumerate(steps):
        solved = None
        if (  # a later operation's WHERE must see what the earlier ones wrote
            index == 0
            and solve is not None
            and operation.name in ("Modify", "DeleteWhere")
            and _needs_whole_store(segment, writes)
        ):
            solved = _solved(prologue, segment, operation, solve)
        operations += _maintained(segment, writes) if solved is None else solved
    return f"{prologue}\n" + " ;\n".join(operations)


def staging_graph(name: str) -> ox.NamedNode:
    """The staging graph a replacement of the graph ``name`` is loaded into."""
    return ox.NamedNode(STAGING + short_hash(name))


def drop_request(names: Iterable[ox.NamedNode]) -> str:
    """Return the update that drops the named graphs and their triples from the default graph."""
    return replace_request(dict.fromkeys(names))
