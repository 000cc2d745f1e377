"""Read the ontology, the SKOS schemes and the SHACL shapes from the ontology folder.

Layer: model. Input: ``ontology/govgraph.ttl``, ``ontology/reused.ttl``,
``ontology/schemes/*.ttl``, ``ontology/shapes/*.ttl``. Output: rdflib Graphs.
Imports: rdflib, govgraph.errors, govgraph.config.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from govgraph.config import Settings, resource_dir
from govgraph.errors import OntologyError
from govgraph.model.namespaces import bind_prefixes

ONTOLOGY_FILES = ("govgraph.ttl", "reused.ttl")
SHAPE_FILES = ("core", "range", "vocab", "provenance", "consistency", "recommended")


def parse_turtle_files(paths: list[Path]) -> Graph:
    """Parse local Turtle files into one graph.

    Raises:
        OntologyError: a file is missing or is not valid Turtle (the message names the file).
    """
    graph = bind_prefixes(Graph())
    for path in paths:
        if not path.is_file():
            raise OntologyError(f"{path}: file not found; restore it from the repository")
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises bare Exception subclasses from its parsers
            raise OntologyError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


def ontology_paths(settings: Settings) -> list[Path]:
    """Return the files of the ontology proper (minted and reused terms)."""
    folder = resource_dir(settings, "ontology")
    return [folder / name for name in ONTOLOGY_FILES]


def scheme_paths(settings: Settings) -> list[Path]:
    """Return the SKOS concept scheme files, sorted by name."""
    return sorted((resource_dir(settings, "ontology") / "schemes").glob("*.ttl"))


def shape_paths(settings: Settings, levels: tuple[str, ...] = SHAPE_FILES) -> list[Path]:
    """Return the shapes files of the given levels (default: all of them)."""
    unknown = set(levels) - set(SHAPE_FILES)
    if unknown:
        raise OntologyError(
            f"unknown shapes level(s) {', '.join(sorted(unknown))}; known: {', '.join(SHAPE_FILES)}"
        )
    folder = resource_dir(settings, "ontology") / "shapes"
    return [folder / f"{level}.ttl" for level in levels]


def load_ontology(settings: Settings) -> Graph:
    """Return the ontology (minted and reused terms) as one graph."""
    return parse_turtle_files(ontology_paths(settings))


def load_schemes(settings: Settings) -> Graph:
    """Return every SKOS concept scheme as one graph."""
    return parse_turtle_files(scheme_paths(settings))


def load_shapes(settings: Settings, levels: tuple[str, ...] = SHAPE_FILES) -> Graph:
    """Return the shapes of the given levels as one graph."""
    return parse_turtle_files(shape_paths(settings, levels))
