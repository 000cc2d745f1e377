"""The SHACL shapes in ontology/shapes/: each one fires on its invalid fixtures and only there.

Data-driven: tests/data/shapes/<ShapeLocalName>/{valid,invalid}-<case>.trig, each validated on top
of tests/data/shapes/context.trig as one rdflib Dataset (graphs kept), with all shapes and with
the ontology and the SKOS schemes as ``ont_graph``. A valid fixture gives no Violation at all and
no result from its folder's shape; an invalid one gives a result from its folder's shape on that
shape's sh:path (nothing for node-level constraints), with that shape's severity, and no Violation
from any other shape. Shapes, ontology and context are loaded once per module.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from govgraph.config import REPO_ROOT, Settings
from govgraph.model.namespaces import GGSH, ID, OA
from govgraph.model.ontology import load_ontology, load_schemes, load_shapes
from govgraph.validate import Report, Violation, check_shapes, validate

DATA = Path(__file__).parent / "data" / "shapes"
RAW_SEED = REPO_ROOT / "data" / "announcements" / "ma-mtnra" / "e8c76b1901d040da.txt"
CONTEXT = DATA / "context.trig"
SEED = DATA / "seed-example.trig"
FIXTURES = sorted(DATA.glob("*/*.trig"))
VALID = [path for path in FIXTURES if path.name.startswith("valid-")]
INVALID = [path for path in FIXTURES if path.name.startswith("invalid-")]

# rdflib 7.6's TriG parser builds a ConjunctiveGraph internally (rdflib/plugins/parsers/trig.py),
# which warns that ConjunctiveGraph is deprecated; not ours to fix, ignored in this module only.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

# Constrained shapes that have no fixture folder, with the reason. Keep it empty.
COVERAGE_EXCEPTIONS: dict[str, str] = {}

# Parameters of a node shape that are not constraints of its own.
NOT_CONSTRAINTS = {
    SH.property, SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf,
    SH.target, SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.group,
    SH.order, SH.declare, SH.prefixes,
}
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(Settings())


@pytest.fixture(scope="module")
def ontology() -> Graph:
    settings = Settings()
    return load_ontology(settings) + load_schemes(settings)


@pytest.fixture(scope="module")
def context() -> Dataset:
    dataset = Dataset()
    dataset.parse(CONTEXT, format="trig")
    return dataset


# Shapes, ontology and context handed to forked workers (set before the pool starts).
_SHARED: dict[str, Any] = {}
# The job that runs SHACL-for-SHACL on the shapes (about 10 s), next to the fixtures.
META = "shacl-for-shacl"


def _run(job: str) -> Report:
    """Check the shapes (job META) or validate one fixture's TriG text on top of the context."""
    if job == META:
        return check_shapes(_SHARED["shapes"])
    dataset = Dataset()
    for graph in _SHARED["context"].graphs():
        target = dataset.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    dataset.parse(data=job, format="trig")
    return validate(dataset, _SHARED["shapes"], _SHARED["ontology"])


@pytest.fixture(scope="module")
def reports(
    request: pytest.FixtureRequest, shapes: Graph, ontology: Graph, context: Dataset
) -> dict[Path | str, Report]:
    """Reports of the selected fixtures (by path) and of SHACL-for-SHACL (key META).

    Many valid fixtures hold the same data (the complete base node) under different names, so
    data is validated once per distinct text (the first line, a comment, aside). Some 370
    pyshacl runs of about 0.15 s each, plus 10 s of SHACL-for-SHACL, take a minute in one
    process, so on Linux they are spread over the CPUs with forked workers, which inherit the
    loaded graphs and the warning filters. Only what the selected tests need is computed.
    """
    items = [i for i in request.session.items if getattr(i, "module", None) is request.module]
    params = [getattr(getattr(item, "callspec", None), "params", {}) for item in items]
    selected = sorted({p["path"] for p in params if "path" in p})
    keys = {path: path.read_text(encoding="utf-8").split("\n", 1)[1] for path in selected}
    jobs = [META] if any(i.name == "test_shapes_pass_shacl_for_shacl" for i in items) else []
    jobs += sorted(set(keys.values()))
    _SHARED.update(shapes=shapes, ontology=ontology, context=context)
    workers = min(len(os.sched_getaffinity(0)), 4) if hasattr(os, "sched_getaffinity") else 1
    if workers > 1 and len(jobs) >= 20 and "fork" in multiprocessing.get_all_start_methods():
        gc.freeze()  # keep the inherited graphs out of the workers' garbage collection
        try:
            context_fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context_fork) as pool:
                done = dict(zip(jobs, pool.map(_run, jobs, chunksize=4), strict=True))
        finally:
            gc.unfreeze()
    else:
        done = {job: _run(job) for job in jobs}
    found: dict[Path | str, Report] = {path: done[keys[path]] for path in selected}
    if META in done:
        found[META] = done[META]
    return found


def shape_curie(path: Path) -> str:
    return f"ggsh:{path.parent.name}"


def expected_path(shapes: Graph, shape: URIRef) -> str | None:
    """The CURIE of the shape's sh:path; "" for a node shape; None for a complex path."""
    value = shapes.value(shape, SH.path)
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return value.n3(shapes.namespace_manager)
    return None


def path_matches(result: Violation, expected: str | None) -> bool:
    if expected is None:  # a complex path is reported as a blank node
        return result.path.startswith("_:")
    return result.path == expected


def listing(results: tuple[Violation, ...] | list[Violation]) -> str:
    return "\n".join(f"  {result}" for result in results) or "  (none)"


def test_context_conforms_without_results(shapes: Graph, ontology: Graph, context: Dataset) -> None:
    """Every fixture stands on the context, so the context alone must give no result at all."""
    report = validate(context, shapes, ontology)
    assert not report.results, listing(report.results)


@pytest.mark.parametrize("path", VALID, ids=fixture_id)
def test_valid_fixture(path: Path, reports: dict[Path | str, Report]) -> None:
    report = reports[path]
    shape = shape_curie(path)
    assert not report.violations, f"{path.name} should conform:\n{listing(report.violations)}"
    own = [result for result in report.results if result.shape == shape]
    assert not own, f"{path.name} should give no result from {shape}:\n{listing(own)}"


@pytest.mark.parametrize("path", INVALID, ids=fixture_id)
def test_invalid_fixture(path: Path, shapes: Graph, reports: dict[Path | str, Report]) -> None:
    report = reports[path]
    shape = shape_curie(path)
    node = GGSH[path.parent.name]
    expected = expected_path(shapes, node)
    severity = SEVERITIES[shapes.value(node, SH.severity) or SH.Violation]
    own = [r for r in report.results if r.shape == shape and path_matches(r, expected)]
    assert own, (
        f"{path.name} should give a result from {shape} on path {expected!r}; got:\n"
        f"{listing(report.results)}"
    )
    assert {r.severity for r in own} == {severity}, listing(own)
    others = [r for r in report.violations if r.shape != shape]
    assert not others, f"{path.name} should fire {shape} only:\n{listing(others)}"


def constrained_shapes(shapes: Graph) -> set[URIRef]:
    """Property shapes, and node shapes with constraints of their own (sh:pattern, sh:or, ...)."""
    found: set[URIRef] = set()
    for subject in set(shapes.subjects(SH.path, None)):
        if isinstance(subject, URIRef):
            found.add(subject)
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.property, None))
    for node in nodes:
        if isinstance(node, URIRef) and shapes.value(node, SH.path) is None:
            own = {p for p in shapes.predicates(node, None) if str(p).startswith(str(SH))}
            if own - NOT_CONSTRAINTS:
                found.add(node)
    for subject in set(shapes.subjects(SH.sparql, None)):
        if isinstance(subject, URIRef):
            found.add(subject)
    return {shape for shape in found if str(shape).startswith(str(GGSH))}


def test_every_shape_has_valid_and_invalid_fixtures(shapes: Graph) -> None:
    missing = []
    for shape in sorted(constrained_shapes(shapes)):
        name = shape[len(GGSH):]
        if name in COVERAGE_EXCEPTIONS:
            continue
        folder = DATA / name
        if not list(folder.glob("valid-*.trig")) or not list(folder.glob("invalid-*.trig")):
            missing.append(name)
    assert not missing, "shapes without a valid and an invalid fixture: " + ", ".join(missing)


def test_every_fixture_folder_names_a_shape(shapes: Graph) -> None:
    names = {shape[len(GGSH):] for shape in constrained_shapes(shapes)}
    folders = {path.parent.name for path in FIXTURES}
    assert folders <= names, "fixture folders naming no constrained shape: " + ", ".join(
        sorted(folders - names)
    )
    assert not set(COVERAGE_EXCEPTIONS) & folders, "an exception that has fixtures after all"


def test_property_shapes_are_named_and_explained(shapes: Graph) -> None:
    problems = []
    for subject in sorted(set(shapes.subjects(SH.path, None)), key=str):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(GGSH)):
            problems.append(f"{subject!r}: property shape without a ggsh: IRI")
            continue
        name = subject[len(GGSH):]
        parents = [p for p in shapes.subjects(SH.property, subject) if isinstance(p, URIRef)]
        if not any(name.startswith(p[len(GGSH):] + "-") for p in parents):
            problems.append(f"{name}: not named ggsh:<NodeShape>-<property>")
        for predicate in (SH.name, SH.message):
            if not isinstance(shapes.value(subject, predicate), Literal):
                problems.append(f"{name}: no {predicate.n3(shapes.namespace_manager)}")
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if not (isinstance(node, URIRef) and str(node).endswith("Shape")):
            problems.append(f"{node!r}: node shape not named ggsh:<Class>Shape")
        elif node in constrained_shapes(shapes) and shapes.value(node, SH.message) is None:
            problems.append(f"{node[len(GGSH):]}: node-level constraints without sh:message")
    assert not problems, "\n".join(problems)


def test_only_the_country_shape_constrains_iri_namespaces(shapes: Graph) -> None:
    """Synthetic data lives under https://w3id.org/govgraph/synth/id/ and must conform too."""
    offenders = {
        subject
        for subject, pattern in shapes.subject_objects(SH.pattern)
        if "govgraph" in str(pattern) and subject != GGSH.CountryShape
    }
    assert not offenders, offenders


def test_concept_lists_match_their_schemes(shapes: Graph) -> None:
    """vocab.ttl lists each scheme's concepts with sh:in; rdfs:seeAlso names the scheme."""
    schemes = load_schemes(Settings())
    checked = 0
    for shape, scheme in shapes.subject_objects(RDFS.seeAlso):
        if not str(scheme).startswith(str(ID["concept/"])):
            continue
        head = shapes.value(shape, SH["in"])
        assert head is not None, f"{shape}: rdfs:seeAlso a scheme but no sh:in list"
        listed = set(shapes.items(head))
        concepts = set(schemes.subjects(SKOS.inScheme, scheme))
        assert concepts, f"{scheme} has no concepts in ontology/schemes/"
        assert listed == concepts, (
            f"{shape}: sh:in differs from {scheme}; only in the shape: "
            f"{sorted(map(str, listed - concepts))}; only in the scheme: "
            f"{sorted(map(str, concepts - listed))}"
        )
        checked += 1
    assert checked >= 10


def test_shapes_pass_shacl_for_shacl(reports: dict[Path | str, Report]) -> None:
    """check_shapes(load_shapes(Settings())), computed by the reports fixture's workers."""
    report = reports[META]
    assert report.conforms, listing(report.violations)
    assert not report.results, listing(report.results)


def test_seed_example_conforms(shapes: Graph, ontology: Graph) -> None:
    """MODEL.md section 6 adapted to docs/decisions/0001-model.md; it stands alone."""
    dataset = Dataset()
    dataset.parse(SEED, format="trig")
    report = validate(dataset, shapes, ontology)
    assert not report.violations, listing(report.violations)
    names = shapes.namespace_manager
    sparql_shapes = {shape.n3(names) for shape in shapes.subjects(SH.sparql, None)}
    cross_checks = sorted(r for r in report.results if r.shape in sparql_shapes)
    assert not cross_checks, "n-ary nodes and shortcuts disagree:\n" + listing(cross_checks)


def test_seed_example_quotes_match_the_raw_text() -> None:
    """oa:exact is the slice [oa:start, oa:end) of the archived raw text (MODEL.md section 5)."""
    raw = RAW_SEED.read_text(encoding="utf-8")
    dataset = Dataset()
    dataset.parse(SEED, format="trig")
    union = Graph()
    for subject, predicate, obj, _graph in dataset.quads():
        union.add((subject, predicate, obj))
    spans = 0
    for evidence in set(union.subjects(OA.hasSelector, None)):
        values = {
            predicate: value
            for selector in union.objects(evidence, OA.hasSelector)
            for predicate, value in union.predicate_objects(selector)
        }
        start, end = int(values[OA.start]), int(values[OA.end])  # type: ignore[call-overload]
        assert raw[start:end] == str(values[OA.exact]), f"{evidence}: quote and offsets differ"
        spans += 1
    assert spans == 5


def test_blank_node_shapes_are_only_inline_value_shapes(shapes: Graph) -> None:
    """Blank shapes appear only inside sh:or and sh:qualifiedValueShape, never with sh:path."""
    for subject in set(shapes.subjects(None, None)):
        if isinstance(subject, BNode) and (subject, SH.path, None) in shapes:
            pytest.fail(f"blank property shape: {list(shapes.predicate_objects(subject))}")
