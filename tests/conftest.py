"""Shared fixtures: settings pointing at a temporary store, an in-memory store, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.config import REPO_ROOT, Settings
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


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the ontology and the reference data only (no announcements), once."""
    location = tmp_path_factory.mktemp("built") / "store"
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(REPO_ROOT / "data" / "reference", data / "reference")
    result = CliRunner().invoke(
        main, ["--store", str(location), "build"], env={"GOVGRAPH_DATA_DIR": str(data)}
    )
    assert result.exit_code == 0, result.output
    return location


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, to write into."""
    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    return copy
