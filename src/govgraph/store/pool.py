"""The served store: queries evaluated in worker processes that are killed at their deadline.

Layer: store. ``PooledStore`` implements ``Store`` for a server: reads go to a pool of
``worker`` processes that hold the on-disk store open read-only; a write stops the readers,
runs in a one-off writer process (RocksDB allows one writer and no readers beside it), then
starts fresh readers, which see the new data. A query that runs past the time limit kills its
process, which is replaced; a query that crashes its process costs only that process.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from govgraph import errors
from govgraph.errors import QueryError, QueryTimeoutError, StoreError
from govgraph.store.base import GraphCount, QueryAnswer, QueryRequest, Row, Store
from govgraph.store.embedded import SERVER_LOCK, EmbeddedStore
from govgraph.store.union import is_current
from govgraph.store.worker import CLOSE, HEADER, OPEN, READ, WRITE

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0
"""Seconds a worker may take to open the store."""


class Worker:
    """One evaluation process and its pipes; it opens the store when ``open`` is called."""

    def __init__(self, location: str, mode: str, allowed: frozenset[str]) -> None:
        self.mode = mode
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govgraph.store.worker", location, mode, *sorted(allowed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._ready = False
        self._opened = False
        self._closing = False

    def _send(self, message: object) -> None:
        assert self.process.stdin is not None
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.process.stdin.write(HEADER.pack(len(payload)) + payload)
            self.process.stdin.flush()
        except BrokenPipeError:
            raise EOFError from None

    def open(self) -> Worker:
        """Tell the process to open the store (it answers when ready); return self."""
        if not self._opened:
            self._opened = True
            try:
                self._send(OPEN)
            except EOFError:
                pass  # wait_ready reports the dead process
        return self

    @property
    def _replies(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        chunks = []
        fd = self._replies.fileno()
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float) -> Any:
        (size,) = HEADER.unpack(self._read_exactly(HEADER.size, deadline))
        return pickle.loads(self._read_exactly(size, deadline))

    def wait_ready(self) -> None:
        """Wait for the process to open the store.

        Raises:
            StoreError: it could not.
        """
        if self._ready:
            return
        self.open()
        try:
            reply = self._receive(time.monotonic() + START_TIMEOUT)
        except (TimeoutError, EOFError):
            self.kill()
            raise StoreError("a query worker did not start; see the server log") from None
        if reply[0] != "ok":
            self.kill()
            raise StoreError(reply[2])
        self._ready = True

    def call(
        self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], timeout: float
    ) -> Any:
        """Run one call; raise the govgraph error the worker reported.

        Raises:
            TimeoutError: no answer before ``timeout`` seconds (the caller kills the worker).
            EOFError: the process died.
        """
        self.wait_ready()
        self._send((method, args, kwargs))
        reply = self._receive(time.monotonic() + timeout)
        if reply[0] == "ok":
            return reply[1]
        error_class = getattr(errors, reply[1], StoreError)
        raise error_class(reply[2])

    def kill(self) -> None:
        """Stop the process at once."""
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass  # a pipe to a process that is gone

    def ask_to_close(self) -> None:
        """Ask the process to close the store and exit (``stop`` waits for it)."""
        if self._closing:
            return
        self._closing = True
        try:
            self._send(CLOSE if self._opened else None)
        except EOFError:
            pass

    def stop(self) -> None:
        """Close the store and end the process: wait for it to say so, kill it if it lingers."""
        self.ask_to_close()
        if self._opened:
            try:
                self._receive(time.monotonic() + 10)
            except (TimeoutError, EOFError, pickle.UnpicklingError):
                pass
        self.kill()


class WorkerPool:
    """Reader processes shared by threads, and exclusive writes in between."""

    def __init__(
        self, location: str, size: int, timeout: float, allowed: frozenset[str] = frozenset()
    ) -> None:
        self.location = location
        self.size = size
        self.timeout = timeout
        self.allowed = allowed
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._state = threading.Condition()
        self._readers_busy = 0
        self._writing = False
        self._start_readers([self._spawn(READ) for _ in range(size)])
        self._spare_writer = self._spawn(WRITE)

    def _spawn(self, mode: str) -> Worker:
        return Worker(self.location, mode, self.allowed)

    def _start_readers(self, readers: list[Worker]) -> None:
        for reader in readers:
            self._idle.put(reader.open())

    def _stop_readers(self) -> None:
        stopping = []
        while True:
            try:
                stopping.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for reader in stopping:
            reader.ask_to_close()  # all at once: each closes its store in parallel
        for reader in stopping:
            reader.stop()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._state:
            self._state.wait_for(lambda: not self._writing)
            self._readers_busy += 1
        try:
            yield
        finally:
            with self._state:
                self._readers_busy -= 1
                self._state.notify_all()

    def read(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run a read call in an idle reader, within the time limit.

        Raises:
            QueryTimeoutError: no reader was free, or the call ran past the limit.
            QueryError: the call crashed its reader.
        """
        started = time.monotonic()
        with self._reading():
            try:
                worker = self._idle.get(timeout=self.timeout)
            except queue.Empty:
                raise QueryTimeoutError(
                    f"every query worker stayed busy for {self.timeout:g} s; try again later"
                ) from None
            remaining = max(self.timeout - (time.monotonic() - started), 0.001)
            try:
                result = worker.call(method, args, kwargs, remaining)
            except TimeoutError:
                self._replace(worker)
                raise QueryTimeoutError(
                    f"the query ran past the time limit of {self.timeout:g} s and was stopped; "
                    "narrow it (LIMIT, more specific patterns) or ask for a longer query_timeout"
                ) from None
            except EOFError:
                self._replace(worker)
                raise QueryError(
                    "the query crashed the process evaluating it (too deep or too large?); "
                    "simplify it"
                ) from None
            except BaseException:
                self._idle.put(worker)
                raise
            self._idle.put(worker)
            return result

    def _replace(self, worker: Worker) -> None:
        log.warning("replacing query worker %s", worker.process.pid)
        worker.kill()
        self._idle.put(self._spawn(READ).open())

    def write(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Stop the readers, run one write in a writer process, start fresh readers.

        Raises:
            QueryTimeoutError: the write ran past the time limit; nothing was written.
        """
        with self._state:
            self._state.wait_for(lambda: not self._writing)
            self._writing = True
            self._state.wait_for(lambda: self._readers_busy == 0)
        # The next readers import while the write runs; they open the store after it.
        readers = [self._spawn(READ) for _ in range(self.size)]
        try:
            self._stop_readers()
            writer, self._spare_writer = self._spare_writer, self._spawn(WRITE)
            try:
                return writer.call(method, args, kwargs, self.timeout)
            except TimeoutError:
                raise QueryTimeoutError(
                    f"the update ran past the time limit of {self.timeout:g} s and was stopped; "
                    "nothing was written"
                ) from None
            except EOFError:
                raise QueryError(
                    "the update crashed the process running it; nothing was written"
                ) from None
            finally:
                writer.stop()
        finally:
            self._repair_union()
            self._start_readers(readers)
            with self._state:
                self._writing = False
                self._state.notify_all()

    def _repair_union(self) -> None:
        """Rebuild the union default graph if a write died half-way (no process holds the store)."""
        if not is_current(self.location):
            EmbeddedStore.open(self.location, self.allowed, beside_server=True).close()

    def close(self) -> None:
        """Stop every worker."""
        with self._state:
            self._state.wait_for(lambda: self._readers_busy == 0)
            self._stop_readers()
            self._spare_writer.stop()


class PooledStore(Store):
    """An on-disk embedded store served by a ``WorkerPool``; one server per directory."""

    def __init__(self, pool: WorkerPool, lock: IO[bytes]) -> None:
        self._pool = pool
        self._lock = lock
        self._version = 0
        self.location = pool.location

    @classmethod
    def open(
        cls, location: str, workers: int, timeout: float, allowed: frozenset[str] = frozenset()
    ) -> PooledStore:
        """Serve the store in ``location`` with ``workers`` reader processes (0: one per CPU).

        Raises:
            StoreError: there is no store there, or another server serves it.
        """
        if not (Path(location) / "CURRENT").is_file():
            raise StoreError(
                f"{location}: there is no store here; build one first with `govgraph build`"
            )
        lock = (Path(location) / SERVER_LOCK).open("wb")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise StoreError(
                f"{location}: another govgraph server is serving this store; stop it first"
            ) from None
        if not is_current(location):  # a store from an older govgraph: readers need it
            EmbeddedStore.open(location, allowed, beside_server=True).close()
        size = workers or os.cpu_count() or 1
        return cls(WorkerPool(location, size, timeout, allowed), lock)

    @property
    def version(self) -> int:
        return self._version

    def _write(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._pool.write(method, *args, **kwargs)
        finally:
            self._version += 1

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        self._write("replace_graphs", dict(graphs))

    def bulk_load(self, path: Path, graph: URIRef | None = None) -> int:
        return int(self._write("bulk_load", path, graph))

    def optimize(self) -> None:
        self._write("optimize")

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        self._write("drop_graphs", list(names))

    def update(
        self,
        update: str,
        using_graphs: Iterable[str] | None = None,
        using_named_graphs: Iterable[str] | None = None,
    ) -> None:
        using = None if using_graphs is None else list(using_graphs)
        named = None if using_named_graphs is None else list(using_named_graphs)
        # A malformed update is refused by a reader, without stopping the readers for a write.
        self._pool.read("check_update_syntax", update)
        self._write("update", update, using, named)

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Iterable[URIRef] | None = None,
    ) -> list[Row]:
        graphs = None if default_graphs is None else list(default_graphs)
        rows: list[Row] = self._pool.read("select", query, dict(bindings or {}), graphs)
        return rows

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(self._pool.read("ask", query, dict(bindings or {})))

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        graph: Graph = self._pool.read("construct", query, dict(bindings or {}))
        return graph

    def execute(self, request: QueryRequest) -> QueryAnswer:
        answer: QueryAnswer = self._pool.read("execute", request)
        return answer

    def graph_counts(self) -> list[GraphCount]:
        counts: list[GraphCount] = self._pool.read("graph_counts")
        return counts

    def graph_names(self) -> set[URIRef]:
        names: set[URIRef] = self._pool.read("graph_names")
        return names

    def export_graph(self, name: URIRef) -> Graph:
        graph: Graph = self._pool.read("export_graph", name)
        return graph

    def close(self) -> None:
        self._pool.close()
        self._lock.close()
