"""The HTTP service: the SPARQL endpoint, Graph Store, Linked Data pages and the query UI.

Layer: endpoint (uses store, queries, validate, export). ``create_app(settings, store)`` builds
the Flask application; ``server.serve`` runs it under gunicorn. Every error answer is
``{"error": <message>, "status": <code>}``; internals never reach the body.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from govgraph.config import Settings
from govgraph.endpoint import describe, graph_store, linked_data, sparql, ui
from govgraph.endpoint.cache import AnswerCache
from govgraph.endpoint.service import Service, log_access, start_timer
from govgraph.errors import (
    GovgraphError,
    QueryError,
    QueryRefusedError,
    QueryTimeoutError,
    RequestError,
    SourceError,
    UpdateFailedError,
)
from govgraph.store.base import Store

log = logging.getLogger(__name__)

__all__ = ["create_app"]


def _error_body(message: str, status: int) -> Response:
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


def status_of(error: GovgraphError) -> int:
    """Return the HTTP status for one of govgraph's errors."""
    if isinstance(error, RequestError):
        return error.status
    if isinstance(error, QueryTimeoutError):
        return 503
    if isinstance(error, QueryRefusedError):
        return 403
    if isinstance(error, QueryError | SourceError):
        return 400
    return 500


def handle_govgraph_error(error: GovgraphError) -> Response:
    """Answer one of govgraph's errors; store and configuration failures stay in the log."""
    status = status_of(error)
    if status >= 500 and not isinstance(error, QueryTimeoutError | UpdateFailedError):
        log.error("%s %s failed: %s", request.method, request.path, error)
        message = "the server cannot answer this request now; its log says why"
    else:
        message = str(error)
    response = _error_body(message, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="govgraph"'
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


def handle_http_error(error: HTTPException) -> Response:
    """Answer a routing or protocol error (404, 405, 413...) in the same JSON shape."""
    status = error.code or 500
    response = _error_body(error.description or error.name, status)
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def handle_unexpected(error: Exception) -> Response:
    """Log a bug with its traceback; answer 500 without details."""
    log.exception("unexpected error answering %s %s", request.method, request.path)
    return _error_body("internal error; the server log has the details", 500)


def create_app(settings: Settings, store: Store) -> Flask:
    """Return the Flask application serving ``store`` with ``settings``."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_body
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["govgraph"] = Service(settings, store, AnswerCache(settings.cache_bytes))
    for module in (sparql, describe, graph_store, linked_data, ui):
        app.register_blueprint(module.blueprint)
    app.register_error_handler(GovgraphError, handle_govgraph_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)

    app.before_request(start_timer)

    @app.after_request
    def write_access_log(response: Response) -> Response:
        log_access(response.status_code)
        return response

    @app.get("/healthz")
    def healthz() -> Response:
        """Say whether the store answers."""
        store.ask("ASK { }")
        return jsonify({"status": "ok", "store": "up", "version": store.version})

    return app
