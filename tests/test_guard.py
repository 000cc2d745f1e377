"""The guard reads queries as SPARQL's tokenizer does: what it refuses, what it lets through."""

from __future__ import annotations

import random

import pytest

from govgraph.errors import QueryError
from govgraph.store import guard
from govgraph.store.guard import MAX_NESTING, MEMO_LENGTH, check_request, resolve_codepoint_escapes

ENDPOINT = "http://example.org/sparql"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        "PREFIX e: <http://example.org/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        f"SELECT * {{ \\u0053ERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERV\\U00000049CE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o OPTIONAL {{ {{ SELECT ?x {{ SERVICE <{ENDPOINT}> {{ ?x ?y ?z }} }} }} }} }}",  # noqa: E501
        f"ASK {{ FILTER EXISTS {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }} }}",
        f"LOAD <{ENDPOINT}>",
        f"LOAD SILENT <{ENDPOINT}> INTO GRAPH <http://example.org/g>",
        f"CLEAR ALL ; load <{ENDPOINT}>",
    ],
)
def test_every_way_of_writing_service_or_load_is_refused(text: str) -> None:
    with pytest.raises(QueryError, match="is refused"):
        check_request(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://example.org/sparql> {}" }',
        "SELECT * { ?s ?p '''LOAD <http://example.org/x>''' }",
        "SELECT * { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX SERVICE: <http://example.org/> SELECT * { ?s SERVICE:load ?o }",
        "SELECT ?service ?load { ?service ?p ?load }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://example.org/sparql> { }",
    ],
)
def test_the_words_inside_strings_iris_names_and_comments_are_not_keywords(text: str) -> None:
    assert check_request(text).form == "select"


def test_an_allow_listed_endpoint_may_be_named() -> None:
    allowed = frozenset({ENDPOINT})
    assert check_request(f"SELECT * {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}", allowed)
    prefixed = "PREFIX e: <http://example.org/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }"
    assert check_request(prefixed, allowed)
    with pytest.raises(QueryError, match="SERVICE <http://example.org/other> is refused"):
        check_request("SELECT * { SERVICE <http://example.org/other> { ?s ?p ?o } }", allowed)
    with pytest.raises(QueryError, match=r"SERVICE \?e is refused"):
        check_request("SELECT * { SERVICE ?e { ?s ?p ?o } }", allowed)


def test_the_refusal_says_where() -> None:
    with pytest.raises(QueryError, match=r"\(line 3, column 3\)"):
        check_request(f"SELECT *\nWHERE {{\n  SERVICE <{ENDPOINT}> {{ ?s ?p ?o }}\n}}")


def test_nesting_beyond_the_limit_is_refused() -> None:
    fine = "SELECT * WHERE " + "{ " * MAX_NESTING + "?s ?p ?o" + " }" * MAX_NESTING
    assert check_request(fine).form == "select"
    deep = "SELECT * WHERE " + "{ " * (MAX_NESTING + 1) + "?s ?p ?o" + " }" * (MAX_NESTING + 1)
    with pytest.raises(QueryError, match="nests groups more than"):
        check_request(deep)


@pytest.mark.parametrize(
    ("text", "form", "has_dataset"),
    [
        ("PREFIX a: <x:> BASE <y:> SELECT * {}", "select", False),
        ("ASK {}", "ask", False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "construct", False),
        ("DESCRIBE <x:a>", "describe", False),
        ("SELECT * FROM <x:g> { ?s ?p ?o }", "select", True),
        ("SELECT * FROM NAMED <x:g> { GRAPH ?g { ?s ?p ?o } }", "select", True),
        ("SELECT * { { SELECT ?s { ?s ?p ?o } } }", "select", False),
        ("INSERT DATA { <x:a> <x:b> <x:c> }", "update", False),
        ("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update", True),
        ("DELETE { ?s ?p ?o } USING <x:g> WHERE { ?s ?p ?o }", "update", True),
        ("this is not SPARQL", "unknown", False),
    ],
)
def test_the_form_and_dataset_of_a_request(text: str, form: str, has_dataset: bool) -> None:
    found = check_request(text)
    assert (found.form, found.has_dataset) == (form, has_dataset)


# --- The quick reading: most requests need only their form -----------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT ?s { ?s gov:validFrom ?from ; prov:wasDerivedFrom ?load }", "select"),
        ("PREFIX p: <http://example.org/without> ASK { ?s p:service $using }", "ask"),
        ("prefix e: <x:> describe e:fromage", "describe"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10", "construct"),
        ("INSERT DATA { <x:a> <x:b> <x:c> }", "update"),
        ("# a comment\nCLEAR ALL", "update"),
        ("SELECT * WHERE " + "{ " * MAX_NESTING + "?s ?p ?o" + " }" * MAX_NESTING, "select"),
        ("this is not SPARQL", "unknown"),
    ],
)
def test_a_request_without_screened_keywords_is_read_quickly(text: str, form: str) -> None:
    quick = guard._read_quickly(text)
    assert quick == guard.Request(form, has_dataset=False)
    assert guard._read_fully(text, frozenset()) == quick


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE" }',
        "SELECT * { ?s ?p ?o } # load <x:a>",
        "SELECT * { ?s <http://example.org/a/FROM> ?o }",
        "SELECT * FROM <x:g> { ?s ?p ?o }",
        "SELECT * \\u0046ROM <x:g> { ?s ?p ?o }",
        "WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        'SELECT * { ?s ?p "' + "{" * (MAX_NESTING + 1) + '" }',
    ],
)
def test_a_request_that_may_need_more_than_its_form_is_read_fully(text: str) -> None:
    assert guard._read_quickly(resolve_codepoint_escapes(text)) is None
    assert check_request(text).form in ("select", "update")


@pytest.mark.parametrize(
    "text",
    [
        # Characters that cannot be part of a name: the tokenizer reads the keyword apart.
        f"SELECT * {{ ?s ?p ?o . \u00e9SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o . \u017fSERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",  # long s: "S"
        f"SELECT * {{ ?s ?p ?o . _SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o . \\u00e9\\u0053ERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"CLEAR ALL ;LOAD <{ENDPOINT}>",
        f"CLEAR ALL ;LOAD\t<{ENDPOINT}>",
    ],
)
def test_a_keyword_right_after_a_character_that_ends_a_token_is_found(text: str) -> None:
    # Only a SERVICE or LOAD the guard found has the text parsed (and found malformed).
    with pytest.raises(QueryError, match="is refused|malformed SPARQL"):
        check_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * \u212aFROM <x:g> { ?s ?p ?o }",  # the Kelvin sign, which folds to "k"
        "SELECT * 1FROM <x:g> { ?s ?p ?o }",
        "SELECT * -From <x:g> { ?s ?p ?o }",
    ],
)
def test_a_dataset_keyword_right_after_a_character_that_ends_a_token_is_found(text: str) -> None:
    assert check_request(text).has_dataset


PIECES = [
    "SERVICE", "service", "LOAD", "load", "FROM", "from", "USING", "using", "WITH", "with",
    "SELECT", "ask", "construct", "DESCRIBE", "INSERT", "delete", "CLEAR", "PREFIX", "WHERE",
    "?", "$", ":", "_", "_:", "-", ".", "1", "e5", "a", "\u017f", "\u212a", "\u00e9", "\u00df",
    '"', "'", "'''", "<", ">", "#", "\n", " ", "{", "}", "(", ")", "[", "]", "%", "\\",
    "\\u0053", "\\u0046", "\\U00000057", "ERVICE", "ROM", "ITH", f"<{ENDPOINT}>", "?s", "e:x",
]  # fmt: skip


def test_the_quick_reading_agrees_with_the_full_one() -> None:
    pick = random.Random(20261202)
    answered = 0
    for _ in range(3000):
        text = "".join(pick.choice(PIECES) for _ in range(pick.randint(1, 12)))
        resolved = resolve_codepoint_escapes(text)
        quick = guard._read_quickly(resolved)
        if quick is not None:
            answered += 1
            assert guard._read_fully(resolved, frozenset()) == quick, text
    assert answered > 1000  # the screen is not so wary that it never answers


def test_refusals_are_never_remembered() -> None:
    text = f"SELECT * {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}"
    for _ in range(2):
        with pytest.raises(QueryError, match="is refused"):
            check_request(text)
    assert check_request(text, frozenset({ENDPOINT})).form == "select"
    with pytest.raises(QueryError, match="is refused"):
        check_request(text)


def test_texts_too_long_to_remember_are_checked_too() -> None:
    padding = "# " + "x" * MEMO_LENGTH + "\n"
    with pytest.raises(QueryError, match="is refused"):
        check_request(padding + f"SELECT * {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}")
    assert check_request(padding + "ASK {}") == guard.Request("ask", has_dataset=False)
