"""The ``govgraph`` command line: the only module that composes stages, prints or exits.

Exit codes: 0 success; 1 a data problem (unreadable source, SHACL violations); 2 a usage or
configuration error. Data goes to stdout; logs, progress and summaries go to stderr.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib import Dataset, Graph, Literal, URIRef

from govgraph import __version__
from govgraph.config import Settings, load_settings, resource_dir
from govgraph.errors import (
    ConfigError,
    GovgraphError,
    Location,
    QueryError,
    SourceError,
    StoreError,
    ValidationError,
)
from govgraph.ingest import load_announcement
from govgraph.ingest.records import read_raw_text
from govgraph.model.ids import mint_iri
from govgraph.model.mapping import LOADER_RUN, ReferenceIndex, to_graphs
from govgraph.model.namespaces import (
    CONCEPTS_GRAPH,
    DCTERMS,
    GG,
    ONTOLOGY_GRAPH,
    PROV,
    RDF,
    REFERENCE_GRAPH,
    SKOS,
    bind_prefixes,
)
from govgraph.model.ontology import load_ontology, load_schemes, load_shapes, parse_turtle_files
from govgraph.model.records import Announcement
from govgraph.store import MEMORY, Store, open_store
from govgraph.store.embedded import refuse_if_served
from govgraph.store.files import RDF_SUFFIXES, read_rdf_file
from govgraph.validate import Report, validate

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("govgraph")


@dataclass(frozen=True)
class Context:
    """What every command receives: the settings."""

    settings: Settings


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(command: F) -> F:
    """Turn govgraph's errors into a one-line message and the documented exit code."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            _fail(str(exc), 2)
        except QueryError as exc:
            _fail(str(exc), 2)
        except GovgraphError as exc:
            _fail(str(exc), 1)

    wrapper.__name__ = command.__name__
    wrapper.__doc__ = command.__doc__
    return wrapper  # type: ignore[return-value]


@contextmanager
def opened_store(settings: Settings) -> Iterator[Store]:
    """Open the configured store for the duration of a command."""
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="GOVGRAPH_STORE",
    help="Store to use: a directory for the embedded store (default var/store), ':memory:', "
    "or the query URL of a remote SPARQL 1.1 server.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="A govgraph.toml configuration file (default: ./govgraph.toml if present).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
@click.version_option(__version__, prog_name="govgraph")
@click.pass_context
def main(ctx: click.Context, store: str | None, config_path: str | None, verbose: bool) -> None:
    """govgraph: a knowledge graph of digital governance, built from announcements."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings(config_path, store=store)
    except ConfigError as exc:
        _fail(str(exc), 2)
    ctx.obj = Context(settings)


def reference_files(settings: Settings) -> list[Path]:
    """Return the curated and generated reference files under ``data/reference``."""
    return sorted((resource_dir(settings, "data") / "reference").glob("*.ttl"))


def validation_schema(settings: Settings) -> tuple[Graph, Graph]:
    """Return the shapes and the ontology graph (ontology plus schemes) used to validate."""
    return load_shapes(settings), load_ontology(settings) + load_schemes(settings)


def echo_report(report: Report, limit: int = 50) -> None:
    """Print validation results to stderr, one sorted line each, violations first."""
    shown = (report.violations + report.warnings)[:limit]
    for result in shown:
        click.echo(f"  {result}", err=True)
    hidden = len(report.results) - len(shown)
    if hidden > 0:
        click.echo(f"  ... and {hidden} more", err=True)


def dataset_of(graphs: dict[URIRef, Graph]) -> Dataset:
    """Return a Dataset holding each graph under its name."""
    dataset = Dataset()
    for name, graph in graphs.items():
        target = dataset.graph(name)
        target += graph
    return dataset


# Formats that cannot make rdflib fetch anything (no JSON-LD contexts, no XML entities).
LOCAL_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads"}


def parse_local_rdf(dataset: Dataset, path: Path) -> None:
    """Parse a Turtle, TriG, N-Triples or N-Quads file into ``dataset``.

    Raises:
        SourceError: the extension is not one of these formats, or the file does not parse.
    """
    rdf_format = LOCAL_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise SourceError(
            Location(str(path)),
            f"cannot validate a {path.suffix or 'extensionless'} file; "
            f"use one of {', '.join(sorted(LOCAL_FORMATS))}",
        )
    try:
        # Parse bytes read here: rdflib leaves the file open when its parser fails.
        dataset.parse(data=path.read_bytes(), format=rdf_format, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib's parsers raise many unrelated exception types
        raise SourceError(Location(str(path)), f"not valid {rdf_format}: {exc}") from exc


def _curie(graph: Graph, term: URIRef) -> str:
    return term.n3(graph.namespace_manager)


@main.command()
@click.option("--strict", is_flag=True, help="Stop at the first announcement that fails.")
@click.pass_obj
@handle_errors
def build(obj: Context, strict: bool) -> None:
    """Build the graph from data/: ontology, SKOS schemes, reference data and announcements.

    The reference data is validated first and nothing is written when it does not conform.
    Each announcement of data/announcements is then loaded like `govgraph load` does. Prints a
    summary: triples, graphs, entities per class, conformance. Exits 1 on any failure.
    """
    settings = obj.settings
    ontology, schemes = load_ontology(settings), load_schemes(settings)
    reference = parse_turtle_files(reference_files(settings))
    dataset = dataset_of({CONCEPTS_GRAPH: schemes, REFERENCE_GRAPH: reference})
    report = validate(dataset, load_shapes(settings), ontology + schemes)
    if not report.conforms:
        echo_report(report)
        _fail(f"reference data does not conform: {len(report.violations)} violation(s)", 1)
    announcements = resource_dir(settings, "data") / "announcements"
    with opened_store(settings) as store:
        store.replace_graphs(
            {ONTOLOGY_GRAPH: ontology, CONCEPTS_GRAPH: schemes, REFERENCE_GRAPH: reference}
        )
        failures = 0
        if announcements.is_dir():
            failures = load_files(settings, store, [announcements], strict=strict)
        store.optimize()
        echo_summary(store, report)
    if failures:
        sys.exit(1)


@dataclass
class LoadContext:
    """What loading announcements needs, built once per batch from the store."""

    reference: Graph
    index: ReferenceIndex
    shapes: Graph
    ontology: Graph
    gazetteer: Any = None

    def about(self, *graphs: Graph) -> Graph:
        """Return the reference triples about the entities these graphs mention.

        Validation needs the types and labels of referenced entities, not all reference data:
        passing only these keeps an announcement's validation independent of its size.
        """
        mentioned = {n for g in graphs for t in g for n in (t[0], t[2]) if isinstance(n, URIRef)}
        context = Graph()
        for node in mentioned:
            for triple in self.reference.triples((node, None, None)):
                context.add(triple)
        return context


def load_context(settings: Settings, store: Store) -> LoadContext:
    """Read the reference data and concept schemes from the store, and the shapes.

    Raises:
        StoreError: the store has no reference data yet.
    """
    reference = store.export_graph(REFERENCE_GRAPH) + store.export_graph(CONCEPTS_GRAPH)
    if len(reference) == 0:
        raise StoreError(
            f"{store.location}: no reference data; "
            "run `govgraph build` first"
        )
    return LoadContext(
        reference=reference,
        index=ReferenceIndex.from_graph(reference),
        shapes=load_shapes(settings),
        ontology=load_ontology(settings) + load_schemes(settings),
    )


RECORD_SUFFIXES = {".yaml", ".yml", ".json"} | RDF_SUFFIXES
TEXT_SUFFIXES = {".txt", ".html", ".htm"}


def iter_input_files(paths: list[Path], from_text: bool) -> Iterator[Path]:
    """Yield the record files (or raw texts) named by PATHS, walking folders in sorted order."""
    wanted = TEXT_SUFFIXES if from_text else RECORD_SUFFIXES
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.suffix.lower() in wanted and p.is_file()
            )
        else:
            yield path


def read_announcement(
    path: Path, context: LoadContext, from_text: bool, metadata: dict[str, str | None]
) -> Announcement:
    """Read one record file, or extract a draft record from a raw text."""
    if not from_text:
        return load_announcement(path)
    return extract_file(path, context, metadata)


def extract_file(path: Path, context: LoadContext, metadata: dict[str, str | None]) -> Announcement:
    """Extract a draft record from a raw text or HTML file (offline, deterministic)."""
    from govgraph.extract import extract_announcement
    from govgraph.model.gazetteer import Gazetteer

    if context.gazetteer is None:
        context.gazetteer = Gazetteer.from_graph(context.reference)
    raw = read_raw_text(path, Location(str(path)))[0]
    return extract_announcement(raw, path=str(path), gazetteer=context.gazetteer, **metadata)


def require_conformance(
    dataset: Dataset, written: list[Graph], context: LoadContext, where: str
) -> None:
    """Validate the nodes of the graphs about to be written, with the reference as context.

    Raises:
        ValidationError: they do not conform; the message lists the first violations.
    """
    focus = {n for graph in written for n in graph.subjects() if isinstance(n, URIRef)}
    report = validate(dataset, context.shapes, context.ontology, focus=focus)
    if not report.conforms:
        lines = "\n  ".join(str(v) for v in report.violations[:20])
        raise ValidationError(
            report, f"{where}: {len(report.violations)} SHACL violation(s):\n  {lines}"
        )


def load_one(store: Store, record: Announcement, context: LoadContext) -> int:
    """Map, validate and store one announcement; return the number of triples written.

    Raises:
        SourceError: the record cannot be mapped.
        ValidationError: its graphs do not conform; nothing is written.
    """
    assertions, provenance = to_graphs(record, context.index)
    graphs = {URIRef(str(g.identifier)): g for g in (assertions, provenance)}
    dataset = dataset_of({REFERENCE_GRAPH: context.about(assertions, provenance), **graphs})
    require_conformance(dataset, [assertions, provenance], context, record.path)
    store.replace_graphs(graphs)
    return len(assertions) + len(provenance)


def file_sha256(path: Path) -> str:
    """Return the sha256 of a file, read in chunks (imports can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_graph_names(sha256: str) -> tuple[URIRef, URIRef, URIRef]:
    """Return the data graph, provenance graph and document IRIs of an imported RDF file."""
    key = sha256[:16]
    graph = mint_iri("graph", "import", key)
    return graph, URIRef(f"{graph}/prov"), mint_iri("doc", "import", key)


def import_provenance(
    path: Path, sha256: str, graphs: set[URIRef], prov: URIRef, doc: URIRef
) -> Graph:
    """Describe an imported file and derive each of its graphs from it."""
    graph = Graph(identifier=prov)
    graph.add((doc, RDF.type, PROV.Entity))
    graph.add((doc, DCTERMS.title, Literal(path.name)))
    graph.add((doc, GG.sha256, Literal(sha256)))
    for name in graphs:
        graph.add((name, PROV.wasDerivedFrom, doc))
        graph.add((name, PROV.wasGeneratedBy, LOADER_RUN))
    graph.add((LOADER_RUN, RDF.type, PROV.Activity))
    return graph


def import_rdf(store: Store, path: Path, context: LoadContext, bulk: bool) -> int:
    """Store an RDF file with its provenance: validated and atomic, or bulk-loaded.

    A triple file goes into a graph of its own; a quad file keeps its graph names.
    """
    sha256 = file_sha256(path)
    data_graph, prov, doc = import_graph_names(sha256)
    if bulk:
        before = store.graph_names()
        loaded = store.bulk_load(path, data_graph)
        names = store.graph_names() - before or {data_graph}
        provenance = import_provenance(path, sha256, names, prov, doc)
        store.replace_graphs({prov: provenance})
        return loaded + len(provenance)
    dataset, names = read_rdf_file(path, data_graph)
    provenance = import_provenance(path, sha256, names, prov, doc)
    graphs = {name: dataset.graph(name) for name in names}
    check = dataset_of(
        {REFERENCE_GRAPH: context.about(*graphs.values()), prov: provenance, **graphs}
    )
    require_conformance(check, [*graphs.values(), provenance], context, str(path))
    store.replace_graphs({**graphs, prov: provenance})
    return sum(len(g) for g in graphs.values()) + len(provenance)


def load_files(
    settings: Settings,
    store: Store,
    paths: list[Path],
    strict: bool,
    from_text: bool = False,
    bulk: bool = False,
    metadata: dict[str, str | None] | None = None,
) -> int:
    """Load every announcement under PATHS; report each failure; return how many failed."""
    context = load_context(settings, store)
    files = list(iter_input_files(paths, from_text))
    failures, loaded, triples, bulk_loaded = 0, 0, 0, False
    with click.progressbar(files, label="loading", file=sys.stderr) as bar:
        for path in bar:
            try:
                if not from_text and path.suffix.lower() in RDF_SUFFIXES:
                    triples += import_rdf(store, path, context, bulk)
                    bulk_loaded = bulk_loaded or bulk
                else:
                    record = read_announcement(path, context, from_text, metadata or {})
                    triples += load_one(store, record, context)
                loaded += 1
            except (SourceError, ValidationError) as exc:
                failures += 1
                click.echo(f"\nerror: {exc}", err=True)
                if strict:
                    break
    if bulk_loaded:
        store.optimize()  # bulk-loaded files merged once per batch, not after each file
    click.echo(
        f"loaded {loaded} of {len(files)} file(s), {triples} triples; "
        f"{failures} failed",
        err=True,
    )
    return failures


def raw_text_path(path: Path, record: Announcement) -> str | None:
    """Point a record on stdout at its raw file when the offsets refer to that file's text."""
    raw = read_raw_text(path, Location(str(path)))[0]
    return str(path.resolve()) if raw == record.text else None


def metadata_options(command: F) -> F:
    """The crawl metadata a raw text does not carry: never guessed from the body."""
    for option in (
        click.option("--publisher", help="Reference key of the publisher, e.g. ma/mtnra."),
        click.option("--url", help="Canonical URL of the announcement."),
        click.option("--issued", help="Date of issue: YYYY-MM-DD, YYYY-MM or YYYY."),
        click.option("--source-id", help="The crawler's 16-hex id (default: from url/text)."),
    ):
        command = option(command)
    return command


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="A folder: write <id>.yaml and <id>.txt there (default: YAML to stdout).",
)
@metadata_options
@click.pass_obj
@handle_errors
def extract(
    obj: Context, files: tuple[Path, ...], out: Path | None, **metadata: str | None
) -> None:
    """Extract draft records from raw announcements (.txt or .html, ar/fr/en) for review.

    Every fact carries its evidence (code-point offsets into the text and the exact quote), the
    rule that found it and its kind. Page furniture is ignored; nothing is fetched. A text in
    which nothing is recognized gives a record without facts and a warning.
    """
    import yaml

    from govgraph.extract.draft import to_draft_dict

    failures = 0
    with opened_store(obj.settings) as store:
        context = load_context(obj.settings, store)
    for path in iter_input_files(list(files), from_text=True):
        try:
            record = extract_file(path, context, metadata)
        except SourceError as exc:
            failures += 1
            click.echo(f"error: {exc}", err=True)
            continue
        if not record.facts:
            click.echo(f"warning: {path}: no fact recognized; nothing to load", err=True)
        text_path = f"{record.id}.txt" if out else raw_text_path(path, record)
        draft = yaml.safe_dump(
            to_draft_dict(record, text_path=text_path), allow_unicode=True, sort_keys=False
        )
        if out is None:
            click.echo("---\n" + draft, nl=False)
            continue
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{record.id}.txt").write_text(record.text or "", encoding="utf-8")
        (out / f"{record.id}.yaml").write_text(draft, encoding="utf-8")
        click.echo(f"{path}: {len(record.facts)} fact(s) -> {out / record.id}.yaml", err=True)
    if failures:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from-text", is_flag=True, help="Paths are raw .txt/.html announcements.")
@click.option("--strict", is_flag=True, help="Stop at the first announcement that fails.")
@click.option(
    "--bulk",
    is_flag=True,
    help="Load RDF files with the store's bulk loader, without validation (large dumps).",
)
@metadata_options
@click.pass_obj
@handle_errors
def load(
    obj: Context,
    paths: tuple[Path, ...],
    from_text: bool,
    strict: bool,
    bulk: bool,
    **metadata: str | None,
) -> None:
    """Load announcement records or RDF files (files or folders, - for stdin) into the store.

    RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD) are stored with a
    provenance graph: a triple file in a graph of its own, a quad file in its own graphs.

    Each announcement is mapped to its assertion and provenance graphs, validated with the
    shapes and the reference data, and stored whole or not at all; loading it again replaces
    its graphs. A batch goes on past a failure, reports each one, and exits 1 (--strict stops
    at the first).
    """
    if from_text and not metadata.get("publisher"):
        raise ConfigError(
            "--from-text needs --publisher: the publisher of a raw announcement is never "
            "guessed from its text (e.g. --publisher ma/mtnra)"
        )
    resolved = list(paths)
    if resolved == [Path("-")]:
        resolved = [stdin_to_file()]
    for path in resolved:
        if not path.exists():
            raise SourceError(Location(str(path)), "no such file or folder")
    with opened_store(obj.settings) as store:
        failures = load_files(obj.settings, store, resolved, strict, from_text, bulk, metadata)
    if failures:
        sys.exit(1)


def stdin_to_file() -> Path:
    """Save a record read from stdin to a temporary file, so errors can name lines."""
    import tempfile

    handle = tempfile.NamedTemporaryFile("wb", suffix=".yaml", delete=False)
    with handle:
        handle.write(sys.stdin.buffer.read())
    return Path(handle.name)


def echo_summary(store: Store, report: Report) -> None:
    """Print what the store holds and whether it conforms."""
    counts = store.graph_counts()
    data_graphs = [entry.name for entry in counts if entry.name != ONTOLOGY_GRAPH]
    names = bind_prefixes(Graph())
    click.echo(f"store: {store.location}", err=True)
    click.echo(f"triples: {sum(e.triples for e in counts)} in {len(counts)} graphs", err=True)
    for entry in counts:
        click.echo(f"  {entry.triples:>8}  {_curie(names, entry.name)}", err=True)
    click.echo("entities per class:", err=True)
    class_counts = store.class_counts(data_graphs)
    for cls, number in sorted(class_counts.items(), key=lambda item: (-item[1], str(item[0]))):
        click.echo(f"  {number:>8}  {_curie(names, cls)}", err=True)
    verdict = "conforms" if report.conforms else "does NOT conform"
    click.echo(
        f"validation: {verdict} ({len(report.violations)} violations, "
        f"{len(report.warnings)} warnings)",
        err=True,
    )


@main.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--show-warnings/--hide-warnings", default=True, help="List warnings too.")
@click.pass_obj
@handle_errors
def validate_command(obj: Context, files: tuple[Path, ...], show_warnings: bool) -> None:
    """Validate RDF FILES (with the reference data) or, without FILES, the whole store.

    The store is validated as it was loaded: the reference data once, then each announcement
    (its graph and its /prov graph) with the reference data as context. Announcements that
    disagree are not violations. Exits 1 when there is any violation; warnings do not fail.
    """
    settings = obj.settings
    if files:
        shapes, ontology = validation_schema(settings)
        dataset = dataset_of(
            {
                REFERENCE_GRAPH: parse_turtle_files(reference_files(settings)),
                CONCEPTS_GRAPH: load_schemes(settings),
            }
        )
        for path in files:
            parse_local_rdf(dataset, path)
        report = validate(dataset, shapes, ontology)
    else:
        with opened_store(settings) as store:
            report = validate_store(settings, store)
    echo_report(report if show_warnings else Report(report.violations))
    click.echo(
        f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)", err=True
    )
    if not report.conforms:
        sys.exit(1)


def validation_units(names: set[URIRef]) -> list[list[URIRef]]:
    """Group the store's data graphs as they were loaded: a graph with its /prov graph."""
    fixed = {ONTOLOGY_GRAPH, CONCEPTS_GRAPH, REFERENCE_GRAPH}
    units = []
    for name in sorted(names - fixed, key=str):
        prov = URIRef(f"{name}/prov")
        if str(name).endswith("/prov") and URIRef(str(name).removesuffix("/prov")) in names:
            continue
        units.append([name, prov] if prov in names else [name])
    return units


def validate_store(settings: Settings, store: Store) -> Report:
    """Validate the reference data, then each announcement with it as context."""
    context = load_context(settings, store)
    results = list(validate(dataset_of({REFERENCE_GRAPH: context.reference}),
                            context.shapes, context.ontology).results)
    for unit in validation_units(store.graph_names()):
        graphs = {name: store.export_graph(name) for name in unit}
        dataset = dataset_of({REFERENCE_GRAPH: context.about(*graphs.values()), **graphs})
        focus = {n for g in graphs.values() for n in g.subjects() if isinstance(n, URIRef)}
        results.extend(validate(dataset, context.shapes, context.ontology, focus=focus).results)
    return Report(tuple(sorted(set(results))))


@main.command()
@click.pass_obj
@handle_errors
def stats(obj: Context) -> None:
    """Print the graphs of the store with their triple counts, and entities per class."""
    with opened_store(obj.settings) as store:
        counts = store.graph_counts()
        names = bind_prefixes(Graph())
        for entry in counts:
            click.echo(f"{entry.triples}\t{_curie(names, entry.name)}")
        data_graphs = [e.name for e in counts if e.name != ONTOLOGY_GRAPH]
        for cls, number in sorted(store.class_counts(data_graphs).items(), key=lambda i: -i[1]):
            click.echo(f"{number}\t{_curie(names, cls)}")


@main.command()
@click.argument("query_text", metavar="QUERY")
@click.pass_obj
@handle_errors
def query(obj: Context, query_text: str) -> None:
    """Run a SPARQL SELECT QUERY (text, a .rq file, or - for stdin) and print CSV rows."""
    if query_text == "-":
        query_text = sys.stdin.read()
    elif query_text.endswith(".rq") and Path(query_text).is_file():
        query_text = Path(query_text).read_text(encoding="utf-8")
    with opened_store(obj.settings) as store:
        rows = store.select(query_text)
    columns = sorted({name for row in rows for name in row})
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([str(row.get(name, "")) for name in columns])


@main.command()
@click.option("--triples", type=click.IntRange(min=100), required=True, help="Quads to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=click.File("w", encoding="utf-8", lazy=False),
    default="-",
    help="Output file (default stdout).",
)
@click.pass_obj
@handle_errors
def synth(obj: Context, triples: int, seed: int, out: Any) -> None:
    """Write a deterministic synthetic world of exactly N quads as N-Quads (for benchmarks).

    Instances live in their own namespace (https://w3id.org/govgraph/synth/id/); countries are
    the real ones of the reference data.
    """
    from govgraph.synth import iter_synthetic_quads, write_nquads

    countries_file = resource_dir(obj.settings, "data") / "reference" / "countries.ttl"
    countries = parse_turtle_files([countries_file])
    country_iris = sorted(
        {
            URIRef(str(s))
            for s in countries.subjects(SKOS.notation, None)
            if (s, RDF.type, None) in countries
        },
        key=str,
    )
    write_nquads(iter_synthetic_quads(triples, seed, country_iris), out)


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write countries.ttl (default data/reference/countries.ttl).",
)
@click.pass_obj
@handle_errors
def reference(obj: Context, out: Path | None) -> None:
    """Regenerate data/reference/countries.ttl from pycountry and the curated Wikidata table."""
    from govgraph.reference import build_country_graph, load_wikidata_table, write_country_turtle

    folder = resource_dir(obj.settings, "data") / "reference"
    graph = build_country_graph(load_wikidata_table(folder / "wikidata-countries.csv"))
    target = out or folder / "countries.ttl"
    with target.open("wb") as stream:
        write_country_turtle(graph, stream)
    click.echo(f"wrote {target} ({len(graph)} triples)", err=True)


def check_servable(settings: Settings) -> None:
    """Refuse, before any server starts, a store that cannot be served.

    Raises:
        ConfigError: the store is ``:memory:``, which no worker process can share.
        StoreError: the directory holds no store, or a server already serves it.
    """
    if settings.store == MEMORY:
        raise ConfigError(
            "serve needs a store directory or a remote endpoint, not ':memory:': queries run in "
            "worker processes that open the store themselves"
        )
    if not settings.store.startswith(("http://", "https://")):
        if not (Path(settings.store) / "CURRENT").is_file():
            raise StoreError(
                f"{settings.store}: there is no store here; build one first with `govgraph build`"
            )
        refuse_if_served(Path(settings.store))


def open_served_store(settings: Settings) -> Store:
    """Open the store a server answers from: a worker pool on a directory, or a remote store."""
    from govgraph.store.pool import PooledStore

    if settings.store.startswith(("http://", "https://")):
        return open_store(settings)
    return PooledStore.open(
        settings.store, settings.query_workers, settings.query_timeout, settings.allowed_services
    )


@main.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on (default 8000).")
@click.option("--workers", type=click.IntRange(min=0), help="Query processes (0: one per CPU).")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="Requests served at once.")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds a query may run.")
@click.pass_obj
@handle_errors
def serve(
    obj: Context,
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int,
    timeout: float | None,
) -> None:
    """Serve the SPARQL endpoint, Linked Data pages and query UI (gunicorn; Ctrl-C stops).

    Read-only unless a write token is configured (GOVGRAPH_WRITE_TOKEN).
    """
    from govgraph.endpoint import create_app
    from govgraph.endpoint.server import serve as run_server

    settings = obj.settings.with_overrides(
        host=host, port=port, query_workers=workers, query_timeout=timeout
    )
    check_servable(settings)
    opened: list[Store] = []

    def build_app() -> Any:
        store = open_served_store(settings)
        opened.append(store)
        return create_app(settings, store)

    def close_store() -> None:
        while opened:
            opened.pop().close()

    mode = "read-write (write token set)" if settings.write_token else "read-only"
    click.echo(
        f"govgraph: serving {settings.store} {mode} on http://{settings.host}:{settings.port}/",
        err=True,
    )
    run_server(
        build_app, settings.host, settings.port, threads, settings.query_timeout, close_store
    )
if __name__ == "__main__":
    main()
