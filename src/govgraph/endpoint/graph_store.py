"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, indirect identification (``?graph=``).

Layer: endpoint. GET and HEAD read a named graph (``?default`` reads the union default graph);
PUT, POST and DELETE write one, only with the write token. Every triple lives in a named
graph here (one per announcement), so writing ``?default`` is refused.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import Graph, URIRef

from govgraph.endpoint.describe import serve_graph
from govgraph.endpoint.negotiation import GRAPH_TYPES, choose_format, media_type_of
from govgraph.endpoint.service import after_write, require_write_token, service
from govgraph.errors import RequestError
from govgraph.model.namespaces import bind_prefixes
from govgraph.store.base import QueryRequest
from govgraph.store.files import read_rdf_bytes

blueprint = Blueprint("graph_store", __name__)

UNION_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _target() -> URIRef | None:
    """Return the graph the request names, or None for ``?default``."""
    graphs = request.args.getlist("graph")
    has_default = "default" in request.args
    if len(graphs) + has_default != 1:
        raise RequestError("name one graph: `?graph=<IRI>` or `?default`")
    if has_default:
        return None
    if not graphs[0].startswith(("http://", "https://", "urn:")):
        raise RequestError(f"graph {graphs[0]!r} is not an absolute IRI")
    return URIRef(graphs[0])


def _read_body(name: URIRef) -> Graph:
    dataset, graphs = read_rdf_bytes(request.get_data(), request.mimetype, "request body", name)
    if graphs - {name}:
        raise RequestError("the body names other graphs; send triples, not quads")
    return dataset.graph(name)


def _serve_union() -> Response:
    name = choose_format(GRAPH_TYPES, request.accept_mimetypes, request.args.get("format"))
    current = service()
    answer = current.store.execute(
        QueryRequest(UNION_QUERY, name, max_rows=current.settings.max_rows)
    )
    return Response(answer.content, content_type=media_type_of(name, GRAPH_TYPES))


@blueprint.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """Read or write one graph."""
    target = _target()
    store = service().store
    if request.method in ("GET", "HEAD"):
        if target is None:
            return _serve_union()
        if target not in store.graph_names():
            raise RequestError(f"there is no graph {target}", 404)
        return serve_graph(bind_prefixes(store.export_graph(target)))
    require_write_token()
    if target is None:
        raise RequestError(
            "govgraph keeps every triple in a named graph and the default graph is their "
            "union; write to `?graph=<IRI>`",
            403,
        )
    existed = target in store.graph_names()
    if request.method == "DELETE":
        if not existed:
            raise RequestError(f"there is no graph {target}", 404)
        store.drop_graphs([target])
        after_write()
        return Response(status=204)
    content = _read_body(target)
    if request.method == "POST" and existed:
        for triple in store.export_graph(target):
            content.add(triple)
    store.replace_graphs({target: content})
    after_write()
    return Response(status=204 if existed else 201)
