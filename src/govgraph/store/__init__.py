"""Persisted graphs: the one Store interface and ``open_store``, which picks an implementation.

Layer: store. The only package that reads or writes persisted graphs.
"""

from __future__ import annotations

from govgraph.config import Settings
from govgraph.store.base import GraphCount, Row, Store
from govgraph.store.embedded import MEMORY, EmbeddedStore

__all__ = ["MEMORY", "EmbeddedStore", "GraphCount", "Row", "Store", "open_store"]


def open_store(settings: Settings) -> Store:
    """Open the store that ``settings.store`` names: a directory, ``:memory:`` or a URL.

    Raises:
        ConfigError: the remote store's settings are wrong.
        StoreError: the store cannot be opened or reached.
    """
    location = settings.store
    if location.startswith(("http://", "https://")):
        from govgraph.store.remote import RemoteStore

        return RemoteStore.open(settings)
    return EmbeddedStore.open(location, allowed_services=settings.allowed_services)
