"""Descriptions of the service and the dataset: SPARQL 1.1 Service Description, VoID and DCAT.

Layer: endpoint. Built as rdflib graphs from the settings and the store's statistics (once per
store version), served in the RDF format the client negotiates.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from rdflib import BNode, Graph, Literal, URIRef

from govgraph import __version__
from govgraph.endpoint.negotiation import GRAPH_TYPES, choose_format, media_type_of
from govgraph.endpoint.service import service
from govgraph.model.namespaces import (
    BASE,
    DCAT,
    DCTERMS,
    FORMATS,
    ID,
    RDF,
    SD,
    VOID,
    XSD,
    bind_prefixes,
)

blueprint = Blueprint("describe", __name__)

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                      "SPARQL_Results_TSV", "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD",
                      "RDF_XML")  # fmt: skip
DATASET = ID["dataset"]


def serve_graph(graph: Graph) -> Response:
    """Serialize a graph in the negotiated RDF format (Turtle by default)."""
    name = choose_format(GRAPH_TYPES, request.accept_mimetypes, request.args.get("format"))
    content = graph.serialize(format=RDFLIB_FORMATS[name], encoding="utf-8")
    response = Response(content, content_type=media_type_of(name, GRAPH_TYPES))
    response.headers["Vary"] = "Accept"
    return response


def endpoint_iri() -> URIRef:
    """The endpoint's URL as this request reached it."""
    return URIRef(url_for("sparql.sparql", _external=True))


def build_service_description(endpoint: URIRef, writable: bool) -> Graph:
    """Return the Service Description of the endpoint."""
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    service_node = BNode()
    graph.add((service_node, RDF.type, SD.Service))
    graph.add((service_node, SD.endpoint, endpoint))
    graph.add((service_node, SD.supportedLanguage, SD.SPARQL11Query))
    if writable:
        graph.add((service_node, SD.supportedLanguage, SD.SPARQL11Update))
    for feature in (SD.UnionDefaultGraph, SD.BasicFederatedQuery):
        if feature != SD.BasicFederatedQuery or service().settings.allowed_services:
            graph.add((service_node, SD.feature, feature))
    for name in RESULT_FORMAT_IRIS:
        graph.add((service_node, SD.resultFormat, FORMATS[name]))
    graph.add((service_node, DCTERMS.title, Literal("govgraph SPARQL endpoint", lang="en")))
    dataset = BNode()
    graph.add((service_node, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.source, DATASET))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, DCTERMS.description,
               Literal("the union of every named graph", lang="en")))  # fmt: skip
    return graph


def service_description() -> Response:
    """Answer a request to /sparql that carries no operation."""
    writable = bool(service().settings.write_token)
    return serve_graph(build_service_description(endpoint_iri(), writable))


def build_void(endpoint: URIRef) -> Graph:
    """Return the VoID and DCAT description of the dataset, with its statistics."""
    store = service().store
    counts = store.graph_counts()
    classes = store.class_counts()  # in the union of all graphs
    graph = bind_prefixes(Graph())
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    graph.add((DATASET, DCTERMS.title, Literal("govgraph", lang="en")))
    graph.add((DATASET, DCTERMS.description, Literal(
        "A knowledge graph of digital governance built from government announcements, "
        "with the announcement behind every fact.", lang="en")))  # fmt: skip
    graph.add((DATASET, DCTERMS.publisher, Literal("govgraph")))
    graph.add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    graph.add((DATASET, VOID.sparqlEndpoint, endpoint))
    graph.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    graph.add((DATASET, VOID.vocabulary, URIRef(BASE + "ns#")))
    total = sum(entry.triples for entry in counts)
    graph.add((DATASET, VOID.triples, Literal(total, datatype=XSD.integer)))
    graph.add((DATASET, VOID.entities, Literal(sum(classes.values()), datatype=XSD.integer)))
    graph.add((DATASET, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for class_iri, number in sorted(classes.items()):
        partition = BNode()
        graph.add((DATASET, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], class_iri))
        graph.add((partition, VOID.entities, Literal(number, datatype=XSD.integer)))
    for entry in counts:
        graph.add((DATASET, VOID.subset, entry.name))
        graph.add((entry.name, RDF.type, VOID.Dataset))
        graph.add((entry.name, VOID.triples, Literal(entry.triples, datatype=XSD.integer)))
    access = BNode()
    graph.add((DATASET, DCAT.distribution, access))
    graph.add((access, RDF.type, DCAT.Distribution))
    graph.add((access, DCAT.accessURL, endpoint))
    graph.add((access, DCAT.accessService, endpoint))
    graph.add((endpoint, RDF.type, DCAT.DataService))
    graph.add((endpoint, DCAT.endpointURL, endpoint))
    graph.add((endpoint, DCAT.servesDataset, DATASET))
    graph.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return graph


@blueprint.route("/void")
@blueprint.route("/.well-known/void")
def void() -> Response:
    """Describe the dataset (VoID and DCAT), with counts from the store."""
    endpoint = endpoint_iri()
    graph = service().remember(f"void {endpoint}", lambda: build_void(endpoint))
    return serve_graph(graph)
