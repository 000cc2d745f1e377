"""Checks of the ontology files: ``ontology/govgraph.ttl``, ``ontology/reused.ttl`` and the
SKOS schemes in ``ontology/schemes/``.

Each structural check is a helper that takes a graph and returns the list of
problems (an empty list means the check passed). The real files are run through the
helpers, and each helper is also fed a small broken inline Turtle graph to prove that it
catches what it claims to catch.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from govgraph.model.namespaces import CV, GG, ID, OA, ONTOLOGY_IRI, PERSON, PREFIXES, SCHEMA, WD

REPO = Path(__file__).parents[1]
ONTOLOGY_DIR = REPO / "ontology"
SCHEMES_DIR = ONTOLOGY_DIR / "schemes"
DECISION_RECORD = REPO / "docs" / "decisions" / "0001-model.md"

LANGS = ("ar", "fr", "en")
SCHEME_NAMES = (
    "agreement-type",
    "assertion-kind",
    "audience",
    "component",
    "election-outcome",
    "electoral-group",
    "genre",
    "initiative-type",
    "org-type",
    "role",
    "topic",
)
TERM_TYPES = frozenset({OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty})
REUSED_TYPES = frozenset({OWL.Class, RDF.Property, RDFS.Datatype, RDFS.Class})
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Vocabularies whose term lists rdflib ships, by namespace IRI. schema.org's list is rdflib's
# SDO, whose namespace is https: govgraph's schema.org terms (http) are looked up in it by
# local name only; no https IRI is ever written.
RDFLIB_VOCABULARIES: dict[str, type[DefinedNamespace]] = {
    str(vocabulary): vocabulary
    for vocabulary in (DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD)
}
RDFLIB_VOCABULARIES[str(SCHEMA)] = SDO
# Reused vocabularies rdflib has no term list for: their terms are checked by review only.
UNLISTED_VOCABULARIES = frozenset({str(CV), str(PERSON), str(OA)})

# The Wikidata properties MODEL.md names for alignment; skos:closeMatch may point to no other.
WIKIDATA_PROPERTIES = frozenset(
    WD[p] for p in ("P463", "P39", "P2715", "P726", "P1111", "P991", "P1352", "P541")
)

TURTLE_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


# --------------------------------------------------------------------------- helpers


def curie(term: object) -> str:
    """Return ``term`` in prefixed form where a govgraph prefix matches, for messages.

    >>> curie(GG.Election)
    'gg:Election'
    >>> curie(Literal("x"))
    "'x'"
    """
    if isinstance(term, URIRef):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(str(namespace)) :]}"
        return f"<{term}>"
    return repr(str(term))


def split_term(term: URIRef) -> tuple[str, str]:
    """Split a term IRI into its namespace and local name.

    >>> split_term(URIRef("http://www.w3.org/ns/org#memberOf"))
    ('http://www.w3.org/ns/org#', 'memberOf')
    >>> split_term(URIRef("http://schema.org/Event"))
    ('http://schema.org/', 'Event')
    """
    text = str(term)
    cut = max(text.rfind("#"), text.rfind("/")) + 1
    return text[:cut], text[cut:]


def parse_turtle(source: str | Path) -> Graph:
    """Parse a Turtle file, or inline Turtle text (govgraph's prefixes are prepended)."""
    graph = Graph()
    if isinstance(source, Path):
        graph.parse(source, format="turtle")
    else:
        graph.parse(data=TURTLE_PREFIXES + source, format="turtle")
    return graph


def is_defined_term(vocabulary: type[DefinedNamespace], name: str) -> bool:
    """Tell whether rdflib's term list for ``vocabulary`` defines ``name``.

    Closed namespaces (ORG, SKOS, PROV, ...) raise AttributeError on an undefined term;
    open ones (TIME, DCAT, XSD, SDO) only warn, so warnings are turned into errors here.
    rdflib caches term lookups, and a cached miss no longer warns, so the term list is
    also consulted directly (``in``).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            getattr(vocabulary, name)
        except (AttributeError, UserWarning):
            return False
    return name in vocabulary


def show(value: object) -> str:
    """Show a literal with its language tag, for messages.

    >>> show(Literal("Roles", lang="en"))
    "'Roles'@en"
    """
    if isinstance(value, Literal) and value.language:
        return f"'{value}'@{value.language}"
    return curie(value)


def language_problems(
    graph: Graph, subject: Node, predicate: URIRef, *, exactly_one: bool, only_langs: bool
) -> list[str]:
    """Check that ``subject`` has ``predicate`` literals in each of ar/fr/en."""
    problems = []
    values = list(graph.objects(subject, predicate))
    for lang in LANGS:
        count = sum(1 for v in values if isinstance(v, Literal) and v.language == lang)
        if count == 0 or (exactly_one and count > 1):
            expected = "exactly one" if exactly_one else "at least one"
            problems.append(
                f"{curie(subject)}: expected {expected} {curie(predicate)}@{lang}, found {count}"
            )
    if only_langs:
        for value in values:
            if not isinstance(value, Literal) or value.language not in LANGS:
                problems.append(
                    f"{curie(subject)}: {curie(predicate)} {show(value)} is not tagged ar, fr or en"
                )
    return problems


def declared_terms(graph: Graph) -> set[URIRef]:
    """Return the gg: terms ``graph`` declares (typed as an OWL class or property)."""
    return {
        s
        for s, o in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and str(s).startswith(GG) and o in TERM_TYPES
    }


def minted_term_problems(graph: Graph) -> list[str]:
    """Check every gg: subject of an ontology graph: type, labels, definitions, isDefinedBy."""
    problems = []
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(GG)}
    for term in sorted(subjects):
        types = set(graph.objects(term, RDF.type)) & TERM_TYPES
        if len(types) != 1:
            problems.append(
                f"{curie(term)}: expected one of owl:Class, owl:ObjectProperty, "
                f"owl:DatatypeProperty, found {sorted(curie(t) for t in types)}"
            )
        problems += language_problems(graph, term, RDFS.label, exactly_one=True, only_langs=True)
        problems += language_problems(
            graph, term, SKOS.definition, exactly_one=False, only_langs=True
        )
        defined_by = set(graph.objects(term, RDFS.isDefinedBy))
        if defined_by != {ONTOLOGY_IRI}:
            problems.append(
                f"{curie(term)}: rdfs:isDefinedBy is {sorted(map(str, defined_by))}, "
                f"expected {ONTOLOGY_IRI}"
            )
        if OWL.Class in types and (term, RDFS.subPropertyOf, None) in graph:
            problems.append(f"{curie(term)}: a class with rdfs:subPropertyOf")
        if (
            types & {OWL.ObjectProperty, OWL.DatatypeProperty}
            and (term, RDFS.subClassOf, None) in graph
        ):
            problems.append(f"{curie(term)}: a property with rdfs:subClassOf")
    return problems


def domain_range_problems(graph: Graph) -> list[str]:
    """gg: terms must carry no rdfs:domain or rdfs:range (ranges live in SHACL)."""
    return sorted(
        f"{curie(s)}: has {curie(p)} {curie(o)}; ranges belong in the SHACL shapes"
        for p in (RDFS.domain, RDFS.range)
        for s, o in graph.subject_objects(p)
        if str(s).startswith(GG)
    )


def import_problems(graph: Graph) -> list[str]:
    """The ontology files must not import anything (owl:imports)."""
    return sorted(
        f"{curie(s)}: owl:imports {curie(o)}" for s, o in graph.subject_objects(OWL.imports)
    )


def ontology_header_problems(graph: Graph) -> list[str]:
    """The owl:Ontology resource: titles, descriptions, version, licence."""
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in graph:
        return [f"{ONTOLOGY_IRI} is not an owl:Ontology"]
    problems = language_problems(
        graph, ONTOLOGY_IRI, DCTERMS.title, exactly_one=True, only_langs=True
    )
    problems += language_problems(
        graph, ONTOLOGY_IRI, DCTERMS.description, exactly_one=True, only_langs=True
    )
    if list(graph.objects(ONTOLOGY_IRI, OWL.versionInfo)) != [Literal("0.1.0")]:
        problems.append("owl:versionInfo is not exactly '0.1.0'")
    if not isinstance(graph.value(ONTOLOGY_IRI, DCTERMS.license), URIRef):
        problems.append("no dcterms:license IRI")
    return problems


def mapping_problems(graph: Graph) -> list[str]:
    """skos:closeMatch to Wikidata only to the properties MODEL.md names; exactMatch to items."""
    problems = []
    for s, o in graph.subject_objects(SKOS.closeMatch):
        if str(o).startswith(WD) and o not in WIKIDATA_PROPERTIES:
            problems.append(
                f"{curie(s)}: skos:closeMatch {curie(o)} is not a property MODEL.md names"
            )
    for s, o in graph.subject_objects(SKOS.exactMatch):
        if not (str(o).startswith(WD) and re.fullmatch(r"Q[1-9][0-9]*", str(o)[len(WD) :])):
            problems.append(f"{curie(s)}: skos:exactMatch {curie(o)} is not a Wikidata item")
    return sorted(problems)


def undeclared_gg_terms(graph: Graph, declared: AbstractSet[Node]) -> list[str]:
    """gg: IRIs used anywhere in ``graph`` that govgraph.ttl does not declare."""
    used = {
        t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(GG)
    }
    return sorted(curie(t) for t in used - declared)


def vocabulary_terms_used(graph: Graph) -> set[Node]:
    """The terms a graph uses as vocabulary: predicates and the objects of rdf:type,
    rdfs:subClassOf and rdfs:subPropertyOf (mapping targets such as Wikidata are not)."""
    used: set[Node] = {p for p in graph.predicates() if isinstance(p, URIRef)}
    for p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf):
        used |= {o for o in graph.objects(None, p) if isinstance(o, URIRef)}
    return used


def unknown_terms(graph: Graph, known: AbstractSet[Node]) -> list[str]:
    """Vocabulary terms ``graph`` uses that are neither minted nor listed in reused.ttl."""
    return sorted(curie(t) for t in vocabulary_terms_used(graph) - known)


def reused_term_problems(graph: Graph) -> list[str]:
    """Check reused.ttl: each term typed, labelled ar/fr/en, isDefinedBy its namespace, and
    defined by rdflib's own term list where rdflib ships one."""
    problems = []
    for term in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
        namespace, name = split_term(term)
        if namespace in (str(GG), str(ID)) or str(term).startswith(ID):
            problems.append(f"{curie(term)}: govgraph's own terms are declared in govgraph.ttl")
            continue
        types = set(graph.objects(term, RDF.type))
        if len(types) != 1 or not types <= REUSED_TYPES:
            problems.append(
                f"{curie(term)}: expected one type of {sorted(map(curie, REUSED_TYPES))}"
            )
        problems += language_problems(graph, term, RDFS.label, exactly_one=True, only_langs=True)
        defined_by = list(graph.objects(term, RDFS.isDefinedBy))
        if defined_by != [URIRef(namespace)]:
            problems.append(
                f"{curie(term)}: rdfs:isDefinedBy {[str(d) for d in defined_by]}, "
                f"expected [{namespace}]"
            )
        if namespace in RDFLIB_VOCABULARIES:
            if not is_defined_term(RDFLIB_VOCABULARIES[namespace], name):
                problems.append(f"{curie(term)}: not a term of {namespace} (rdflib's term list)")
        elif namespace not in UNLISTED_VOCABULARIES:
            problems.append(f"{curie(term)}: namespace {namespace} is not a reused vocabulary")
    for s in graph.subjects():
        if not isinstance(s, URIRef):
            problems.append(f"blank node subject {s!r}")
    return problems


def scheme_problems(graph: Graph, scheme: URIRef) -> list[str]:
    """SKOS integrity of one concept scheme file."""
    problems = []
    if (scheme, RDF.type, SKOS.ConceptScheme) not in graph:
        problems.append(f"{curie(scheme)}: not a skos:ConceptScheme")
    problems += language_problems(graph, scheme, SKOS.prefLabel, exactly_one=True, only_langs=True)
    tops = set(graph.objects(scheme, SKOS.hasTopConcept))
    if not tops:
        problems.append(f"{curie(scheme)}: has no skos:hasTopConcept")

    concepts = (
        set(graph.subjects(RDF.type, SKOS.Concept))
        | set(graph.subjects(SKOS.inScheme, None))
        | set(graph.subjects(SKOS.topConceptOf, None))
        | tops
    )
    for subject in set(graph.subjects()) - concepts - {scheme}:
        problems.append(f"{curie(subject)}: neither the scheme nor one of its concepts")

    notations: dict[str, list[Node]] = defaultdict(list)
    pref_labels: dict[Node, list[Node]] = defaultdict(list)
    for concept in sorted(concepts, key=str):
        name = curie(concept)
        key = str(concept)[len(str(scheme)) + 1 :]
        if not str(concept).startswith(f"{scheme}/") or not SLUG.match(key):
            problems.append(f"{name}: IRI is not {scheme}/<lowercase ascii slug>")
        if (concept, RDF.type, SKOS.Concept) not in graph:
            problems.append(f"{name}: not a skos:Concept")
        in_schemes = set(graph.objects(concept, SKOS.inScheme))
        if in_schemes != {scheme}:
            problems.append(
                f"{name}: skos:inScheme {sorted(map(curie, in_schemes))}, expected its scheme"
            )
        problems += language_problems(
            graph, concept, SKOS.prefLabel, exactly_one=True, only_langs=True
        )
        for label in graph.objects(concept, SKOS.prefLabel):
            pref_labels[label].append(concept)
            if (concept, SKOS.altLabel, label) in graph:
                problems.append(f"{name}: {show(label)} is both prefLabel and altLabel")
        if not any(
            isinstance(d, Literal) and d.language == "en"
            for d in graph.objects(concept, SKOS.definition)
        ):
            problems.append(f"{name}: no skos:definition@en")
        concept_notations = [str(n) for n in graph.objects(concept, SKOS.notation)]
        if concept_notations != [key]:
            problems.append(f"{name}: skos:notation {concept_notations}, expected ['{key}']")
        for notation in concept_notations:
            notations[notation].append(concept)

        top_of = set(graph.objects(concept, SKOS.topConceptOf))
        broader = set(graph.objects(concept, SKOS.broader))
        if top_of - {scheme}:
            problems.append(f"{name}: skos:topConceptOf another scheme")
        if (scheme in top_of) != (concept in tops):
            problems.append(f"{name}: skos:topConceptOf and skos:hasTopConcept disagree")
        if scheme in top_of and broader:
            problems.append(
                f"{name}: a top concept of its scheme with skos:broader "
                f"{sorted(map(curie, broader))} in the same scheme"
            )
        if scheme not in top_of and not broader:
            problems.append(f"{name}: neither a top concept nor narrower than another concept")
        for parent in sorted(broader - concepts, key=str):
            problems.append(f"{name}: skos:broader {curie(parent)} is not a concept of this scheme")

    for concept in sorted(concepts, key=str):
        ancestors: set[Node] = set()
        todo = list(graph.objects(concept, SKOS.broader))
        while todo:
            parent = todo.pop()
            if parent not in ancestors:
                ancestors.add(parent)
                todo += graph.objects(parent, SKOS.broader)
        if concept in ancestors:
            problems.append(f"{curie(concept)}: skos:broader cycle")
    for notation, owners in sorted(notations.items()):
        if len(owners) > 1:
            problems.append(f"notation '{notation}' used by {sorted(map(curie, owners))}")
    for label, owners in sorted(pref_labels.items(), key=lambda kv: show(kv[0])):
        if len(owners) > 1:
            problems.append(f"prefLabel {show(label)} shared by {sorted(map(curie, owners))}")
    return problems


def decision_record_terms(text: str) -> set[URIRef]:
    """The prefixed terms (`prefix:name` in backticks) a decision record names.

    >>> sorted(curie(t) for t in decision_record_terms("`gg:Election`, `org:memberOf`, `gg:`"))
    ['gg:Election', 'org:memberOf']
    """
    return {
        URIRef(str(PREFIXES[prefix]) + name)
        for prefix, name in re.findall(r"`([a-z]+):([A-Za-z][A-Za-z0-9]*)`", text)
        if prefix in PREFIXES
    }


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ONTOLOGY_DIR / "govgraph.ttl")


@pytest.fixture(scope="module")
def reused() -> Graph:
    return parse_turtle(ONTOLOGY_DIR / "reused.ttl")


@pytest.fixture(scope="module")
def schemes() -> dict[str, Graph]:
    return {name: parse_turtle(SCHEMES_DIR / f"{name}.ttl") for name in SCHEME_NAMES}


def all_files() -> list[Path]:
    return [ONTOLOGY_DIR / "govgraph.ttl", ONTOLOGY_DIR / "reused.ttl"] + sorted(
        SCHEMES_DIR.glob("*.ttl")
    )


def merged(graphs: Iterable[Graph]) -> Graph:
    union = Graph()
    for graph in graphs:
        union += graph
    return union


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.name)
def test_file_parses(path: Path) -> None:
    assert len(parse_turtle(path)) > 0


@pytest.mark.parametrize(
    "turtle",
    [
        pytest.param("nope:Thing a owl:Class .", id="undeclared-prefix"),
        pytest.param("gg:Thing a owl:Class owl:Thing .", id="missing-separator"),
    ],
)
def test_parse_rejects_broken_turtle(turtle: str) -> None:
    with pytest.raises(BadSyntax):
        parse_turtle(turtle)


def test_scheme_files_are_exactly_the_decided_schemes() -> None:
    assert sorted(p.stem for p in SCHEMES_DIR.glob("*.ttl")) == sorted(SCHEME_NAMES)


# --------------------------------------------------------------------------- govgraph.ttl


def test_ontology_header(ontology: Graph) -> None:
    assert ontology_header_problems(ontology) == []


def test_minted_terms_are_labelled_defined_and_typed(ontology: Graph) -> None:
    assert minted_term_problems(ontology) == []


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.name)
def test_no_domain_or_range_on_minted_terms(path: Path) -> None:
    assert domain_range_problems(parse_turtle(path)) == []


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.name)
def test_no_imports(path: Path) -> None:
    assert import_problems(parse_turtle(path)) == []


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.name)
def test_alignments_use_only_named_identifiers(path: Path) -> None:
    assert mapping_problems(parse_turtle(path)) == []


def test_ontology_declares_exactly_the_decided_terms(ontology: Graph) -> None:
    decided = {t for t in decision_record_terms(DECISION_RECORD.read_text("utf-8")) if t in GG}
    declared = declared_terms(ontology)
    assert sorted(map(curie, decided - declared)) == [], "decided in 0001-model.md, not declared"
    assert sorted(map(curie, declared - decided)) == [], "declared, not in 0001-model.md"


def test_hierarchy_is_the_decided_one(ontology: Graph) -> None:
    expected = {
        (GG.Country, RDFS.subClassOf, SCHEMA.Country),
        (GG.Country, RDFS.subClassOf, ORG.FormalOrganization),
        (GG.Election, RDFS.subClassOf, SCHEMA.Event),
        (GG.AssemblySession, RDFS.subClassOf, SCHEMA.Event),
        (GG.AssemblySession, RDFS.subClassOf, CV.PublicEvent),
        (GG.Speech, RDFS.subClassOf, SCHEMA.CreativeWork),
        (GG.Initiative, RDFS.subClassOf, SCHEMA.Project),
        (GG.PolicyFramework, RDFS.subClassOf, SCHEMA.CreativeWork),
        (GG.Platform, RDFS.subClassOf, SCHEMA.Product),
        (GG.Agreement, RDFS.subClassOf, SCHEMA.CreativeWork),
        (GG.Index, RDFS.subClassOf, SCHEMA.CreativeWork),
        (GG.RankChange, RDFS.subClassOf, GG.Ranking),
        (GG.Announcement, RDFS.subClassOf, SCHEMA.NewsArticle),
        (GG.Announcement, RDFS.subClassOf, PROV.Entity),
        (GG.hasCore, RDFS.subPropertyOf, SCHEMA.hasPart),
    }
    actual = set(ontology.triples((None, RDFS.subClassOf, None))) | set(
        ontology.triples((None, RDFS.subPropertyOf, None))
    )
    assert actual == expected


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.name)
def test_every_gg_term_used_is_declared(path: Path, ontology: Graph) -> None:
    assert undeclared_gg_terms(parse_turtle(path), declared_terms(ontology)) == []


# --------------------------------------------------------------------------- reused.ttl


def test_reused_terms_are_labelled_and_exist(reused: Graph) -> None:
    assert reused_term_problems(reused) == []


def test_reused_lists_every_reused_term_of_the_decision_record(reused: Graph) -> None:
    decided = {t for t in decision_record_terms(DECISION_RECORD.read_text("utf-8")) if t not in GG}
    listed = set(reused.subjects(RDFS.isDefinedBy, None))
    assert sorted(map(curie, decided - listed)) == []


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.name)
def test_every_term_used_is_minted_or_reused(path: Path, ontology: Graph, reused: Graph) -> None:
    known = declared_terms(ontology) | set(reused.subjects(RDFS.isDefinedBy, None))
    assert unknown_terms(parse_turtle(path), known) == []


@pytest.mark.parametrize(
    ("vocabulary", "name", "defined"),
    [
        (ORG, "memberOf", True),
        (ORG, "memberof", False),  # closed namespace: AttributeError
        (SKOS, "prefLabel", True),
        (SKOS, "prefLable", False),
        (PROV, "wasDerivedFrom", True),
        (PROV, "wasDerivedBy", False),
        (TIME, "inXSDgYear", True),
        (TIME, "inXSDGYear", False),  # open namespace: a warning, not an error, in rdflib
        (DCTERMS, "isReplacedBy", True),
        (DCTERMS, "replacedBy", False),
        (XSD, "gYear", True),
        (XSD, "gyear", False),
        (SDO, "superEvent", True),
        (SDO, "superevent", False),
    ],
)
def test_is_defined_term(vocabulary: type[DefinedNamespace], name: str, defined: bool) -> None:
    assert is_defined_term(vocabulary, name) is defined
    assert is_defined_term(vocabulary, name) is defined  # again: rdflib caches lookups


# --------------------------------------------------------------------------- schemes


@pytest.mark.parametrize("name", SCHEME_NAMES)
def test_scheme_integrity(name: str, schemes: dict[str, Graph]) -> None:
    assert scheme_problems(schemes[name], ID[f"concept/{name}"]) == []


def test_no_concept_in_two_scheme_files(schemes: dict[str, Graph]) -> None:
    owners: dict[Node, list[str]] = defaultdict(list)
    for name, graph in schemes.items():
        for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
            owners[concept].append(name)
    assert {curie(c): files for c, files in owners.items() if len(files) > 1} == {}


REQUIRED_CONCEPTS = {
    "role": "member-state founding-member associate-member president chair member "
    "country-representative head-of-delegation signatory minister minister-delegate "
    "secretary-general director-general head-of-government ambassador guest",
    "org-type": "intergovernmental-organization un-programme-or-agency un-specialized-agency "
    "national-government ministry regulator public-agency research-organization company "
    "foundation international-union organ",
    "election-outcome": "elected re-elected not-elected",
    "initiative-type": "centre hub network programme platform vision campaign declaration",
    "agreement-type": "memorandum-of-understanding declaration-of-intent framework-agreement "
    "founding-charter accession statement-of-intent declaration",
    "topic": "artificial-intelligence ai-governance digital-governance digital-economy "
    "digital-transformation data-science digital-skills digital-sovereignty smart-cities "
    "resource-management digital-public-services e-government digital-identity "
    "cross-border-data-flows online-misinformation cybersecurity sustainable-development "
    "innovation entrepreneurship digital-inclusion offshoring legal-and-regulatory-framework "
    "digital-trust digital-divide",
    "assertion-kind": "explicit inferred claim metadata",
    "electoral-group": "itu-region-a itu-region-b itu-region-c itu-region-d itu-region-e",
    "genre": "news press-release communique article",
    "component": "data-platform advanced-computing shared-tools",
    "audience": "researchers start-ups large-enterprises public-administrations citizens",
}


@pytest.mark.parametrize("name", SCHEME_NAMES)
def test_scheme_covers_the_concepts_the_data_needs(name: str, schemes: dict[str, Graph]) -> None:
    present = set(schemes[name].subjects(RDF.type, SKOS.Concept))
    missing = [
        k for k in REQUIRED_CONCEPTS[name].split() if ID[f"concept/{name}/{k}"] not in present
    ]
    assert missing == []


def test_all_ontology_files_together_parse_and_check(
    ontology: Graph, reused: Graph, schemes: dict[str, Graph]
) -> None:
    union = merged([ontology, reused, *schemes.values()])
    assert domain_range_problems(union) == []
    assert undeclared_gg_terms(union, declared_terms(ontology)) == []


# --------------------------------------------------------------------------- the checks fail

ONT = f"<{ONTOLOGY_IRI}>"
GOOD_TERM = f"""
gg:Thing a owl:Class ;
    rdfs:label "شيء"@ar , "Chose"@fr , "Thing"@en ;
    skos:definition "تعريف."@ar , "Définition."@fr , "Definition."@en ;
    rdfs:isDefinedBy {ONT} .
"""


def test_minted_term_check_passes_a_good_term() -> None:
    assert minted_term_problems(parse_turtle(GOOD_TERM)) == []


@pytest.mark.parametrize(
    ("turtle", "expected"),
    [
        pytest.param(
            GOOD_TERM.replace(' , "Chose"@fr', ""), "rdfs:label@fr, found 0", id="no-fr-label"
        ),
        pytest.param(
            GOOD_TERM.replace('"Thing"@en', '"Thing"@en , "Thingy"@en'),
            "rdfs:label@en, found 2",
            id="two-en-labels",
        ),
        pytest.param(
            GOOD_TERM.replace('"Thing"@en', '"Thing"@en , "Thing"'),
            "is not tagged ar, fr or en",
            id="untagged-label",
        ),
        pytest.param(
            GOOD_TERM.replace('"تعريف."@ar , ', ""),
            "skos:definition@ar, found 0",
            id="no-ar-definition",
        ),
        pytest.param(
            GOOD_TERM.replace(f" ;\n    rdfs:isDefinedBy {ONT}", ""),
            "rdfs:isDefinedBy",
            id="no-isDefinedBy",
        ),
        pytest.param(
            GOOD_TERM.replace("a owl:Class", "a rdfs:Resource"),
            "expected one of owl:Class",
            id="untyped",
        ),
        pytest.param(
            GOOD_TERM.replace("a owl:Class", "a owl:Class , owl:ObjectProperty"),
            "expected one of owl:Class",
            id="two-types",
        ),
        pytest.param(
            GOOD_TERM.replace("a owl:Class ;", "a owl:Class ; rdfs:subPropertyOf gg:x ;"),
            "a class with rdfs:subPropertyOf",
            id="class-with-subPropertyOf",
        ),
    ],
)
def test_minted_term_check_catches(turtle: str, expected: str) -> None:
    problems = minted_term_problems(parse_turtle(turtle))
    assert any(expected in p for p in problems), problems


def test_domain_range_check_catches() -> None:
    graph = parse_turtle("gg:p a owl:ObjectProperty ; rdfs:domain gg:A ; rdfs:range gg:B .")
    assert len(domain_range_problems(graph)) == 2


def test_import_check_catches() -> None:
    graph = parse_turtle(f"{ONT} a owl:Ontology ; owl:imports <http://www.w3.org/ns/org> .")
    assert import_problems(graph) != []


def test_ontology_header_check_catches() -> None:
    graph = parse_turtle(f'{ONT} a owl:Ontology ; dcterms:title "t"@en ; owl:versionInfo "0.0.9" .')
    problems = ontology_header_problems(graph)
    for expected in ("dcterms:title@ar", "dcterms:description@en", "versionInfo", "license"):
        assert any(expected in p for p in problems), (expected, problems)


def test_mapping_check_catches() -> None:
    graph = parse_turtle(
        "gg:p skos:closeMatch wd:P31 . gg:q skos:closeMatch wd:P39 . gg:r skos:exactMatch wd:P39 ."
    )
    assert mapping_problems(graph) == [
        "gg:p: skos:closeMatch wd:P31 is not a property MODEL.md names",
        "gg:r: skos:exactMatch wd:P39 is not a Wikidata item",
    ]


def test_undeclared_gg_term_check_catches() -> None:
    graph = parse_turtle(
        "gg:Thing a owl:Class ; rdfs:subClassOf gg:Undeclared . <x:y> gg:misspelt 1 ."
    )
    assert undeclared_gg_terms(graph, {GG.Thing}) == ["gg:Undeclared", "gg:misspelt"]


def test_unknown_term_check_catches() -> None:
    graph = parse_turtle("<x:a> a org:Membership ; org:membr <x:b> ; skos:closeMatch wd:Q1 .")
    assert unknown_terms(graph, {RDF.type, ORG.Membership, SKOS.closeMatch}) == ["org:membr"]


GOOD_REUSED = """
org:memberOf a rdf:Property ;
    rdfs:label "عضو في"@ar , "membre de"@fr , "member of"@en ;
    rdfs:isDefinedBy <http://www.w3.org/ns/org#> .
"""


def test_reused_check_passes_a_good_term() -> None:
    assert reused_term_problems(parse_turtle(GOOD_REUSED)) == []


@pytest.mark.parametrize(
    ("turtle", "expected"),
    [
        pytest.param(
            GOOD_REUSED.replace("memberOf", "memberOff"),
            "rdflib's term list",
            id="misspelt-closed-namespace",
        ),
        pytest.param(
            GOOD_REUSED.replace("org:memberOf", "time:inXSDGYear").replace(
                "http://www.w3.org/ns/org#", "http://www.w3.org/2006/time#"
            ),
            "rdflib's term list",
            id="misspelt-open-namespace",
        ),
        pytest.param(
            GOOD_REUSED.replace("org:memberOf", "schema:superevent").replace(
                "http://www.w3.org/ns/org#", "http://schema.org/"
            ),
            "rdflib's term list",
            id="misspelt-schema",
        ),
        pytest.param(
            GOOD_REUSED.replace("<http://www.w3.org/ns/org#>", "<http://www.w3.org/ns/org>"),
            "rdfs:isDefinedBy",
            id="wrong-isDefinedBy",
        ),
        pytest.param(
            GOOD_REUSED.replace(' , "membre de"@fr', ""), "rdfs:label@fr", id="no-fr-label"
        ),
        pytest.param(
            GOOD_REUSED.replace("a rdf:Property", "a owl:ObjectProperty"),
            "expected one type",
            id="wrong-type",
        ),
        pytest.param(
            GOOD_REUSED.replace("org:memberOf", "<https://schema.org/superEvent>").replace(
                "http://www.w3.org/ns/org#", "https://schema.org/"
            ),
            "not a reused vocabulary",
            id="https-schema",
        ),
        pytest.param(
            GOOD_REUSED.replace("org:memberOf", "gg:electsTo"),
            "declared in govgraph.ttl",
            id="minted-term",
        ),
    ],
)
def test_reused_check_catches(turtle: str, expected: str) -> None:
    problems = reused_term_problems(parse_turtle(turtle))
    assert any(expected in p for p in problems), problems


SCHEME = ID["concept/demo"]
GOOD_SCHEME = f"""
@prefix s: <{SCHEME}/> .
<{SCHEME}> a skos:ConceptScheme ;
    skos:prefLabel "عرض"@ar , "Démo"@fr , "Demo"@en ;
    skos:hasTopConcept s:a .
s:a a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:topConceptOf <{SCHEME}> ;
    skos:notation "a" ; skos:prefLabel "أ"@ar , "a"@fr , "a"@en ; skos:definition "A."@en .
s:b a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:broader s:a ;
    skos:notation "b" ; skos:prefLabel "ب"@ar , "b"@fr , "b"@en ; skos:definition "B."@en .
"""


def test_scheme_check_passes_a_good_scheme() -> None:
    assert scheme_problems(parse_turtle(GOOD_SCHEME), SCHEME) == []


@pytest.mark.parametrize(
    ("turtle", "expected"),
    [
        pytest.param(
            GOOD_SCHEME.replace(
                "skos:inScheme <" + str(SCHEME) + "> ; skos:broader", "skos:broader"
            ),
            "skos:inScheme",
            id="not-in-scheme",
        ),
        pytest.param(
            GOOD_SCHEME.replace('"b"@en', '"b"@en , "bee"@en'),
            "skos:prefLabel@en, found 2",
            id="two-en-prefLabels",
        ),
        pytest.param(
            GOOD_SCHEME.replace('"ب"@ar , ', ""), "skos:prefLabel@ar, found 0", id="no-ar-prefLabel"
        ),
        pytest.param(
            GOOD_SCHEME.replace('"b"@en', '"b"@en , "b"@de'),
            "not tagged ar, fr or en",
            id="other-language",
        ),
        pytest.param(
            GOOD_SCHEME.replace('skos:notation "b"', 'skos:notation "a"'),
            "notation 'a' used by",
            id="duplicate-notation",
        ),
        pytest.param(
            GOOD_SCHEME.replace('skos:notation "b"', 'skos:notation "B"'),
            "expected ['b']",
            id="notation-not-key",
        ),
        pytest.param(
            GOOD_SCHEME.replace('"b"@fr', '"a"@fr'), "prefLabel 'a'", id="shared-prefLabel"
        ),
        pytest.param(
            GOOD_SCHEME.replace('skos:definition "B."@en', 'skos:definition "B."@fr'),
            "no skos:definition@en",
            id="no-en-definition",
        ),
        pytest.param(
            GOOD_SCHEME.replace(
                "skos:broader s:a", f"skos:broader s:a ; skos:topConceptOf <{SCHEME}>"
            ),
            "disagree",
            id="topConceptOf-without-hasTopConcept",
        ),
        pytest.param(
            GOOD_SCHEME.replace("skos:hasTopConcept s:a", "skos:hasTopConcept s:a , s:b").replace(
                "skos:broader s:a", f"skos:broader s:a ; skos:topConceptOf <{SCHEME}>"
            ),
            "a top concept of its scheme with skos:broader",
            id="top-concept-with-broader",
        ),
        pytest.param(
            GOOD_SCHEME.replace("skos:broader s:a", "skos:broader s:zz"),
            "is not a concept of this scheme",
            id="broader-outside-scheme",
        ),
        pytest.param(
            GOOD_SCHEME.replace("skos:broader s:a", "skos:related s:a"),
            "neither a top concept nor narrower",
            id="orphan",
        ),
        pytest.param(
            GOOD_SCHEME.replace(
                "skos:topConceptOf <" + str(SCHEME) + "> ;",
                f"skos:topConceptOf <{SCHEME}> ; skos:broader s:b ;",
            ),
            "skos:broader cycle",
            id="cycle",
        ),
        pytest.param(
            GOOD_SCHEME.replace("s:b a skos:Concept", "s:B_x a skos:Concept"),
            "lowercase ascii slug",
            id="bad-slug",
        ),
        pytest.param(
            GOOD_SCHEME.replace('"b"@fr , "b"@en', '"b"@fr , "b"@en ; skos:altLabel "b"@en'),
            "both prefLabel and altLabel",
            id="pref-equals-alt",
        ),
        pytest.param(
            GOOD_SCHEME.replace("a skos:ConceptScheme", "a skos:Collection"),
            "not a skos:ConceptScheme",
            id="scheme-untyped",
        ),
        pytest.param(
            GOOD_SCHEME + f'<{ID}concept/other/x> skos:prefLabel "x"@en .',
            "neither the scheme nor one of its concepts",
            id="foreign-subject",
        ),
    ],
)
def test_scheme_check_catches(turtle: str, expected: str) -> None:
    problems = scheme_problems(parse_turtle(turtle), SCHEME)
    assert any(expected in p for p in problems), problems


def test_decision_record_check_would_catch_a_missing_term(ontology: Graph) -> None:
    decided = decision_record_terms("`gg:Election`, `gg:NotDeclared`")
    assert sorted(map(curie, decided - declared_terms(ontology))) == ["gg:NotDeclared"]
