"""Loaders: source files -> records. The registry maps a file format to its loader.

Layer: ingest. Loaders produce ``model.records.Announcement`` records; they do not import
rdflib and do not know the store exists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govgraph.errors import Location, SourceError
from govgraph.ingest.records import load_record
from govgraph.model.records import Announcement

Loader = Callable[[Path], Announcement]
LOADERS: dict[str, Loader] = {}
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def register(name: str) -> Callable[[Loader], Loader]:
    """Register a loader under a format name."""

    def decorate(loader: Loader) -> Loader:
        LOADERS[name] = loader
        return loader

    return decorate


register("yaml")(load_record)
register("json")(load_record)


def format_of(path: Path) -> str:
    """Return the registered format of a record file, from its extension.

    Raises:
        SourceError: no loader reads this extension.
    """
    name = SUFFIXES.get(path.suffix.lower())
    if name is None:
        raise SourceError(
            Location(str(path)),
            f"unknown record format {path.suffix!r}; known: {', '.join(sorted(SUFFIXES))} "
            "(raw .txt/.html announcements load with --from-text; RDF files with load-rdf)",
        )
    return name


def load_announcement(path: Path) -> Announcement:
    """Load one record file with the loader its extension names."""
    return LOADERS[format_of(path)](path)
