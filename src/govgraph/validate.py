"""Validate RDF data against govgraph's SHACL shapes: the only module that imports pyshacl.

Layer: stage. Input: an rdflib Dataset (validated as the union of its graphs), the shapes graph
and the ontology graph (passed to pyshacl as ``ont_graph``, so subclass axioms count for
``sh:class`` and targets without polluting the data). Output: a Report value.
Imports: rdflib, pyshacl, govgraph.errors, govgraph.model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyshacl
from pyshacl.entrypoints import meta_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from govgraph.errors import ValidationError
from govgraph.model.namespaces import RDF, SH

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result."""

    severity: str
    shape: str
    focus: str
    path: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.shape}: {self.focus} {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    """The outcome of one validation: every result, sorted, and whether the data conforms.

    Data conforms when no result has severity Violation; warnings and infos are reported only.
    """

    results: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def violations(self) -> tuple[Violation, ...]:
        """Results of severity Violation."""
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """Results of severity Warning or Info."""
        return tuple(r for r in self.results if r.severity != "Violation")

    @property
    def conforms(self) -> bool:
        """True when there is no Violation."""
        return not self.violations

    def raise_for_violations(self) -> None:
        """Raise ValidationError when the data does not conform."""
        if not self.conforms:
            first = "; ".join(str(v) for v in self.violations[:3])
            more = len(self.violations) - 3
            tail = f"; and {more} more" if more > 0 else ""
            raise ValidationError(self, f"{len(self.violations)} SHACL violation(s): {first}{tail}")


def _text(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Node) and hasattr(node, "n3"):
        return node.n3(graph.namespace_manager)
    return str(node)


def _results(report_graph: Graph) -> tuple[Violation, ...]:
    results = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        def value_of(predicate: Node, result: Node = result) -> Node | None:
            return report_graph.value(result, predicate)

        severity = value_of(SH.resultSeverity)
        results.append(
            Violation(
                severity=SEVERITY_NAMES.get(URIRef(str(severity)), str(severity)),
                shape=_text(report_graph, value_of(SH.sourceShape)),
                focus=_text(report_graph, value_of(SH.focusNode)),
                path=_text(report_graph, value_of(SH.resultPath)),
                message=str(value_of(SH.resultMessage) or ""),
                value=_text(report_graph, value_of(SH.value)),
            )
        )
    return tuple(sorted(results))


def validate(
    data: Dataset | Graph,
    shapes: Graph,
    ontology: Graph | None = None,
    focus: Iterable[URIRef] | None = None,
) -> Report:
    """Validate ``data`` (the union of its graphs, for a Dataset) against ``shapes``.

    Args:
        data: the data to validate; it is not modified.
        shapes: the SHACL shapes graph.
        ontology: class and property axioms (and concept schemes) mixed into the data for the
            duration of validation; None for none.
        focus: validate only these nodes (the rest of ``data`` is context: the reference
            entities an announcement points to); None for every node.

    Returns:
        A Report with every result, sorted.
    """
    focus_nodes = None if focus is None else [str(node) for node in focus]
    if focus_nodes == []:
        return Report()
    _conforms, report_graph, _text_report = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        focus_nodes=focus_nodes,
    )
    report_graph.namespace_manager = shapes.namespace_manager
    return Report(_results(report_graph))


def check_shapes(shapes: Graph) -> Report:
    """Validate the shapes graph itself against SHACL-for-SHACL (pyshacl's meta-shapes)."""
    _conforms, report_graph, _text_report = meta_validate(shapes, inference="none")
    return Report(_results(report_graph))
