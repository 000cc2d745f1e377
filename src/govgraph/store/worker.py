"""An evaluation process: opens the embedded store and answers calls sent over its pipes.

Layer: store. Run by ``pool.WorkerPool`` as ``python -m govgraph.store.worker LOCATION MODE``.

pyoxigraph cannot stop a running query and a deep query can crash the process evaluating it,
so queries run here, in a process the server can kill at the deadline and replace. A call is a
length-prefixed pickle ``(method, args, kwargs)`` of an ``EmbeddedStore`` method; the answer is
``("ok", value)`` or ``("error", kind, message)``. Pickle is safe here: both ends are govgraph.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import Any, BinaryIO

from govgraph.errors import GovgraphError
from govgraph.store.embedded import EmbeddedStore

HEADER = struct.Struct("!Q")
READ, WRITE = "read", "write"
OPEN, CLOSE = "open", "close"
CALLS = frozenset(
    {
        "select", "ask", "construct", "execute", "graph_counts", "graph_names", "export_graph",
        "class_counts", "check_update_syntax", "update", "replace_graphs", "drop_graphs",
        "bulk_load", "optimize",
    }
)  # fmt: skip
WRITES = frozenset({"update", "replace_graphs", "drop_graphs", "bulk_load", "optimize"})


def write_message(stream: BinaryIO, message: object) -> None:
    """Write one framed message and flush."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_message(stream: BinaryIO) -> Any:
    """Read one framed message; None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def answer(
    store: EmbeddedStore, mode: str, call: tuple[str, tuple[Any, ...], dict[str, Any]]
) -> tuple[object, ...]:
    """Run one call on the store and return the message to send back."""
    method, args, kwargs = call
    if method not in CALLS or (method in WRITES and mode != WRITE):
        return ("error", "QueryError", f"{method} cannot be called on a {mode} worker")
    try:
        return ("ok", getattr(store, method)(*args, **kwargs))
    except GovgraphError as exc:
        return ("error", type(exc).__name__, str(exc))


def serve(location: str, mode: str, allowed: frozenset[str]) -> None:
    """Wait for the word to open the store, say ready, and answer calls until stdin closes.

    The pool starts processes before it needs them (the imports take most of a start), so
    the store is opened only when the first message, ``OPEN``, arrives.
    """
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing printed by a library may corrupt the replies
    if read_message(requests) != OPEN:
        return
    try:
        if mode == WRITE:
            store = EmbeddedStore.open(location, allowed, beside_server=True)
        else:
            store = EmbeddedStore.open_read_only(location, allowed)
    except GovgraphError as exc:
        write_message(replies, ("error", type(exc).__name__, str(exc)))
        return
    write_message(replies, ("ok", "ready"))
    try:
        while (call := read_message(requests)) not in (None, CLOSE):
            write_message(replies, answer(store, mode, call))
    finally:
        store.close()
    if call == CLOSE:
        write_message(replies, ("ok", "closed"))
        os._exit(0)  # the store is closed; the interpreter's teardown would only cost time


if __name__ == "__main__":
    location, mode, *services = sys.argv[1:]
    serve(location, mode, frozenset(services))
