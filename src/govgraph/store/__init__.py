"""Persisted graphs: the one Store interface and ``open_store``, which picks an implementation.

Layer: store. The only package that reads or writes persisted graphs.
"""

from __future__ import annotations

from govgraph.config import Settings
from govgraph.errors import ConfigError
from govgraph.store.base import GraphCount, Row, Store
from govgraph.store.embedded import MEMORY, EmbeddedStore

__all__ = ["MEMORY", "EmbeddedStore", "GraphCount", "Row", "Store", "open_store"]


def open_store(settings: Settings) -> Store:
    """Open the store that ``settings.store`` names: a directory, or ``:memory:``.

    Raises:
        ConfigError: the setting names a remote endpoint, which this version cannot use yet.
        StoreError: the embedded store cannot be opened.
    """
    location = settings.store
    if location.startswith(("http://", "https://")):
        raise ConfigError(
            f"store {location!r}: remote SPARQL stores are not supported by this version; "
            "use a directory (the embedded store) or ':memory:'"
        )
    return EmbeddedStore.open(location)
