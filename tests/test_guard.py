"""The guard reads queries as SPARQL's tokenizer does: what it refuses, what it lets through."""

from __future__ import annotations

import pytest

from govgraph.errors import QueryError
from govgraph.store.guard import MAX_NESTING, check_request

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
