"""govgraph load, used as a data steward would: good records, bad input, batches, idempotence.

The records are made-up fixtures (tests/data/announcements/README.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.config import REPO_ROOT
from govgraph.store import EmbeddedStore

FIXTURES = REPO_ROOT / "tests" / "data" / "announcements"
GRAPH = "https://w3id.org/govgraph/id/graph/doc/dco/00000000000000aa"


@pytest.fixture
def record(tmp_path: Path) -> Path:
    """A private copy of the good record and its text, to break."""
    for name in ("good.yaml", "good.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "good.yaml"


def load(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", str(store), "load", *args])
    return result.exit_code, result.stderr


def snapshot(store: Path) -> list[tuple[str, int]]:
    with EmbeddedStore.open(store) as opened:
        return [(str(e.name), e.triples) for e in opened.graph_counts()]


def dump(store: Path) -> set[str]:
    with EmbeddedStore.open(store) as opened:
        return {
            f"{g} {t}"
            for g in (e.name for e in opened.graph_counts())
            for t in opened.export_graph(g).serialize(format="nt").splitlines()
        }


def break_record(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_good_record_loads_into_its_two_graphs(store: Path, record: Path) -> None:
    code, err = load(store, str(record))
    assert code == 0, err
    assert "loaded 1 of 1 file(s)" in err
    graphs = dict(snapshot(store))
    assert graphs[GRAPH] > 0 and graphs[GRAPH + "/prov"] > 0


def test_loading_twice_leaves_the_store_identical(store: Path, record: Path) -> None:
    assert load(store, str(record))[0] == 0
    first = dump(store)
    assert load(store, str(record))[0] == 0
    assert dump(store) == first


def test_a_corrected_version_replaces_the_announcement(store: Path, record: Path) -> None:
    assert load(store, str(record))[0] == 0
    break_record(record, "term: 2031\n    elected_in", "term: 2032\n    elected_in")
    assert load(store, str(record))[0] == 0
    triples = "\n".join(dump(store))
    assert "membership/dco-executive-committee/MA/2032" in triples
    assert "membership/dco-executive-committee/MA/2031" not in triples


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "candidate: MA",
            "candidate: XX",
            'line 17: field "facts/1/candidate": unknown country \'XX\'',
        ),
        (
            "organization: dco/executive-committee",
            "organization: dco/excom",
            'line 22: field "facts/2/organization": unknown organization \'dco/excom\'; add it to '
            "data/reference/organizations.ttl or fix the key",
        ),
        (
            "issued: 2031-01-15",
            "issued: 2031-02-30",
            'line 8: field "issued": cannot read \'2031-02-30\' as a date: February 2031 has '
            "28 days; expected YYYY-MM-DD",
        ),
        ("outcome: elected", "outcome: won", "unknown election-outcome concept 'won'"),
        ("    term: 2031\n    evidence", "    trem: 2031\n    evidence",
         "line 10: field \"facts/0\": Additional properties are not allowed ('trem' was "
         "unexpected); see docs/records.md"),
        ("language: en", "language: de", "line 4: field \"language\": 'de' is not one of: "
         "ar, fr, en"),
        ("start: 46, end: 89", "start: 40, end: 83", "evidence quote 'elected to the Executive "
         "Committee for 2031' is not the text at [40, 83)"),
        ("sha256: 7547", "sha256: 8547", 'field "sha256": the raw text\'s sha256 is 7547'),
        ('election: "#excom"', 'election: "#nope"', "no fact has id 'nope'"),
    ],
    ids=["country", "organization", "date", "concept", "field", "language", "quote", "sha256",
         "reference"],
)
def test_bad_records_name_file_line_field_and_fix(
    store: Path, record: Path, old: str, new: str, expected: str
) -> None:
    before = dump(store)
    code, err = load(store, str(break_record(record, old, new)))
    assert code == 1
    assert str(record) in err
    assert expected in err
    assert dump(store) == before


def test_malformed_yaml_names_the_line(store: Path, record: Path) -> None:
    break_record(record, "language: en", "language: [en")
    code, err = load(store, str(record))
    assert code == 1
    assert f"error: {record}: line 5: not valid YAML" in err


def test_a_truncated_file_is_reported(store: Path, record: Path) -> None:
    text = record.read_text(encoding="utf-8")
    record.write_text(text[: text.index("outcome")] + 'outcome: "elec', encoding="utf-8")
    code, err = load(store, str(record))
    assert code == 1
    assert "not valid YAML" in err and "truncated file" in err


def test_malformed_json_names_the_line(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "00000000000000ab",\n "publisher": "dco",\n "title": }\n', "utf-8")
    code, err = load(store, str(path))
    assert code == 1
    assert f"error: {path}: line 3: not valid JSON" in err


def test_a_json_record_that_fails_the_schema(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "xyz", "publisher": "dco", "language": "en", "title": "t"}', "utf-8")
    code, err = load(store, str(path))
    assert code == 1
    assert "field \"id\": 'xyz' does not have the expected form" in err


def test_invalid_utf8_names_the_line(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: 00000000000000ac\ntitle: \"Koweït\"\n".encode("latin-1"))
    code, err = load(store, str(path))
    assert code == 1
    assert f"error: {path}: line 2: not valid UTF-8 at byte 33; save the file as UTF-8" in err


def test_an_unknown_extension_says_what_is_known(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "record.xls"
    path.write_text("x", encoding="utf-8")
    code, err = load(store, str(path))
    assert code == 1
    assert "unknown record format '.xls'; known: .json, .yaml, .yml" in err


def test_a_batch_goes_on_reports_every_failure_and_exits_1(
    store: Path, record: Path, tmp_path: Path
) -> None:
    bad_one = tmp_path / "a-bad.yaml"
    bad_one.write_text(record.read_text("utf-8").replace("candidate: MA", "candidate: XX"), "utf-8")
    bad_two = tmp_path / "b-bad.yaml"
    bad_two.write_text("id: [\n", encoding="utf-8")
    code, err = load(store, str(tmp_path))
    assert code == 1
    assert "loaded 1 of 3 file(s)" in err and "2 failed" in err
    assert str(bad_one) in err and str(bad_two) in err
    assert GRAPH in dict(snapshot(store))


def test_strict_stops_at_the_first_failure(store: Path, record: Path, tmp_path: Path) -> None:
    bad = tmp_path / "a-bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    code, err = load(store, "--strict", str(tmp_path))
    assert code == 1
    assert "loaded 0 of 2 file(s)" in err
    assert GRAPH not in dict(snapshot(store))


def test_a_shape_violation_leaves_the_store_unchanged(store: Path, record: Path) -> None:
    assert load(store, str(record))[0] == 0
    before = dump(store)
    # A person without any name passes the schema and the mapping, but not the shapes.
    break_record(record, "issued: 2031-01-15", "issued: 2031-01-16\npeople:\n  - key: nameless")
    code, err = load(store, str(record))
    assert code == 1
    assert "1 SHACL violation(s)" in err
    assert "ggsh:PersonShape-prefLabel" in err and "person/nameless" in err
    assert dump(store) == before


def test_an_impossible_term_is_reported(store: Path, record: Path) -> None:
    break_record(record, "    term: 2031\n    evidence", "    term: 2031-2029\n    evidence")
    code, err = load(store, str(record))
    assert code == 1
    assert "a period cannot end (2029) before it begins (2031)" in err
    assert 'field "facts/0/term"' in err


def test_load_needs_a_built_store(tmp_path: Path, record: Path) -> None:
    code, err = load(tmp_path / "empty", str(record))
    assert code == 1
    assert "no reference data; run `govgraph build` first" in err


def test_a_missing_path_is_named(store: Path, tmp_path: Path) -> None:
    code, err = load(store, str(tmp_path / "nowhere.yaml"))
    assert code == 1
    assert f"error: {tmp_path / 'nowhere.yaml'}: no such file or folder" in err


PERSON_RECORD = """# Made-up test record (see README.md): not a real announcement.
id: "{id}"
publisher: dco
language: {lang}
title: Made-up test announcement naming a person
people:
  - key: {key}
    names: {{{lang}: "{name}"}}
facts:
  - type: post-holding
    person: {key}
    post: ma/minister-delegate-digital-transition-administrative-reform
    evidence: {{note: "made-up test fact", source: "https://example.org/made-up"}}
"""


def test_one_person_under_two_spellings_in_two_languages_is_one_entity(
    store: Path, tmp_path: Path
) -> None:
    spellings = [
        ("00000000000000b1", "en", "sghrouchni", "Amal El Fallah Sghrouchni"),
        ("00000000000000b2", "ar", "person-2", "أمل الفلاح السغروشني"),
    ]
    for record_id, lang, key, name in spellings:
        path = tmp_path / f"{record_id}.yaml"
        path.write_text(
            PERSON_RECORD.format(id=record_id, lang=lang, key=key, name=name), encoding="utf-8"
        )
        code, err = load(store, str(path))
        assert code == 0, err
    with EmbeddedStore.open(store) as opened:
        rows = opened.select(
            "SELECT DISTINCT ?person WHERE { GRAPH ?g { ?person <http://www.w3.org/ns/org#holds> "
            "?post } FILTER(CONTAINS(STR(?g), '00000000000000b')) }"
        )
    assert [str(r["person"]) for r in rows] == [
        "https://w3id.org/govgraph/id/person/amal-el-fallah-seghrouchni"
    ]
