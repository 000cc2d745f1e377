"""The query catalogue loads, documents every query in three languages, and refuses bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govgraph.config import REPO_ROOT, Settings, resource_dir
from govgraph.errors import SourceError
from govgraph.queries import LANGUAGES, CatalogueQuery, load_catalogue, load_query

MALFORMED = sorted((Path(__file__).parent / "data" / "catalogue").glob("*.rq"))
EXPECTED_MESSAGES = {
    "no_arabic_title": "the header has no title in ar; start the file with '# title@en: ...'",
    "repeated_title": "line 4: a second title@en: 'Every class, again'; give each language once",
    "unknown_language": "line 5: title in an unknown language: 'de'; expected one of en, fr, ar",
    "empty_title": "line 4: title@ar is empty; write the title after ':'",
    "not_utf8": "not UTF-8 text: invalid continuation byte",
}


@pytest.fixture(scope="module")
def catalogue() -> list[CatalogueQuery]:
    return load_catalogue(resource_dir(Settings(), "queries"))


def test_the_catalogue_has_every_query_file(catalogue: list[CatalogueQuery]) -> None:
    names = [query.name for query in catalogue]
    assert names == sorted(path.stem for path in (REPO_ROOT / "queries").glob("*.rq"))
    assert "excom_2026_members" in names


def test_every_query_has_titles_and_descriptions_in_three_languages(
    catalogue: list[CatalogueQuery],
) -> None:
    for query in catalogue:
        assert set(query.titles) == set(LANGUAGES), query.name
        assert set(query.descriptions) == set(LANGUAGES), query.name
        assert all(query.titles.values()) and all(query.descriptions.values()), query.name


def test_a_query_keeps_its_text_and_header_values(catalogue: list[CatalogueQuery]) -> None:
    query = next(q for q in catalogue if q.name == "countries")
    path = REPO_ROOT / "queries" / "countries.rq"
    assert query.text == path.read_text(encoding="utf-8")
    assert query.title("en") == "Countries with their names in Arabic, French and English"
    assert query.title("ar") == "الدول وأسماؤها بالعربية والفرنسية والإنجليزية"
    assert query.description("fr").startswith("Chaque pays ISO 3166-1")


def test_a_missing_language_falls_back_to_english() -> None:
    query = CatalogueQuery("q", "", {"en": "Title", "fr": "Titre", "ar": "عنوان"}, {"en": "Text"})
    assert query.description("ar") == "Text"
    assert query.title("de") == "Title"


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.stem)
def test_a_malformed_query_file_is_refused_with_its_name(path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_query(path)
    assert caught.value.location.path == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert EXPECTED_MESSAGES[path.stem] in str(caught.value)


def test_every_malformed_fixture_has_an_expected_message() -> None:
    assert {path.stem for path in MALFORMED} == set(EXPECTED_MESSAGES)


def test_the_catalogue_names_the_bad_file_among_good_ones(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "queries" / "countries.rq", tmp_path / "countries.rq")
    bad = tmp_path / "no_arabic_title.rq"
    shutil.copy(Path(__file__).parent / "data" / "catalogue" / bad.name, bad)
    with pytest.raises(SourceError, match="no_arabic_title.rq: the header has no title in ar"):
        load_catalogue(tmp_path)
    bad.unlink()
    assert [query.name for query in load_catalogue(tmp_path)] == ["countries"]
