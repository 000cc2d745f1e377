"""What every blueprint shares: the settings, the store, the answer cache, and running a query.

Layer: endpoint. ``answer_query`` is the one path from a SPARQL text to a served answer: the
guard, the format negotiation, the cache and the store's evaluation, with an access log line.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, request
from werkzeug.datastructures import MIMEAccept

from govgraph.config import Settings
from govgraph.endpoint.cache import AnswerCache
from govgraph.endpoint.negotiation import GRAPH_TYPES, RESULT_TYPES, choose_format
from govgraph.errors import QueryError, RequestError
from govgraph.store.base import QueryAnswer, QueryRequest, Store
from govgraph.store.guard import check_request

access_log = logging.getLogger("govgraph.access")


@dataclass
class Service:
    """The state of one running endpoint."""

    settings: Settings
    store: Store
    cache: AnswerCache
    memo: dict[str, Any] = field(default_factory=dict)
    """Small derived documents (VoID, catalogue) keyed by name, with the store version."""
    allowed_services: frozenset[str] = field(init=False)
    """``settings.allowed_services``, read once rather than on every request."""
    cors_origins: frozenset[str] = field(init=False)
    """The origins of ``settings.cors_origins``, read once."""

    def __post_init__(self) -> None:
        self.allowed_services = self.settings.allowed_services
        origins = self.settings.cors_origins.split(",")
        self.cors_origins = frozenset(item.strip() for item in origins if item.strip())

    def remember(self, name: str, build: Any) -> Any:
        """Return ``build()``, computed once per store version."""
        version = self.store.version
        cached = self.memo.get(name)
        if cached is None or cached[0] != version:
            cached = (version, build())
            self.memo[name] = cached
        return cached[1]


def service() -> Service:
    """Return the Service of the running app."""
    found: Service = current_app.extensions["govgraph"]
    return found


def table_for(form: str) -> dict[str, tuple[str, ...]]:
    """Return the media types that can carry the answer of a query form."""
    return GRAPH_TYPES if form in ("construct", "describe") else RESULT_TYPES


@dataclass(frozen=True)
class Answer:
    """A served answer: the store's, the form of the query, and whether the cache gave it."""

    answer: QueryAnswer
    form: str
    cached: bool


def answer_query(
    query: str,
    accept: MIMEAccept,
    format_parameter: str | None = None,
    default_graphs: tuple[str, ...] | None = None,
    named_graphs: tuple[str, ...] | None = None,
) -> Answer:
    """Guard, negotiate and run one query, through the cache.

    Raises:
        QueryError: the query is refused, malformed, or an update.
        RequestError: (406) no acceptable format can carry its answer.
        QueryTimeoutError: it ran past the time limit.
    """
    current = service()
    parsed = check_request(query, current.allowed_services)
    if parsed.form == "update":
        raise QueryError("this is a SPARQL update: send it as `update`, with the write token")
    result_format = choose_format(table_for(parsed.form), accept, format_parameter)
    store_request = QueryRequest(
        query, result_format, default_graphs, named_graphs, current.settings.max_rows
    )
    version = current.store.version
    cached = current.cache.get(version, store_request)
    g.cached = cached is not None
    if cached is not None:
        g.rows = cached.rows
        return Answer(cached, parsed.form, True)
    answer = current.store.execute(store_request)
    current.cache.put(version, store_request, answer)
    g.rows = answer.rows
    return Answer(answer, parsed.form, False)


def require_write_token() -> None:
    """Refuse a write unless the request carries the configured bearer token.

    Raises:
        RequestError: no token is configured (403) or the request's is missing or wrong (401).
    """
    token = service().settings.write_token
    if not token:
        raise RequestError(
            "this endpoint is read-only: writes over HTTP need a write_token in the server's "
            "configuration (GOVGRAPH_WRITE_TOKEN)",
            403,
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
        raise RequestError("writing needs `Authorization: Bearer <write token>`", 401)


def after_write() -> None:
    """Forget cached answers computed before the write."""
    current = service()
    current.cache.drop_older(current.store.version)


def start_timer() -> None:
    """Note when the request began (for the access log)."""
    g.started = time.perf_counter()


def log_access(status: int) -> None:
    """Write the access log line of a SPARQL request: its duration and row count."""
    started = g.get("started")
    if started is None or not access_log.isEnabledFor(logging.INFO):
        return
    elapsed = (time.perf_counter() - started) * 1000
    access_log.info(
        '%s "%s %s" %s rows=%s cached=%s %.1f ms',
        request.remote_addr,
        request.method,
        request.path,
        status,
        g.get("rows", "-"),
        g.get("cached", False),
        elapsed,
    )
