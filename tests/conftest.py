"""Shared fixtures: settings, stores (empty, reference-only, full build), a CLI runner, servers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Build:
    """A store built by `govgraph build`, and the summary the command printed."""

    location: Path
    summary: str


@pytest.fixture(scope="session")
def full_build_result(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`govgraph build` of everything in data/ (as `make run` builds it), once per session."""
    location = tmp_path_factory.mktemp("full") / "store"
    result = CliRunner().invoke(main, ["--store", str(location), "build"])
    assert result.exit_code == 0, result.output
    return Build(location, result.stderr)


@pytest.fixture(scope="session")
def full_build(full_build_result: Build) -> Path:
    """The store of the full build. Tests must not write to it: copy it first (``full_copy``)."""
    return full_build_result.location


@pytest.fixture
def full_copy(full_build: Path, tmp_path: Path) -> Path:
    """A private copy of the full build, to write into or open read-write."""
    copy = tmp_path / "full-store"
    shutil.copytree(full_build, copy)
    return copy


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """A `govgraph serve` process on 127.0.0.1, started and stopped by a fixture."""

    def __init__(
        self, store: Path | str, env: dict[str, str] | None = None, log_dir: Path | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (log_dir or Path(store).parent) / f"server-{self.port}.log"
        command = [sys.executable, "-m", "govgraph.cli", "--store", str(store), "serve",
                   "--port", str(self.port), "--workers", "2"]  # fmt: skip
        self._log_stream = self.log.open("wb")
        self.process = subprocess.Popen(
            command,
            stdout=self._log_stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"govgraph serve exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"govgraph serve did not answer in 60 s: {self.log.read_text()}")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and its query processes."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_stream.close()


@pytest.fixture(scope="session")
def live_server(full_build: Path, tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    """A read-only server on a copy of the full build, shared by the session's tests."""
    copy = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(full_build, copy)
    server = LiveServer(copy)
    yield server
    server.stop()


@pytest.fixture
def writable_server(store: Path) -> LiveServer:
    """A server with a write token ("test-token") on a private copy of the reference build."""
    server = LiveServer(store, env={"GOVGRAPH_WRITE_TOKEN": "test-token"})
    yield server
    server.stop()
