"""Linked Data pages for entity IRIs under ``/id/`` (being written)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("linked_data", __name__)
