"""The query UI and the catalogue page: offline pages, every download, the `make ui` message."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from rdflib import Dataset

from conftest import LiveServer
from govgraph.config import REPO_ROOT, Settings
from govgraph.endpoint import create_app
from govgraph.endpoint.negotiation import GRAPH_TYPES, RESULT_TYPES
from govgraph.queries import LANGUAGES, CatalogueQuery, load_catalogue
from govgraph.store import Store
from govgraph.store.guard import check_request

CATALOGUE = load_catalogue(REPO_ROOT / "queries")
YASGUI_BUILD = REPO_ROOT / "ui" / "node_modules" / "@zazuko" / "yasgui" / "build"
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                  "jsonld": "json-ld", "rdfxml": "xml"}  # fmt: skip
EXTENSIONS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "ttl",
              "ntriples": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld",
              "rdfxml": "rdf"}  # fmt: skip
DOWNLOADS = [
    (query, name)
    for query in CATALOGUE
    for form in (check_request(query.text, frozenset()).form,)
    for name in (GRAPH_TYPES if form in ("construct", "describe") else RESULT_TYPES)
]


class Links(HTMLParser):
    """Collects every src/href of a page and the text of its JSON script element."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.settings = ""
        self._in_settings = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls.extend(value for key, value in attrs if key in ("src", "href") and value)
        self._in_settings = tag == "script" and found.get("id") == "govgraph-ui"

    def handle_endtag(self, tag: str) -> None:
        self._in_settings = False

    def handle_data(self, data: str) -> None:
        if self._in_settings:
            self.settings += data


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def is_local(url: str) -> bool:
    """A relative URL, or one on this machine's loopback."""
    parts = urlsplit(url)
    if parts.scheme in ("", "http", "https") and not parts.netloc:
        return not url.startswith("//")
    return parts.scheme in ("http", "https") and parts.hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def app(memory_store: Store, tmp_path: Path) -> Flask:
    assert (YASGUI_BUILD / "yasgui.min.js").is_file(), "YASGUI is not installed: run `make ui`"
    return create_app(Settings(store=str(tmp_path / "unused")), memory_store)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_editor_page_refers_only_to_local_urls(client: FlaskClient, language: str) -> None:
    answer = client.get(f"/?lang={language}")
    assert answer.status_code == 200
    page = links_of(answer.get_data(as_text=True))
    assert "/ui/yasgui.min.js" in page.urls and "/ui/yasgui.min.css" in page.urls
    assert [url for url in page.urls if not is_local(url)] == []
    settings = json.loads(page.settings)
    assert settings["endpoint"] == "http://localhost/sparql"
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp


def test_the_yasgui_stylesheet_loads_nothing_else() -> None:
    css = (YASGUI_BUILD / "yasgui.min.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css and "url(//" not in css


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_editor_gets_one_tab_per_catalogue_query(client: FlaskClient, language: str) -> None:
    answer = client.get(f"/?lang={language}")
    settings = json.loads(links_of(answer.get_data(as_text=True)).settings)
    assert [q["name"] for q in settings["queries"]] == [q.name for q in CATALOGUE]
    for sent, query in zip(settings["queries"], CATALOGUE, strict=True):
        assert sent["title"] == query.titles[language]
        assert sent["description"] == query.descriptions[language]
        assert sent["text"] == query.text
    assert settings["open"] == CATALOGUE[0].name


def test_the_arabic_page_runs_right_to_left(client: FlaskClient) -> None:
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div id="yasgui" dir="ltr">' in html  # SPARQL reads left to right
    assert '<html lang="fr" dir="ltr">' in client.get("/?lang=fr").get_data(as_text=True)


def test_the_language_follows_accept_language_without_a_parameter(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr"' in html
    html = client.get("/?lang=xx", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en"' in html


def test_open_chooses_the_first_tab(client: FlaskClient) -> None:
    answer = client.get("/?open=excom_2026_members&lang=ar")
    settings = json.loads(links_of(answer.get_data(as_text=True)).settings)
    assert settings["open"] == "excom_2026_members"
    assert "الدول المنتخبة لعضوية اللجنة التنفيذية" in answer.get_data(as_text=True)


def test_the_page_shows_the_yasgui_licence(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "YASGUI 4.6.2, © Triply, Zazuko GmbH, under the MIT licence" in html
    notice = client.get("/ui/NOTICE.md")
    assert notice.status_code == 200
    text = notice.get_data(as_text=True)
    assert "## MIT License" in text and "Triply <info@triply.cc>, Zazuko GmbH" in text


def test_only_the_two_yasgui_files_are_served(client: FlaskClient) -> None:
    with client.get("/ui/yasgui.min.js") as script:
        assert script.status_code == 200 and script.mimetype == "text/javascript"
    with client.get("/ui/yasgui.min.css") as style:
        assert style.mimetype == "text/css"
    for name in ("package.json", "yasgui.esm.js", "..%2Fpackage.json", "..%2F..%2FNOTICE.md"):
        answer = client.get(f"/ui/{name}")
        assert answer.status_code == 404, name
        assert answer.get_json()["status"] == 404


def test_hostile_catalogue_text_is_escaped(memory_store: Store, tmp_path: Path) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "hostile.rq").write_text(
        "# Made-up test query with markup in its header.\n"
        "# title@en: </script><script>alert(1)</script>\n"
        "# title@fr: <b>gras</b>\n"
        "# title@ar: \"'&\n"
        "# description@en: <img src=x onerror=alert(2)>\n"
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n",
        encoding="utf-8",
    )
    app = create_app(Settings(store="unused", queries_dir=str(queries)), memory_store)
    client = app.test_client()
    for url in ("/", "/queries"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;img src=x onerror=alert(2)&gt;" in html, url
    settings = json.loads(links_of(client.get("/").get_data(as_text=True)).settings)
    assert settings["queries"][0]["title"] == "</script><script>alert(1)</script>"
    assert "<b>gras</b>" not in client.get("/queries?lang=fr").get_data(as_text=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_page_lists_every_query(client: FlaskClient, language: str) -> None:
    answer = client.get(f"/queries?lang={language}")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html.split("\n", 3)[1]
    page = links_of(html)
    assert [url for url in page.urls if not is_local(url)] == []
    for query in CATALOGUE:
        assert str(escape(query.titles[language])) in html, query.name
        assert str(escape(query.descriptions[language])) in html, query.name
        assert f"/queries/{query.name}.rq" in page.urls
        assert f"/?lang={language}&open={query.name}" in page.urls
    for query, name in DOWNLOADS:
        assert f"/queries/{query.name}?format={name}" in page.urls


def test_a_query_text_downloads_as_an_rq_file(client: FlaskClient) -> None:
    answer = client.get("/queries/countries.rq")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/sparql-query; charset=utf-8"
    assert answer.headers["Content-Disposition"] == "attachment; filename=countries.rq"
    assert answer.get_data(as_text=True) == (REPO_ROOT / "queries" / "countries.rq").read_text(
        encoding="utf-8"
    )


def test_an_unknown_query_or_format_is_refused(client: FlaskClient) -> None:
    answer = client.get("/queries/no_such_query?format=csv")
    assert answer.status_code == 404
    assert answer.get_json() == {
        "error": "the catalogue has no query 'no_such_query'; /queries lists them",
        "status": 404,
    }
    assert client.get("/queries/no_such_query.rq").status_code == 404
    assert client.get("/queries/countries?format=turtle").status_code == 406


@pytest.mark.parametrize("ui_dir", ["empty", "absent"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_without_yasgui_the_page_says_to_run_make_ui(
    memory_store: Store, tmp_path: Path, ui_dir: str, language: str
) -> None:
    folder = tmp_path / "ui"
    if ui_dir == "empty":
        folder.mkdir()
        (folder / "package.json").write_text("{}", encoding="utf-8")
    app = create_app(Settings(store="unused", ui_dir=str(folder)), memory_store)
    client = app.test_client()
    answer = client.get(f"/?lang={language}")
    assert answer.status_code == 503
    html = answer.get_data(as_text=True)
    assert '<code dir="ltr">make ui</code>' in html
    assert "yasgui.min.js" not in html
    assert client.get("/ui/yasgui.min.js").status_code == 404
    assert client.get("/queries").status_code == 200  # the catalogue needs no YASGUI


# Downloads on the full build, through a running server.


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def count_items(name: str, content: bytes) -> int:
    """Return the number of rows (or triples) in an answer, parsed as its format says."""
    if name == "json":
        return len(json.loads(content)["results"]["bindings"])
    if name == "xml":
        tree = ElementTree.fromstring(content)
        return len(tree.findall(".//{http://www.w3.org/2005/sparql-results#}result"))
    if name in ("csv", "tsv"):
        delimiter = "," if name == "csv" else "\t"
        text = content.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter)) if name == "csv" else [
            line.split(delimiter) for line in text.splitlines()
        ]
        return len([row for row in rows[1:] if row])
    dataset = Dataset()
    dataset.parse(data=content, format=RDFLIB_FORMATS[name])
    return len(dataset)


@pytest.mark.parametrize(
    ("query", "name"), DOWNLOADS, ids=[f"{q.name}-{name}" for q, name in DOWNLOADS]
)
def test_every_query_downloads_in_every_format(
    live_server: LiveServer, query: CatalogueQuery, name: str
) -> None:
    status, headers, content = fetch(f"{live_server.url}/queries/{query.name}?format={name}")
    assert status == 200, content[:300]
    expected = f"attachment; filename={query.name}.{EXTENSIONS[name]}"
    assert headers["Content-Disposition"] == expected
    table = RESULT_TYPES if name in RESULT_TYPES else GRAPH_TYPES
    assert headers["Content-Type"].split(";")[0] == table[name][0]
    rows = count_items(name, content)
    assert rows > 0
    assert int(headers["X-Govgraph-Rows"]) == rows
