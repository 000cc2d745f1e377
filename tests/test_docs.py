"""The README documents every command, and every command has help."""

from __future__ import annotations

import pytest

from govgraph.cli import main
from govgraph.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_the_readme(runner, name: str) -> None:
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.commands[name].help and len(main.commands[name].help) > 20
    assert f"govgraph {name}" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


ONTOLOGY_DOCS = REPO_ROOT / "docs" / "ontology"


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_generated_ontology_page_is_current(lang: str) -> None:
    """Each page names every minted term in its language: regenerate with `make docs`."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS

    ontology = Graph().parse(REPO_ROOT / "ontology" / "govgraph.ttl")
    page = (ONTOLOGY_DOCS / f"{lang}.html").read_text(encoding="utf-8")
    labels = [
        str(label)
        for label in ontology.objects(None, RDFS.label)
        if isinstance(label, Literal) and label.language == lang
    ]
    assert len(labels) >= 50
    missing = [label for label in labels if label not in page]
    assert not missing, f"docs/ontology/{lang}.html is stale; run make docs: {missing[:5]}"
    assert f'lang="{lang}"' in page


def test_model_diagram_shows_every_minted_class() -> None:
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    ontology = Graph().parse(REPO_ROOT / "ontology" / "govgraph.ttl")
    dot = (ONTOLOGY_DOCS / "model.dot").read_text(encoding="utf-8")
    classes = [c.n3(ontology.namespace_manager) for c in ontology.subjects(RDF.type, OWL.Class)]
    assert classes and all(f'"{c}"' in dot for c in classes)
    assert (ONTOLOGY_DOCS / "model.svg").stat().st_size > 10_000
