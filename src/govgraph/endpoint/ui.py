"""The query UI at ``/`` (YASGUI, served offline) and the query catalogue at ``/queries``.

Layer: endpoint (uses config, queries, store.guard). ``/`` serves YASGUI's two built files from
the ui folder (``make ui`` installs them) at ``/ui/yasgui.min.js`` and ``/ui/yasgui.min.css``,
configured by ``static/ui/app.js`` to query this server's ``/sparql`` only, with one tab per
catalogue query; without the files it says to run ``make ui``. ``/queries`` lists the
catalogue with downloads of each query's text (``/queries/<name>.rq``) and of its results in
every format its form allows (``/queries/<name>?format=csv``). Pages come in English, French
and Arabic (``?lang=``, else the Accept-Language header); every value reaches HTML through
Jinja's autoescaping and JavaScript through ``tojson``. Nothing on a page comes from another
host, and the Content-Security-Policy header tells the browser so.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request, send_from_directory, url_for
from werkzeug.wrappers import Response as BaseResponse

from govgraph.config import Settings, resource_dir
from govgraph.endpoint.negotiation import media_type_of
from govgraph.endpoint.service import answer_query, service, table_for
from govgraph.errors import ConfigError, QueryError, RequestError, SourceError
from govgraph.queries import LANGUAGES, CatalogueQuery, load_catalogue
from govgraph.store.guard import check_request

log = logging.getLogger(__name__)

blueprint = Blueprint("ui", __name__)

YASGUI_PACKAGE = Path("node_modules", "@zazuko", "yasgui")
ASSETS = ("yasgui.min.js", "yasgui.min.css")
"""The only files of the YASGUI package the server sends (from its ``build/`` folder)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    # YASGUI and DataTables set style attributes from script.
    "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

FORMAT_LABELS = {
    "json": ("JSON", "json"), "xml": ("XML", "xml"), "csv": ("CSV", "csv"),
    "tsv": ("TSV", "tsv"), "turtle": ("Turtle", "ttl"), "ntriples": ("N-Triples", "nt"),
    "nquads": ("N-Quads", "nq"), "trig": ("TriG", "trig"), "jsonld": ("JSON-LD", "jsonld"),
    "rdfxml": ("RDF/XML", "rdf"),
}  # fmt: skip
"""Format name -> (label on the page, file name extension of the download)."""

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "editor": "Query editor",
        "catalogue": "Query catalogue",
        "endpoint": "SPARQL endpoint",
        "languages": "Language",
        "editor_title": "SPARQL query editor",
        "editor_intro": "Each tab holds a query of the catalogue; run it with the ▶ button "
        "(or Ctrl+Enter). Queries run on this server only.",
        "catalogue_list": "Catalogue queries",
        "own_query_title": "Your own query",
        "own_query": "A query of your own: it runs on this server's SPARQL endpoint.",
        "new_tab": "Query",
        "missing_title": "The query editor is not installed",
        "missing": "The query editor's files (YASGUI) are not installed on this server. "
        "Run `make ui` in the govgraph repository, then reload this page. The SPARQL "
        "endpoint and the query catalogue work without them.",
        "noscript": "The query editor needs JavaScript; the query catalogue does not.",
        "catalogue_title": "Query catalogue",
        "catalogue_intro": "The named queries of the catalogue (queries/*.rq). Download a "
        "query's text, or its results on this server's data in any format, or open it in "
        "the query editor.",
        "open": "Open in the editor",
        "query_text": "Query text",
        "download_query": "Query (.rq)",
        "results": "Results",
        "form": "Form",
        "licence": "The query editor is YASGUI {version}, © {authors}, under the MIT licence.",
        "notice": "Licence notice",
    },
    "fr": {
        "editor": "Éditeur de requêtes",
        "catalogue": "Catalogue de requêtes",
        "endpoint": "Point d'accès SPARQL",
        "languages": "Langue",
        "editor_title": "Éditeur de requêtes SPARQL",
        "editor_intro": "Chaque onglet contient une requête du catalogue ; lancez-la avec le "
        "bouton ▶ (ou Ctrl+Entrée). Les requêtes s'exécutent sur ce serveur uniquement.",
        "catalogue_list": "Requêtes du catalogue",
        "own_query_title": "Votre requête",
        "own_query": "Une requête à vous : elle s'exécute sur le point d'accès SPARQL de ce "
        "serveur.",
        "new_tab": "Requête",
        "missing_title": "L'éditeur de requêtes n'est pas installé",
        "missing": "Les fichiers de l'éditeur de requêtes (YASGUI) ne sont pas installés sur "
        "ce serveur. Lancez `make ui` dans le dépôt govgraph, puis rechargez cette page. Le "
        "point d'accès SPARQL et le catalogue de requêtes fonctionnent sans eux.",
        "noscript": "L'éditeur de requêtes a besoin de JavaScript ; le catalogue de requêtes non.",
        "catalogue_title": "Catalogue de requêtes",
        "catalogue_intro": "Les requêtes nommées du catalogue (queries/*.rq). Téléchargez le "
        "texte d'une requête, ou ses résultats sur les données de ce serveur dans le format "
        "de votre choix, ou ouvrez-la dans l'éditeur de requêtes.",
        "open": "Ouvrir dans l'éditeur",
        "query_text": "Texte de la requête",
        "download_query": "Requête (.rq)",
        "results": "Résultats",
        "form": "Forme",
        "licence": "L'éditeur de requêtes est YASGUI {version}, © {authors}, sous licence MIT.",
        "notice": "Avis de licence",
    },
    "ar": {
        "editor": "محرر الاستعلامات",
        "catalogue": "فهرس الاستعلامات",
        "endpoint": "نقطة وصول SPARQL",
        "languages": "اللغة",
        "editor_title": "محرر استعلامات SPARQL",
        "editor_intro": "يضم كل تبويب استعلاما من الفهرس؛ نفّذه بالزر ▶ (أو Ctrl+Enter). "
        "تُنفَّذ الاستعلامات على هذا الخادم وحده.",
        "catalogue_list": "استعلامات الفهرس",
        "own_query_title": "استعلامك الخاص",
        "own_query": "استعلام من إنشائك: يُنفَّذ على نقطة وصول SPARQL في هذا الخادم.",
        "new_tab": "استعلام",
        "missing_title": "محرر الاستعلامات غير مثبت",
        "missing": "ملفات محرر الاستعلامات (YASGUI) غير مثبتة على هذا الخادم. شغّل الأمر "
        "`make ui` في مستودع govgraph، ثم أعد تحميل هذه الصفحة. تعمل نقطة وصول SPARQL وفهرس "
        "الاستعلامات من دونها.",
        "noscript": "يحتاج محرر الاستعلامات إلى JavaScript، أما فهرس الاستعلامات فلا.",
        "catalogue_title": "فهرس الاستعلامات",
        "catalogue_intro": "الاستعلامات المسمّاة في الفهرس (queries/*.rq). نزّل نص الاستعلام، "
        "أو نتائجه على بيانات هذا الخادم بالصيغة التي تختارها، أو افتحه في محرر الاستعلامات.",
        "open": "افتح في المحرر",
        "query_text": "نص الاستعلام",
        "download_query": "الاستعلام (.rq)",
        "results": "النتائج",
        "form": "نوع الاستعلام",
        "licence": "محرر الاستعلامات هو YASGUI {version}، © {authors}، بموجب رخصة MIT.",
        "notice": "إشعار الترخيص",
    },
}


def chosen_language() -> str:
    """Return the page language: ``?lang=`` if it is en, fr or ar, else Accept-Language."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def read_catalogue(settings: Settings) -> list[CatalogueQuery]:
    """Return the catalogue; a broken query file is a fault of the server's configuration.

    Raises:
        ConfigError: the queries folder is missing or one of its files cannot be read.
    """
    try:
        return load_catalogue(resource_dir(settings, "queries"))
    except SourceError as exc:
        raise ConfigError(f"the query catalogue cannot be served: {exc}") from exc


def find_query(name: str) -> CatalogueQuery:
    """Return the catalogue query called ``name``.

    Raises:
        RequestError: (404) the catalogue has no such query.
    """
    for query in read_catalogue(service().settings):
        if query.name == name:
            return query
    raise RequestError(f"the catalogue has no query {name!r}; /queries lists them", 404)


def yasgui_dir(settings: Settings) -> Path | None:
    """Return the installed YASGUI package folder, or None when ``make ui`` has not run."""
    try:
        package = resource_dir(settings, "ui") / YASGUI_PACKAGE
    except ConfigError:
        return None
    if all((package / "build" / name).is_file() for name in ASSETS):
        return package
    return None


def licence_of(package: Path | None) -> dict[str, str] | None:
    """Return the version and authors YASGUI's package.json declares (for the notice)."""
    if package is None:
        return None
    try:
        meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read YASGUI's package.json: %s", package, exc)
        return None
    people = [meta.get("author", "")] + [c.get("name", "") for c in meta.get("contributors", [])]
    # "Triply <info@triply.cc>" -> "Triply": the page names the authors, the notice has the rest.
    names = [person.split("<")[0].strip() for person in people if isinstance(person, str)]
    return {
        "version": str(meta.get("version", "")),
        "license": str(meta.get("license", "")),
        "authors": ", ".join(name for name in names if name),
    }


def form_of(query: CatalogueQuery) -> str:
    """Return the SPARQL form of a catalogue query (``select``, ``construct``, ...)."""
    try:
        return check_request(query.text, service().settings.allowed_services).form
    except QueryError as exc:
        raise ConfigError(f"queries/{query.name}.rq cannot be served: {exc}") from exc


def page_context(language: str) -> dict[str, Any]:
    """Return what every page's template needs: language, direction, messages, links."""
    package = yasgui_dir(service().settings)
    return {
        "lang": language,
        "dir": "rtl" if language == "ar" else "ltr",
        "t": MESSAGES[language],
        "languages": LANGUAGE_NAMES,
        "yasgui": licence_of(package),
    }


def html_response(body: str, status: int = 200) -> Response:
    """Wrap a page with the headers every UI page carries."""
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.vary.add("Accept-Language")
    return response


@blueprint.get("/")
def index() -> Response:
    """The query UI: YASGUI with one tab per catalogue query, or how to install it."""
    language = chosen_language()
    context = page_context(language)
    if yasgui_dir(service().settings) is None:
        return html_response(render_template("ui/missing.html", **context), 503)
    catalogue = read_catalogue(service().settings)
    names = [query.name for query in catalogue]
    asked = request.args.get("open", "")
    settings = {
        "endpoint": url_for("sparql.sparql", _external=True),
        "open": asked if asked in names else (names[0] if names else None),
        "messages": {
            key: MESSAGES[language][key] for key in ("own_query_title", "own_query", "new_tab")
        },
        "queries": [
            {
                "name": query.name,
                "title": query.title(language),
                "description": query.description(language),
                "text": query.text,
            }
            for query in catalogue
        ],
    }
    return html_response(render_template("ui/index.html", settings=settings, **context))


@blueprint.get("/ui/<name>")
def asset(name: str) -> BaseResponse:
    """Send one of YASGUI's two built files from the ui folder."""
    package = yasgui_dir(service().settings)
    if name not in ASSETS or package is None:
        raise RequestError(f"no UI file {name!r}; run `make ui` to install YASGUI", 404)
    return send_from_directory(package / "build", name, max_age=3600)


@blueprint.get("/ui/NOTICE.md")
def notice() -> Response:
    """Send the third-party notice of the UI's assets (YASGUI's MIT licence)."""
    try:
        text = (resource_dir(service().settings, "ui") / "NOTICE.md").read_text(encoding="utf-8")
    except (ConfigError, OSError):
        raise RequestError("this server has no ui/NOTICE.md", 404) from None
    return Response(text, content_type="text/plain; charset=utf-8")


@blueprint.get("/queries")
def catalogue() -> Response:
    """The catalogue page: each query's title, description, text and downloads."""
    language = chosen_language()
    entries = [
        {
            "query": query,
            "title": query.title(language),
            "description": query.description(language),
            "form": form,
            "formats": [(name, FORMAT_LABELS[name][0]) for name in table_for(form)],
        }
        for query in read_catalogue(service().settings)
        for form in (form_of(query),)
    ]
    return html_response(
        render_template("ui/queries.html", entries=entries, **page_context(language))
    )


@blueprint.get("/queries/<name>.rq")
def query_text(name: str) -> Response:
    """Download a catalogue query's text."""
    query = find_query(name)
    response = Response(query.text, content_type="application/sparql-query; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=f"{query.name}.rq")
    return response


@blueprint.get("/queries/<name>")
def query_results(name: str) -> Response:
    """Download a catalogue query's results, in ``?format=`` or as the Accept header asks."""
    query = find_query(name)
    served = answer_query(query.text, request.accept_mimetypes, request.args.get("format"))
    result_format = served.answer.result_format
    response = Response(
        served.answer.content, content_type=media_type_of(result_format, table_for(served.form))
    )
    extension = FORMAT_LABELS[result_format][1]
    response.headers.set("Content-Disposition", "attachment", filename=f"{query.name}.{extension}")
    response.headers["X-Govgraph-Rows"] = str(served.answer.rows)
    response.vary.add("Accept")
    if served.answer.truncated:
        response.headers["X-Govgraph-Truncated"] = f"cut at max_rows={service().settings.max_rows}"
    return response
