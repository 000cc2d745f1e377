"""The query UI at ``/`` and the catalogue page at ``/queries`` (being written)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("ui", __name__)


@blueprint.get("/")
def index() -> str:
    """The query UI."""
    return "govgraph"
