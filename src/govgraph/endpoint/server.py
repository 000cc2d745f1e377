"""Run the application under gunicorn: one process of threads, queries in worker processes.

Layer: endpoint. One gunicorn worker holds the store (a ``PooledStore`` evaluates queries in
processes of its own, so more gunicorn workers would only multiply them); its threads wait on
those processes, so the thread count bounds concurrent requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """gunicorn, configured in code, loading the app in its worker (after the fork)."""

    def __init__(self, build_app: Callable[[], Flask], options: dict[str, Any]) -> None:
        self._build_app = build_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._build_app()


def serve(
    build_app: Callable[[], Flask],
    host: str,
    port: int,
    threads: int,
    timeout: float,
    on_exit: Callable[[], None] | None = None,
) -> None:
    """Serve the app built by ``build_app`` on ``host:port`` until interrupted."""
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": threads,
        # gunicorn restarts a worker silent for this long: leave room for the longest query.
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "govgraph",
    }
    if on_exit is not None:
        options["worker_exit"] = lambda server, worker: on_exit()
    logging.getLogger("govgraph.access").setLevel(logging.INFO)
    GunicornServer(build_app, options).run()
