"""Every exception govgraph raises, and the Location that input-data errors carry.

Layer: first. Imports nothing from govgraph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in the input a problem sits: a file, and optionally a line, record or field.

    >>> str(Location("data/a.yaml", line=12, field="issued"))
    'data/a.yaml: line 12: field "issued"'
    >>> str(Location("data/a.yaml", record="e8c76b19"))
    'data/a.yaml: record e8c76b19'
    """

    path: str
    line: int | None = None
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.field is not None:
            parts.append(f'field "{self.field}"')
        return ": ".join(parts)


def cut(value: object, limit: int = 80) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for error messages.

    >>> cut("x" * 100, 10)
    "'xxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class GovgraphError(Exception):
    """Root of every error govgraph raises on purpose."""


class ConfigError(GovgraphError):
    """A setting, configuration file or resource path is wrong."""


class OntologyError(GovgraphError):
    """The ontology, a SKOS scheme or a shapes file cannot be read."""


class SourceError(GovgraphError):
    """A source file or record cannot be read or mapped; carries its Location."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        super().__init__(f"{location}: {message}")


class ExtractError(SourceError):
    """Raw text cannot be turned into a record."""


class ValidationError(GovgraphError):
    """Data does not conform to the shapes; carries the validation Report."""

    def __init__(self, report: object, message: str = "data does not conform") -> None:
        self.report = report
        super().__init__(message)


class StoreError(GovgraphError):
    """The store cannot be opened, read or written."""


class QueryError(GovgraphError):
    """A SPARQL query is malformed, refused, or its parameters are wrong."""


class QueryRefusedError(QueryError):
    """A well-formed query or update asks for what govgraph does not do (SERVICE, LOAD)."""


class UpdateFailedError(StoreError):
    """A well-formed update could not be applied (say, DROP of a graph that does not exist)."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""


class RequestError(GovgraphError):
    """An HTTP request cannot be served as sent; carries the status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)
