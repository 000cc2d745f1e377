"""Shared fixtures: settings pointing at a temporary store, an in-memory store, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.config import Settings
from govgraph.store import MEMORY, EmbeddedStore, Store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with the repository's resources and a fresh on-disk store under tmp_path."""
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture
def memory_store() -> Store:
    """An empty in-memory store, closed after the test."""
    store = EmbeddedStore.open(MEMORY)
    yield store
    store.close()


@pytest.fixture
def runner() -> CliRunner:
    """A click runner; stdout and stderr are kept apart."""
    return CliRunner()
