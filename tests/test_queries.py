"""Every catalogue query parses, documents itself in three languages and returns rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from govgraph.config import REPO_ROOT
from govgraph.store import EmbeddedStore

QUERIES = sorted((REPO_ROOT / "queries").glob("*.rq"))
HEADER = re.compile(r"^# (title|description)@(en|fr|ar): (.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def built_store(full_build: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore.open_read_only(full_build)
    yield store
    store.close()


def test_there_is_a_catalogue() -> None:
    assert QUERIES


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_is_documented_in_three_languages(path: Path) -> None:
    found = {(kind, lang) for kind, lang, _ in HEADER.findall(path.read_text(encoding="utf-8"))}
    assert found == {(k, lang) for k in ("title", "description") for lang in ("en", "fr", "ar")}


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_returns_rows_on_the_built_graph(path: Path, built_store: EmbeddedStore) -> None:
    rows = built_store.select(path.read_text(encoding="utf-8"))
    assert rows


def test_countries_query_gives_morocco_in_three_languages(built_store: EmbeddedStore) -> None:
    rows = built_store.select((REPO_ROOT / "queries" / "countries.rq").read_text("utf-8"))
    morocco = next(r for r in rows if str(r["code"]) == "MA")
    assert (str(morocco["name_ar"]), str(morocco["name_fr"]), str(morocco["name_en"])) == (
        "المغرب", "Maroc", "Morocco"
    )
    assert str(morocco["wikidata"]) == "http://www.wikidata.org/entity/Q1028"
    assert len(rows) == 249


def test_organs_query_lists_the_dco_executive_committee(built_store: EmbeddedStore) -> None:
    rows = built_store.select((REPO_ROOT / "queries" / "organs.rq").read_text("utf-8"))
    organs = {str(r["organ"]) for r in rows}
    assert "https://w3id.org/govgraph/id/org/dco/executive-committee" in organs
    assert all(r.get("source") for r in rows)
