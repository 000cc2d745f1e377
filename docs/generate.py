"""Generate the ontology documentation from the ontology and the shapes: run `make docs`.

Writes, under docs/ontology/:
- en.html, fr.html, ar.html: one pyLODE page per language (pyLODE runs all label languages
  together, so each page is made from a copy of the ontology holding only that language);
- model.dot and model.svg: a diagram of the model. Classes are boxes; an arrow is a property
  whose values a shape constrains to a class (`sh:class`), a dashed arrow a subclass link.
  Ranges live in the shapes, not the ontology, so the diagram reads both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pylode import OntPub
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from govgraph.config import Settings, resource_dir
from govgraph.model.namespaces import GG, ORG, OWL, PERSON, RDF, RDFS, SH, bind_prefixes
from govgraph.model.ontology import load_ontology, load_shapes, parse_turtle_files

OUT = Path(__file__).resolve().parent / "ontology"
LANGUAGES = {"en": "English", "fr": "Français", "ar": "العربية"}
RTL_TEXT_STYLE = (
    "<style>#content p, #content td, #content h1, #content h2, #content h3, #toc a "
    "{ unicode-bidi: plaintext; text-align: start; }</style>"
)


def only_language(graph: Graph, lang: str) -> Graph:
    """Return a copy of ``graph`` without literals tagged in languages other than ``lang``."""
    kept = bind_prefixes(Graph())
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language and o.language != lang:
            continue
        kept.add((s, p, o))
    return kept


def language_links(current: str) -> str:
    """Return an HTML bar linking the three language versions."""
    links = " · ".join(
        f"<strong>{name}</strong>" if code == current else f'<a href="{code}.html">{name}</a>'
        for code, name in LANGUAGES.items()
    )
    return f'<nav style="padding:0.5em 1em;font-size:1.1em" dir="auto">{links}</nav>'


def write_pages(ontology: Graph) -> None:
    """Write one pyLODE page per language."""
    for lang in LANGUAGES:
        html = OntPub(only_language(ontology, lang)).make_html()
        # pyLODE's layout is fixed left-to-right; Arabic text runs right-to-left inside it.
        html = html.replace("<html>", f'<html lang="{lang}">', 1)
        if lang == "ar":
            html = html.replace("</head>", RTL_TEXT_STYLE + "</head>", 1)
        html = html.replace("<body>", "<body>" + language_links(lang), 1)
        (OUT / f"{lang}.html").write_text(html, encoding="utf-8")


def label(graph: Graph, term: URIRef) -> str:
    """Return the English label of a term, else its CURIE."""
    for value in graph.objects(term, RDFS.label):
        if isinstance(value, Literal) and value.language == "en":
            return str(value)
    return term.n3(graph.namespace_manager)


def value_classes(shapes: Graph, prop_shape: URIRef) -> set[URIRef]:
    """Return the classes a property shape allows: its sh:class, or those of its sh:or."""
    found = {c for c in shapes.objects(prop_shape, SH["class"]) if isinstance(c, URIRef)}
    for alternatives in shapes.objects(prop_shape, SH["or"]):
        for member in Collection(shapes, alternatives):
            found |= {c for c in shapes.objects(member, SH["class"]) if isinstance(c, URIRef)}
    return found


def most_general(ontology: Graph, classes: set[URIRef]) -> set[URIRef]:
    """Drop each class that is a subclass of another one in the set."""
    def supers(cls: URIRef) -> set[URIRef]:
        return set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}

    return {c for c in classes if not supers(c) & classes}


AGENT = URIRef("urn:govgraph-diagram:agent")
"""One box for "an organization or a person", which most relations accept."""


def model_edges(ontology: Graph, shapes: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    """Return (class, property, value class) for every class constraint of a node shape.

    gg:evidence edges are left out (every fact node has one; the legend says so).
    """
    edges = set()
    for shape, cls in shapes.subject_objects(SH.targetClass):
        for prop_shape in shapes.objects(shape, SH.property):
            path = shapes.value(prop_shape, SH.path)
            if not isinstance(path, URIRef) or not isinstance(cls, URIRef) or path == GG.evidence:
                continue
            targets = most_general(ontology, value_classes(shapes, prop_shape))
            if {ORG.Organization, PERSON.Person} <= targets:
                targets = (targets - {ORG.Organization, PERSON.Person}) | {AGENT}
            edges.update((cls, path, target) for target in targets)
    return edges


def write_diagram(ontology: Graph, shapes: Graph) -> None:
    """Write model.dot and, when Graphviz is installed, model.svg."""
    names = bind_prefixes(Graph())
    edges = model_edges(ontology, shapes)
    classes = {c for c, _, v in edges} | {v for _, _, v in edges}
    classes |= set(ontology.subjects(RDF.type, OWL.Class)) & {
        s for s in ontology.subjects() if str(s).startswith(str(GG))
    }
    lines = [
        "digraph govgraph {",
        '  graph [rankdir=LR, fontname="Helvetica", label="govgraph data model", labelloc=t];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    lines.append(
        '  legend [shape=note, fillcolor="#fff8dc", label="blue: minted (gg:)  grey: reused\\l'
        'solid: property constrained by a shape   dashed: rdfs:subClassOf\\l'
        'every fact node also has gg:evidence -> oa:SpecificResource\\l"];'
    )
    for cls in sorted(classes):
        minted = str(cls).startswith(str(GG))
        colour = "#dbe9f6" if minted else "#eeeeee"
        curie = cls.n3(names.namespace_manager)
        text = "agent\\n(org:Organization or person:Person)" if cls == AGENT else curie
        lines.append(f'  "{curie}" [label="{text}", fillcolor="{colour}"];')
    for cls, path, value_class in sorted(edges):
        lines.append(
            f'  "{cls.n3(names.namespace_manager)}" -> "{value_class.n3(names.namespace_manager)}"'
            f' [label="{path.n3(names.namespace_manager)}"];'
        )
    for sub, sup in sorted(ontology.subject_objects(RDFS.subClassOf)):
        if sub in classes and isinstance(sup, URIRef):
            lines.append(
                f'  "{sub.n3(names.namespace_manager)}" -> "{sup.n3(names.namespace_manager)}"'
                ' [style=dashed, arrowhead=empty];'
            )
    lines.append("}")
    dot = OUT / "model.dot"
    dot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg", str(dot), "-o", str(OUT / "model.svg")], check=True)
    else:
        print("Graphviz 'dot' not found: wrote model.dot only", file=sys.stderr)


def main() -> None:
    settings = Settings()
    OUT.mkdir(parents=True, exist_ok=True)
    ontology = parse_turtle_files([resource_dir(settings, "ontology") / "govgraph.ttl"])
    write_pages(ontology)
    write_diagram(ontology + load_ontology(settings), load_shapes(settings))
    print(f"wrote {', '.join(sorted(p.name for p in OUT.iterdir()))} in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
