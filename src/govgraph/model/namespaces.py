"""Namespaces of govgraph and of the vocabularies it reuses: the only module that spells IRIs.

Layer: model. Imports rdflib only.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

BASE = "https://w3id.org/govgraph/"
GG = Namespace(BASE + "ns#")
GGSH = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
SYNTH = Namespace(BASE + "synth/id/")
"""Instances of generated benchmark data live here, never under ID."""

# schema.org's JSON-LD context maps to http, so govgraph uses http (never rdflib.SDO: https).
SCHEMA = Namespace("http://schema.org/")
CV = Namespace("http://data.europa.eu/m8g/")
PERSON = Namespace("http://www.w3.org/ns/person#")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
LANG = Namespace("http://id.loc.gov/vocabulary/iso639-1/")
DASH = Namespace("http://datashapes.org/dash#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

ISO_CODES_SOURCE = URIRef("https://salsa.debian.org/iso-codes-team/iso-codes")
"""The upstream project of pycountry's data: the source of every country name."""

REFERENCE_GRAPH = ID["graph/reference"]
ONTOLOGY_GRAPH = ID["graph/ontology"]
ONTOLOGY_IRI = Namespace(BASE)["ns"]

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "gg": GG,
    "ggsh": GGSH,
    "id": ID,
    "org": ORG,
    "schema": SCHEMA,
    "cv": CV,
    "person": PERSON,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "time": TIME,
    "oa": OA,
    "dcat": DCAT,
    "void": VOID,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "wd": WD,
    "sd": SD,
}

__all__ = [
    "BASE",
    "CONCEPTS_GRAPH",
    "CV",
    "DASH",
    "FORMATS",
    "SD",
    "DCAT",
    "DCTERMS",
    "GG",
    "GGSH",
    "ID",
    "ISO_CODES_SOURCE",
    "LANG",
    "OA",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PERSON",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE_GRAPH",
    "SCHEMA",
    "SH",
    "SKOS",
    "SYNTH",
    "TIME",
    "VOID",
    "WD",
    "XSD",
    "bind_prefixes",
]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind govgraph's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph

CONCEPTS_GRAPH = ID["graph/concepts"]
