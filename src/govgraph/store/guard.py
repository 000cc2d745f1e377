"""Read a SPARQL request before any engine sees it: its form, and whether it may reach the network.

Layer: store. Imports nothing but the standard library and govgraph.errors.

Oxigraph fetches ``SERVICE`` and ``LOAD`` targets through its own HTTP client, which Python
cannot intercept, and a query with thousands of nested groups crashes the process evaluating it.
So every query and update is tokenized here first, after the codepoint escapes that SPARQL 1.1
resolves before parsing (section 19.2), and refused when it names an endpoint that is not
allowed or nests too deeply. The tokenizer follows the SPARQL 1.1 grammar's terminals, so a
keyword inside a string, an IRI, a prefixed name or a comment is not mistaken for one. The same
tokenizer places the USING clauses that the protocol's ``using-graph-uri`` parameters stand for.

Most requests name none of the keywords that need the full reading and nest shallowly; for them
a screen over the bytes (which only ever errs towards the full reading) and a tokenizer scan that
stops at the first form keyword give the same answer in a fraction of the time. Answers for
short texts are also kept in a small LRU: the server and its workers check each text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from govgraph.errors import QueryError, QueryRefusedError

MAX_NESTING = 200
"""The deepest nesting of ``{ ( [`` accepted; pyoxigraph's stack gives out at a few thousand."""

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_CHARS = r"A-Za-z0-9_\-\u00B7\u00C0-\uFFFF"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][{_PN_CHARS}]+)
  | (?P<bnode>_:[{_PN_CHARS}.]*)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][{_PN_CHARS}.]*)?:(?:[{_PN_CHARS}.:%]|\\.)*)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<open>[{{(\[])
  | (?P<close>[}})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
_UPDATE_KEYWORDS = {
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
}  # fmt: skip
_SCREENED = (b"SERVICE", b"LOAD", b"FROM", b"USING", b"WITH")
"""The keywords only the full reading handles: they reach the network or name a dataset."""
_NESTING = ("{", "(", "[")
_NAME_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_BEFORE_NO_NAME = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ:?$")
"""Upper-cased bytes that never come right before a name token."""
MEMO_SIZE = 256
MEMO_LENGTH = 4096
"""The guard's answers for this many texts of at most this many characters are kept."""


class Token(NamedTuple):
    """One lexical token: its kind (a group name of the tokenizer) and its text.

    A named tuple rather than a dataclass: the guard makes one per token, and this is cheaper.
    """

    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class Request:
    """What the guard learnt about a query or update.

    Attributes:
        form: ``select``, ``ask``, ``construct``, ``describe`` or ``update``.
        has_dataset: the text has its own FROM / FROM NAMED (or USING / WITH) clauses.
    """

    form: str
    has_dataset: bool


def resolve_codepoint_escapes(text: str) -> str:
    r"""Replace codepoint escapes (``\u`` + 4 hex digits, ``\U`` + 8) as SPARQL does before parsing.

    >>> resolve_codepoint_escapes(r"\u0053ERVICE")
    'SERVICE'
    """

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    if "\\" not in text:
        return text
    return _CODEPOINT.sub(replace, text)


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield the significant tokens of a SPARQL text (no whitespace, no comments).

    >>> [t.text for t in iter_tokens('SELECT * { ?s <p> "SERVICE" } # SERVICE')]
    ['SELECT', '*', '{', '?s', '<p>', '"SERVICE"', '}']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _target_of(tokens: list[Token], index: int) -> Token | None:
    """Return the IRI or variable that SERVICE / LOAD at ``index`` names (skipping SILENT)."""
    for token in tokens[index + 1 : index + 3]:
        if token.kind == "name" and token.text.upper() == "SILENT":
            continue
        return token
    return None


def _expand(token: Token, prefixes: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def _prefixes(tokens: list[Token]) -> dict[str, str]:
    found = {}
    for index, token in enumerate(tokens[:-2]):
        if token.kind == "name" and token.text.upper() == "PREFIX":
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind == "pname" and iri.kind == "iri":
                found[name.text.rstrip(":")] = iri.text[1:-1]
    return found


def check_request(text: str, allowed: frozenset[str] = frozenset()) -> Request:
    """Return the form of a SPARQL query or update, refusing what must not run.

    Args:
        text: the query or update, as received.
        allowed: endpoint IRIs that SERVICE and LOAD may name.

    Raises:
        QueryRefusedError: SERVICE or LOAD names an endpoint not in ``allowed`` (or a variable).
        QueryError: the text nests groups deeper than MAX_NESTING, or is malformed and refused.

    >>> check_request("PREFIX : <x:> SELECT * { ?s :SERVICE ?o }").form
    'select'
    >>> try:
    ...     check_request("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    ... except QueryRefusedError as refused:
    ...     print(str(refused).split(":")[0])
    SERVICE <http
    """
    if len(text) <= MEMO_LENGTH:
        return _check_remembered(text, allowed)
    return _check(text, allowed)


@lru_cache(maxsize=MEMO_SIZE)
def _check_remembered(text: str, allowed: frozenset[str]) -> Request:
    """``_check``, remembered (a refusal raises, so it is never remembered)."""
    return _check(text, allowed)


def _check(text: str, allowed: frozenset[str]) -> Request:
    resolved = resolve_codepoint_escapes(text)
    return _read_quickly(resolved) or _read_fully(resolved, allowed)


def _read_quickly(resolved: str) -> Request | None:
    """Return what ``_read_fully`` would, for a text that cannot hold what it checks; else None.

    Only a name token can be a keyword and only an open token deepens the nesting, so a text
    with no more ``{ ( [`` than MAX_NESTING and no possible screened keyword needs only its form.

    >>> _read_quickly("PREFIX p: <x:from> SELECT * { ?s p:with ?load }")
    Request(form='select', has_dataset=False)
    >>> _read_quickly('SELECT * { ?s ?p "SERVICE" }') is None  # in a string: the full reading
    True
    >>> _read_quickly("SELECT * FROM <x:g> { ?s ?p ?o }") is None
    True
    """
    if sum(map(resolved.count, _NESTING)) > MAX_NESTING or _may_name(resolved, _SCREENED):
        return None
    return Request(_form_of(resolved) or "unknown", False)


def _may_name(text: str, keywords: tuple[bytes, ...]) -> bool:
    """Say whether a name token of ``text`` could be one of ``keywords`` (upper-case ASCII).

    A name token is ASCII (``[A-Za-z][A-Za-z0-9_]*``, matched case-insensitively as keywords
    are) and the longest the tokenizer can take, so no ``[A-Za-z0-9_]`` follows it; nor does it
    follow an ASCII letter, ``:``, ``?`` or ``$`` (a name, prefixed name or variable would have
    taken it in). The screen looks for each keyword between such neighbours in the UTF-8 bytes,
    where ``upper`` changes ASCII letters only and any other character is bytes above 0x7F. It
    also finds keywords inside strings, IRIs and comments; those go to the full reading.

    >>> _may_name("SELECT ?s { ?s gov:validFrom ?from ; gov:fromDate ?d }", (b"FROM",))
    False
    >>> _may_name("SELECT ?s FROM <x:g> { ?s ?p ?o }", (b"FROM",))
    True
    """
    folded = text.encode("utf-8", "surrogatepass").upper()
    for keyword in keywords:
        start = folded.find(keyword)
        while start >= 0:
            end = start + len(keyword)
            before = folded[start - 1] if start else 0
            after = folded[end] if end < len(folded) else 0
            if before not in _BEFORE_NO_NAME and after not in _NAME_BYTES:
                return True
            start = folded.find(keyword, start + 1)
    return False


def _form_of(resolved: str) -> str | None:
    """Return the form named by the first form or update keyword outside any group, if any."""
    depth = 0
    for match in _TOKEN.finditer(resolved):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "name" and depth == 0:
            keyword = match.group().upper()
            form = _FORMS.get(keyword) or ("update" if keyword in _UPDATE_KEYWORDS else None)
            if form is not None:
                return form
    return None


def _read_fully(resolved: str, allowed: frozenset[str]) -> Request:
    """Tokenize the whole text: check every SERVICE and LOAD, the nesting and the dataset."""
    tokens = list(iter_tokens(resolved))
    prefixes = _prefixes(tokens)
    depth = 0
    form = None
    has_dataset = False
    for index, token in enumerate(tokens):
        if token.kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(
                    f"the request nests groups more than {MAX_NESTING} deep "
                    f"({_position(resolved, token.offset)}); flatten it"
                )
        elif token.kind == "close":
            depth -= 1
        elif token.kind == "name":
            keyword = token.text.upper()
            if keyword in ("SERVICE", "LOAD"):
                _check_target(resolved, tokens, index, prefixes, allowed)
            if form is None and depth == 0:
                form = _FORMS.get(keyword) or ("update" if keyword in _UPDATE_KEYWORDS else None)
            if keyword in ("FROM", "USING") or (keyword == "WITH" and depth == 0):
                has_dataset = True
    return Request(form or "unknown", has_dataset)


def _is_update(tokens: list[Token]) -> bool:
    depth = 0
    for token in tokens:
        depth += token.kind == "open"
        depth -= token.kind == "close"
        if token.kind == "name" and depth == 0:
            keyword = token.text.upper()
            if keyword in _FORMS:
                return False
            if keyword in _UPDATE_KEYWORDS:
                return True
    return False


def check_syntax(text: str, update: bool) -> None:
    """Refuse a malformed text before refusing it on policy, so the right status is given.

    Only a refused request gets here: rdflib's parser reads it (it evaluates nothing), which is
    slow but rare; well-formed requests are parsed by the engine that runs them.

    Raises:
        QueryError: the text is not SPARQL 1.1.
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        (parseUpdate if update else parseQuery)(text)
    except Exception as exc:  # pyparsing's ParseException and bare exceptions
        raise QueryError(f"malformed SPARQL {'update' if update else 'query'}: {exc}") from None


def _check_target(
    text: str, tokens: list[Token], index: int, prefixes: dict[str, str], allowed: frozenset[str]
) -> None:
    keyword = tokens[index].text.upper()
    target = _target_of(tokens, index)
    iri = _expand(target, prefixes) if target is not None else None
    if iri is not None and iri in allowed:
        return
    named = f" {target.text}" if target is not None else ""
    check_syntax(text, update=keyword == "LOAD" or _is_update(tokens))
    raise QueryRefusedError(
        f"{keyword}{named} is refused ({_position(text, tokens[index].offset)}): govgraph does "
        f"not send {'queries' if keyword == 'SERVICE' else 'requests'} to other endpoints "
        "unless service_allow names them"
    )


def _original_offset(text: str, resolved_offset: int) -> int:
    """Map an offset in ``resolve_codepoint_escapes(text)`` back to one in ``text``."""
    shift = 0
    for match in _CODEPOINT.finditer(text):
        if match.start() - shift >= resolved_offset:
            break
        code = int(match.group(1) or match.group(2), 16)
        shift += len(match.group()) - 1 if code <= 0x10FFFF else 0
    return resolved_offset + shift


def add_using_clauses(update: str, clauses: str) -> str:
    """Put ``clauses`` (``USING <g> USING NAMED <h>``) before the WHERE of each DELETE/INSERT.

    The SPARQL 1.1 Protocol (section 2.2.3) gives ``using-graph-uri`` and
    ``using-named-graph-uri`` the meaning of USING and USING NAMED on every operation of the
    request. Only a top-level WHERE ends a DELETE/INSERT operation; ``DELETE WHERE`` cannot take
    USING, and the other operations read no dataset. ``clauses`` must be made of checked IRIs.

    >>> add_using_clauses("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "USING <g:a>")
    'DELETE { ?s ?p ?o } USING <g:a> WHERE { ?s ?p ?o }'
    >>> add_using_clauses("DELETE WHERE { ?s ?p ?o }; CLEAR ALL", "USING <g:a>")
    'DELETE WHERE { ?s ?p ?o }; CLEAR ALL'
    """
    resolved = resolve_codepoint_escapes(update)
    offsets = []
    depth = 0
    previous = None
    for token in iter_tokens(resolved):
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif token.kind == "name" and depth == 0 and token.text.upper() == "WHERE":
            if previous is None or previous.text.upper() != "DELETE":
                offsets.append(_original_offset(update, token.offset))
        previous = token
    for offset in reversed(offsets):
        update = f"{update[:offset]}{clauses} {update[offset:]}"
    return update
