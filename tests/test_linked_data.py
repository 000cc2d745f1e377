"""Linked Data at /id/...: entity pages for browsers, descriptions for RDF clients, errors.

Every test but the last talks to a real `govgraph serve` (the session's ``live_server``, on a
copy of the full build) through urllib. The last renders the page template from made-up data,
to check escaping on characters no real label has.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, SKOS

from conftest import LiveServer
from govgraph.config import Settings
from govgraph.endpoint import create_app
from govgraph.endpoint.linked_data import Entity, PageBuilder, render_page
from govgraph.store import Store

ID = "https://w3id.org/govgraph/id/"
GG = "https://w3id.org/govgraph/ns#"
MOROCCO = URIRef(ID + "country/MA")
EXCOM = URIRef(ID + "org/dco/executive-committee")
REFERENCE = URIRef(ID + "graph/reference")
CHALLENGE = URIRef(ID + "graph/doc/press-challenge/2d6fe43b9d0b57f8")
CHALLENGE_DOC = URIRef(ID + "doc/press-challenge/2d6fe43b9d0b57f8")
CHALLENGE_URL = (
    "https://www.challenge.ma/le-maroc-elu-au-comite-executif-de-lorganisation-de-la-"
    "cooperation-numerique-297031/"
)
SEED_QUOTE = "تم انتخاب المملكة المغربية عضوا في اللجنة التنفيذية"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def fetch(
    server: LiveServer, path: str, accept: str | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """GET a path; return status, headers and body (errors included)."""
    if accept is not None:
        headers["Accept"] = accept
    prepared = urllib.request.Request(server.url + path, headers=headers)
    try:
        with urllib.request.urlopen(prepared, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Elements(HTMLParser):
    """Every element of a page: tag, attributes and the text inside it."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, {name: value or "" for name, value in attrs}, [])
        self.found.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        for _, _, text in self._open:
            text.append(data)

    def with_text(self, text: str, tag: str | None = None) -> list[dict[str, str]]:
        """Return the attributes of the innermost elements whose text is exactly ``text``."""
        return [
            attrs
            for name, attrs, parts in self.found
            if "".join(parts).strip() == text and (tag is None or name == tag)
        ]

    def links(self) -> list[str]:
        return [attrs["href"] for name, attrs, _ in self.found if name == "a" and "href" in attrs]


@pytest.fixture(scope="module")
def morocco(live_server: LiveServer) -> tuple[str, Elements]:
    status, headers, body = fetch(live_server, "/id/country/MA", BROWSER)
    assert status == 200, body[:300]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode()
    return html, Elements(html)


@pytest.fixture(scope="module")
def excom(live_server: LiveServer) -> tuple[str, Elements]:
    status, _, body = fetch(live_server, "/id/org/dco/executive-committee", BROWSER)
    assert status == 200, body[:300]
    html = body.decode()
    return html, Elements(html)


def assert_label(page: Elements, text: str, lang: str) -> None:
    tagged = [attrs for attrs in page.with_text(text) if attrs.get("lang") == lang]
    assert tagged, f"no element with lang={lang} holds {text!r}"
    if lang == "ar":
        assert any(attrs.get("dir") == "rtl" for attrs in tagged), "Arabic is not right-to-left"


def test_morocco_page_shows_its_labels_and_type(morocco: tuple[str, Elements]) -> None:
    _, page = morocco
    assert_label(page, "المغرب", "ar")
    assert_label(page, "Maroc", "fr")
    assert_label(page, "Morocco", "en")
    assert_label(page, "Royaume du Maroc", "fr")
    assert page.with_text("Morocco", "h1")
    assert page.with_text("Country")
    assert page.with_text(str(MOROCCO), "code")


def test_morocco_page_groups_facts_by_announcement_with_sources(
    morocco: tuple[str, Elements],
) -> None:
    html, page = morocco
    title = "Le Maroc élu au Comité exécutif de l'Organisation de la coopération numérique"
    heading = page.with_text(title, "a")
    assert heading and heading[0]["href"] == "/id/doc/press-challenge/2d6fe43b9d0b57f8"
    assert heading[0]["lang"] == "fr"
    assert CHALLENGE_URL in page.links()
    assert page.with_text("Challenge", "a")
    assert page.with_text("2025-02", "time")
    # The challenge.ma record has evidence notes; the seed has quotes, in Arabic.
    assert "dco-facts E2025: MA newly elected to the 2025 Executive Committee" in html
    quotes = [
        attrs
        for name, attrs, parts in page.found
        if name == "blockquote" and SEED_QUOTE in "".join(parts)
    ]
    assert quotes and quotes[0]["lang"] == "ar" and quotes[0]["dir"] == "rtl"
    assert "inferred" in html
    # Each announcement shows its assertion graph and its provenance graph.
    assert page.with_text(str(CHALLENGE), "a") and page.with_text(f"{CHALLENGE}/prov", "a")


def test_excom_page_shows_labels_members_and_sources(excom: tuple[str, Elements]) -> None:
    html, page = excom
    assert_label(page, "اللجنة التنفيذية لمنظمة التعاون الرقمي", "ar")
    assert_label(page, "Comité exécutif de l'Organisation de la coopération numérique", "fr")
    assert_label(page, "DCO Executive Committee", "en")
    assert "Referenced by" in html
    members = {attrs["href"] for attrs in page.with_text("Morocco", "a")}
    assert members == {"/id/country/MA"}
    assert "/id/org/dco" in page.links()
    assert CHALLENGE_URL in page.links()
    assert "dco-facts E2026" in html


def test_every_id_iri_is_a_local_link_that_resolves(
    live_server: LiveServer, morocco: tuple[str, Elements], excom: tuple[str, Elements]
) -> None:
    links = morocco[1].links() + excom[1].links()
    assert not [link for link in links if link.startswith(ID)], "an id IRI links off-site"
    local = sorted({link for link in links if link.startswith("/id/") and "?" not in link})
    assert len(local) > 20
    wanted = {
        "/id/org/dco/executive-committee",
        "/id/membership/dco-executive-committee/MA/2026",
        "/id/doc/press-challenge/2d6fe43b9d0b57f8",
        "/id/org/dco",
        "/id/country/MA",
    }
    assert wanted <= set(local)
    pages = {}
    for link in sorted(wanted) + local[:: max(1, len(local) // 6)]:
        status, headers, body = fetch(live_server, link, BROWSER)
        assert status == 200, f"{link}: {status} {body[:200]!r}"
        assert headers["Content-Type"].startswith("text/html")
        pages[link] = Elements(body.decode())
    # One hop further: from the membership to its role and its term.
    onward = pages["/id/membership/dco-executive-committee/MA/2026"].links()
    for link in ("/id/concept/role/member-state", "/id/period/2026"):
        assert link in onward
        status, _, body = fetch(live_server, link, BROWSER)
        assert status == 200, f"{link}: {status} {body[:200]!r}"


def test_a_fact_node_page_shows_its_evidence(live_server: LiveServer) -> None:
    status, _, body = fetch(live_server, "/id/membership/dco-executive-committee/MA/2026", BROWSER)
    assert status == 200
    html = body.decode()
    assert "Evidence" in html and SEED_QUOTE in html
    assert 'href="/id/country/MA"' in html


def test_the_language_of_labels_follows_the_request(live_server: LiveServer) -> None:
    _, _, body = fetch(live_server, "/id/country/MA?lang=ar", BROWSER)
    page = Elements(body.decode())
    assert [attrs.get("lang") for attrs in page.with_text("المغرب", "h1")] == ["ar"]
    _, _, body = fetch(live_server, "/id/country/MA", BROWSER, **{"Accept-Language": "fr"})
    assert Elements(body.decode()).with_text("Maroc", "h1")


def graph_of(server: LiveServer, path: str, accept: str, rdflib_format: str) -> Graph:
    status, headers, body = fetch(server, path, accept)
    assert status == 200, body[:300]
    assert headers["Content-Type"].split(";")[0] == accept
    assert "Accept" in headers["Vary"]
    return Graph().parse(data=body, format=rdflib_format)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_rdf_clients_get_the_description(
    live_server: LiveServer, accept: str, rdflib_format: str
) -> None:
    graph = graph_of(live_server, "/id/country/MA", accept, rdflib_format)
    assert (MOROCCO, RDF.type, URIRef(GG + "Country")) in graph
    assert (MOROCCO, SKOS.prefLabel, Literal("المغرب", lang="ar")) in graph
    assert (MOROCCO, ORG.memberOf, EXCOM) in graph
    # ... with the labels of what it links to, but not the triples that link to it.
    assert (EXCOM, SKOS.prefLabel, Literal("DCO Executive Committee", lang="en")) in graph
    assert not set(graph.triples((None, ORG.member, MOROCCO)))


def test_format_parameter_and_default(live_server: LiveServer) -> None:
    status, headers, body = fetch(live_server, "/id/org/dco/executive-committee?format=jsonld")
    assert status == 200 and headers["Content-Type"] == "application/ld+json"
    graph = Graph().parse(data=body, format="json-ld")
    assert (EXCOM, ORG.unitOf, URIRef(ID + "org/dco")) in graph
    status, headers, _ = fetch(live_server, "/id/country/MA", "*/*")
    assert headers["Content-Type"] == "text/turtle; charset=utf-8"
    status, headers, _ = fetch(live_server, "/id/country/MA?format=html", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    status, _, body = fetch(live_server, "/id/country/MA?format=png")
    assert status == 406 and json.loads(body)["status"] == 406


@pytest.mark.parametrize(
    ("accept", "rdflib_format"), [("application/trig", "trig"), ("application/n-quads", "nquads")]
)
def test_trig_and_nquads_keep_the_announcement_of_each_triple(
    live_server: LiveServer, accept: str, rdflib_format: str
) -> None:
    status, _, body = fetch(live_server, "/id/country/MA", accept)
    assert status == 200
    dataset = Dataset()
    dataset.parse(data=body, format=rdflib_format)
    assert (MOROCCO, ORG.memberOf, EXCOM, CHALLENGE) in dataset
    assert (MOROCCO, SKOS.prefLabel, Literal("Maroc", lang="fr"), REFERENCE) in dataset
    assert (MOROCCO, ORG.memberOf, EXCOM, REFERENCE) not in dataset
    prov = URIRef(f"{CHALLENGE}/prov")
    assert (CHALLENGE, PROV.wasDerivedFrom, CHALLENGE_DOC, prov) in dataset


def test_unknown_entity_is_404(live_server: LiveServer) -> None:
    status, headers, body = fetch(live_server, "/id/country/XX", "text/turtle")
    assert status == 404 and headers["Content-Type"] == "application/json"
    error = json.loads(body)
    assert error["status"] == 404 and f"{ID}country/XX" in error["error"]
    status, headers, body = fetch(live_server, "/id/country/XX", BROWSER)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert f"{ID}country/XX".encode() in body and b"No such entity" in body


@pytest.mark.parametrize(
    "path",
    [
        "/id/country/M%20A",
        "/id/country/%3Cscript%3E",
        "/id/country/a%22b",
        "/id/",
        "/id/a/%2E%2E/country/MA",
        "/id/country/MA%E2%80%8F",
    ],
)
def test_a_path_that_is_no_iri_is_400(live_server: LiveServer, path: str) -> None:
    status, _, body = fetch(live_server, path, "application/ld+json")
    assert status == 400, body[:200]
    assert json.loads(body)["status"] == 400


def test_a_browser_gets_the_400_as_a_page_with_the_path_escaped(live_server: LiveServer) -> None:
    status, headers, body = fetch(live_server, "/id/country/%3Cscript%3Ex", BROWSER)
    assert status == 400 and headers["Content-Type"].startswith("text/html")
    assert b"<script>" not in body and b"&lt;script&gt;" in body


def test_real_text_with_an_ampersand_is_escaped(live_server: LiveServer) -> None:
    # The dailypakistan and zawya records quote "Federal Minister for IT & Telecom".
    status, _, body = fetch(live_server, "/id/person/shaza-fatima-khawaja", BROWSER)
    assert status == 200
    assert b"IT &amp; Telecom" in body and b"IT & Telecom" not in body


def test_made_up_labels_with_markup_are_escaped(memory_store: Store) -> None:
    # Made-up data: no real label has < or >; the entity exists only in this test.
    made_up = URIRef(ID + "org/made-up")
    graph = URIRef(ID + "graph/made-up")
    label = Literal('<script>alert("made up")</script> & <b>co</b>', lang="en")
    entity = Entity(
        iri=made_up,
        outgoing=[(graph, SKOS.prefLabel, label), (graph, SKOS.altLabel, label)],
        incoming=[],
        labels={made_up: [(SKOS.prefLabel, label, graph)]},
        statement_facts={},
        node_facts={},
    )
    app = create_app(Settings(store=":memory:"), memory_store)
    with app.test_request_context("/id/org/made-up"):
        html = render_page(PageBuilder(entity, {}, "en", keep_lang=False).page())
    assert "<script>" not in html and "<b>co</b>" not in html
    assert (
        "&lt;script&gt;alert(&#34;made up&#34;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in html
    )
