"""``/sparql``: the SPARQL 1.1 Protocol (query and update operations) and CORS.

Layer: endpoint. Reads the operation from GET parameters, a form-encoded POST or a direct POST
(section 2 of the Protocol), refuses what the specification refuses with its status codes, and
hands queries to ``service.answer_query`` and updates to the store, behind the write token.
Without a query, it answers with the SPARQL Service Description (``describe``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from govgraph.endpoint import describe
from govgraph.endpoint.negotiation import media_type_of, parse_accept
from govgraph.endpoint.service import (
    after_write,
    answer_query,
    require_write_token,
    service,
    table_for,
)
from govgraph.errors import RequestError
from govgraph.store.guard import check_request

blueprint = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET_PARAMETERS = ("using-graph-uri", "using-named-graph-uri")


@dataclass(frozen=True)
class Operation:
    """A protocol operation read from a request."""

    kind: str  # "query" or "update"
    text: str
    graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    format_parameter: str | None


def _single(values: MultiDict[str, str], name: str) -> str | None:
    found = values.getlist(name)
    if len(found) > 1:
        raise RequestError(f"the request has {len(found)} `{name}` parameters; send exactly one")
    return found[0] if found else None


def _graph_list(values: MultiDict[str, str], name: str) -> tuple[str, ...] | None:
    found = values.getlist(name)
    return tuple(found) if found else None


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        # The registrations of application/sparql-query and -update: "always UTF-8".
        raise RequestError(
            f"cannot read a SPARQL body in charset {charset!r}; send it as UTF-8", 415
        )
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError("the request body is not valid UTF-8 text") from None


def _operation(kind: str, text: str, parameters: MultiDict[str, str]) -> Operation:
    names = DATASET_PARAMETERS if kind == "query" else UPDATE_DATASET_PARAMETERS
    graphs, named = (_graph_list(parameters, name) for name in names)
    if (graphs is None) != (named is None):
        # Protocol 2.1.4: a dataset given by the protocol is only the graphs it names.
        graphs, named = graphs or (), named or ()
    # Repeated `format` values are alternatives, in order (negotiation.choose_format).
    formats = ",".join(parameters.getlist("format")) or None
    return Operation(kind, text, graphs, named, formats)


def _from_parameters(parameters: MultiDict[str, str], via_get: bool) -> Operation | None:
    query, update = _single(parameters, "query"), _single(parameters, "update")
    if query is not None and update is not None:
        raise RequestError("the request has both `query` and `update`; send one operation")
    if update is not None:
        if via_get:
            raise RequestError("an update must be sent with POST, not GET", 405)
        return _operation("update", update, parameters)
    if query is not None:
        return _operation("query", query, parameters)
    return None


def read_operation() -> Operation | None:
    """Return the request's operation, or None when it asks for the service description.

    Raises:
        RequestError: the request breaks the Protocol (400, 405 or 415).
    """
    if request.method == "GET":
        return _from_parameters(request.args, via_get=True)
    media_type = request.mimetype
    if media_type == FORM_TYPE:
        parameters = MultiDict(request.form)
        for name, value in request.args.items(multi=True):
            if name in ("format", *DATASET_PARAMETERS, *UPDATE_DATASET_PARAMETERS):
                parameters.add(name, value)
        operation = _from_parameters(parameters, via_get=False)
        if operation is None:
            raise RequestError("a form-encoded POST needs a `query` or an `update` parameter")
        return operation
    if media_type in (QUERY_TYPE, UPDATE_TYPE):
        if "query" in request.args or "update" in request.args:
            raise RequestError(
                "with a direct POST the operation is the body; "
                "do not also send `query` or `update` in the URL"
            )
        kind = "query" if media_type == QUERY_TYPE else "update"
        return _operation(kind, _body_text(), request.args)
    raise RequestError(
        f"cannot read a request body of type {media_type or '(none)'}; send "
        f"{QUERY_TYPE}, {UPDATE_TYPE} or {FORM_TYPE}",
        415,
    )


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["text/turtle", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> BaseResponse:
    """Answer a SPARQL query or update, or describe the service."""
    operation = read_operation()
    if operation is None:
        if request.method == "GET" and _wants_html() and not request.args:
            return redirect(url_for("ui.index"), 303)
        return describe.service_description()
    if operation.kind == "update":
        return run_update(operation)
    served = answer_query(
        operation.text,
        parse_accept(request.headers.get("Accept")),
        operation.format_parameter,
        operation.graphs,
        operation.named_graphs,
    )
    media_type = media_type_of(served.answer.result_format, table_for(served.form))
    response = Response(served.answer.content, content_type=media_type)
    response.headers["Vary"] = "Accept"
    response.headers["X-Govgraph-Rows"] = str(served.answer.rows)
    if served.answer.truncated:
        response.headers["X-Govgraph-Truncated"] = (
            f"cut at max_rows={service().settings.max_rows}; add LIMIT/OFFSET to page"
        )
    return response


def run_update(operation: Operation) -> BaseResponse:
    """Run an update with the write token; answer 204."""
    require_write_token()
    current = service()
    check_request(operation.text, current.allowed_services)
    current.store.update(operation.text, operation.graphs, operation.named_graphs)
    after_write()
    return Response(status=204)


@blueprint.after_app_request
def allow_cross_origin_reads(response: BaseResponse) -> BaseResponse:
    """Add CORS headers on /sparql answers: never with credentials, never a reflected ``*``."""
    path = request.path
    if path != "/sparql" and not path.startswith("/id/"):
        return response
    origin = request.headers.get("Origin")
    allowed = service().cors_origins
    if "*" in allowed:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")  # one Vary header: "Accept, Origin"
    else:
        return response
    response.headers["Access-Control-Expose-Headers"] = "X-Govgraph-Rows, X-Govgraph-Truncated"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
        response.headers["Access-Control-Max-Age"] = "600"
    return response
