"""`govgraph extract` on made-up announcements (tests/data/extract/<lang>/<case>.txt|.html).

Each fixture has a ``<case>.expected.json``: the caller's ``publisher``, the ``language``, the
``title``, the ``facts`` that must be found (type, values, quote, kind; values use the patterns
of tests/test_extract_seed.py), optional ``warns`` (texts a logged warning must contain) and
``closed``. Every extracted fact of a type listed in ``facts`` must be one of them (no extra
facts of those types); ``"closed": "all"`` means no fact at all. README.md in that folder has
the table of which rule fires on which fixture, checked here against the extractor.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from govgraph.extract import extract_announcement, source_id_of
from govgraph.extract.draft import to_draft_dict
from govgraph.extract.html import html_to_text
from govgraph.extract.language import detect_by_script, detect_language
from govgraph.extract.rules import RULES
from govgraph.model.records import Announcement, Fact
from test_extract_seed import Matcher, describe, gazetteer, reference_graph, seed

DATA = Path(__file__).resolve().parent / "data" / "extract"
CASES = sorted(p for p in DATA.glob("*/*") if p.suffix in (".txt", ".html"))
XFAIL: dict[str, str] = {}
"""Known failures by case id, with the reason (none at present)."""


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def expected_of(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(  # type: ignore[no-any-return]
        encoding="utf-8"))


@cache
def extracted(path: Path) -> Announcement:
    expected = expected_of(path)
    return extract_announcement(path.read_text(encoding="utf-8"), path=case_id(path),
                                gazetteer=gazetteer(), publisher=expected["publisher"])


def positions(text: str, quote: str) -> list[tuple[int, int]]:
    found, start = [], text.find(quote)
    while start >= 0:
        found.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return found


def matches(matcher: Matcher, spec: dict[str, Any], fact: Fact, text: str) -> bool:
    ev = fact.evidence
    spans = positions(text, spec["quote"])
    return (fact.kind == spec["kind"] and ev is not None and ev.start is not None
            and ev.end is not None and any(ev.start < e and s < ev.end for s, e in spans)
            and matcher.fact({"type": spec["type"], "values": spec["values"]}, fact))


def test_there_are_enough_fixtures() -> None:
    by_lang: dict[str, int] = {}
    for path in CASES:
        by_lang[path.parent.name] = by_lang.get(path.parent.name, 0) + 1
    assert len(CASES) >= 15 and set(by_lang) == {"ar", "fr", "en"}, by_lang
    empty = [p for p in CASES if expected_of(p).get("closed") == "all"]
    assert len(empty) >= 3
    first = (DATA / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert first == "made-up fixtures, not real events"


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_fixture(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    if case_id(path) in XFAIL:
        pytest.xfail(XFAIL[case_id(path)])
    expected = expected_of(path)
    extracted.cache_clear() if expected.get("warns") else None
    with caplog.at_level(logging.WARNING, logger="govgraph.extract"):
        a = extracted(path)
    assert a.text is not None
    assert a.language == expected["language"]
    if "title" in expected:
        assert a.title == expected["title"]
    matcher = Matcher(a, gazetteer())
    problems = []
    for spec in expected["facts"]:
        if not positions(a.text, spec["quote"]):
            problems.append(f"expected quote not in the text: {spec['quote']!r}")
        elif not any(matches(matcher, spec, f, a.text) for f in a.facts):
            problems.append(f"missing: {spec['type']} {spec['kind']} "
                            f"{json.dumps(spec['values'], ensure_ascii=False)} «{spec['quote']}»")
    closed = expected.get("closed")
    types = {s["type"] for s in expected["facts"]} | set(closed if isinstance(closed, list) else [])
    for fact in a.facts:
        if closed == "all" or (fact.type in types and not any(
                matches(matcher, spec, fact, a.text) for spec in expected["facts"])):
            problems.append(f"extra: {describe(fact)}")
    for fact in a.facts:
        ev = fact.evidence
        assert ev is not None and ev.start is not None and ev.end is not None
        assert a.text[ev.start:ev.end] == ev.quote
        assert fact.rule
    for warning in expected.get("warns", []):
        if not any(warning in r.getMessage() for r in caplog.records):
            problems.append(f"no warning containing {warning!r}")
    assert not problems, f"{case_id(path)}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", [p for p in CASES if expected_of(p)["publisher"]],
                         ids=case_id)
def test_fixture_draft_is_a_valid_record_that_maps(path: Path) -> None:
    from govgraph.ingest.records import record_validator
    from govgraph.model.mapping import ReferenceIndex, to_graphs

    a = extracted(path)
    draft = to_draft_dict(a, text_path=f"{a.id}.txt")
    errors = list(record_validator().iter_errors(draft))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errors)
    to_graphs(a, ReferenceIndex.from_graph(reference_graph()))


def test_language_detectors_agree_on_every_fixture() -> None:
    for path in CASES:
        a = extracted(path)
        assert detect_language(a.text or "") == a.language, case_id(path)
        assert detect_by_script(a.text or "") == a.language, case_id(path)


def test_html_pages_drop_their_furniture_and_keep_offsets_on_the_text() -> None:
    path = DATA / "en" / "dco-council-presidency.html"
    a = extracted(path)
    page = html_to_text(path.read_text(encoding="utf-8"))
    assert a.text == page.text
    for chrome in ("window.dataLayer", "About the DCO", "Related news", "Subscribe", "©",
                   "Facebook", "Skip to main content"):
        assert chrome not in a.text, chrome
    assert a.title == "Bahrain elected to the presidency of the DCO Council for 2027"
    assert "date icon" in a.text  # kept as text, set aside as furniture by normalize
    assert not [f for f in a.facts if f.evidence and "date icon" in (f.evidence.quote or "")]


def test_nothing_recognizable_gives_no_facts_and_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="govgraph.extract"):
        a = extract_announcement("Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
                                 path="lorem.txt", gazetteer=gazetteer(), publisher="dco")
    assert a.facts == () and a.people == ()
    assert any("no fact found" in r.getMessage() for r in caplog.records)
    empty = extract_announcement("", path="empty.txt", gazetteer=gazetteer())
    assert empty.facts == () and empty.title == ""


def test_offsets_survive_tatweel_harakat_and_no_break_spaces() -> None:
    raw = ("انتخاب المغرب في اللجنة التنفيذية\n\nتم انتخاب المملكة\u00a0المغربيّة عضوا في"
           " اللجنة التنفيذية لـمنظمة التعاون الرقمي برسم سنة ٢٠٢٧.")
    a = extract_announcement(raw, path="t.txt", gazetteer=gazetteer(), publisher="ma/mtnra")
    membership = next(f for f in a.facts if f.type == "membership" and f.kind == "explicit")
    assert membership.values["term"] == "2027"
    ev = membership.evidence
    assert ev is not None and ev.start is not None
    assert raw[ev.start:ev.end] == ev.quote and "لـمنظمة" in ev.quote


def test_a_title_alone_states_no_fact() -> None:
    a = extract_announcement("Morocco elected to the DCO Executive Committee for 2026",
                             path="t.txt", gazetteer=gazetteer(), publisher="ma/mtnra")
    assert a.title.startswith("Morocco elected") and a.facts == ()


def test_source_id_is_the_sha256_of_the_url_or_the_text() -> None:
    assert len(source_id_of("text")) == 16
    assert source_id_of("text", "https://a.example/x") != source_id_of("text")


# ---- the rule table of tests/data/extract/README.md ----------------------------------------


def firing() -> dict[str, set[str]]:
    """Rule name -> the fixtures (and the seed) where it writes a fact."""
    fired: dict[str, set[str]] = {}
    for path in CASES:
        for fact in extracted(path).facts:
            fired.setdefault(str(fact.rule), set()).add(case_id(path))
    for fact in seed().facts:
        fired.setdefault(str(fact.rule), set()).add("seed")
    return fired


def readme_table() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for line in (DATA / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`") and cells[0].endswith("`"):
            table[cells[0].strip("`")] = {c.strip().strip("`") for c in cells[1].split(",")}
    return table


def test_every_rule_fires_on_two_fixtures_or_the_seed() -> None:
    lonely = {rule: where for rule, where in firing().items()
              if "seed" not in where and len(where) < 2}
    assert not lonely, lonely
    assert len(RULES) >= 20


def test_the_readme_rule_table_is_up_to_date() -> None:
    actual, written = firing(), readme_table()
    assert written == actual, (
        "update tests/data/extract/README.md; rows:\n" + "\n".join(
            f"| `{rule}` | {', '.join(sorted(where))} |" for rule, where in sorted(actual.items())))


def test_a_page_without_h1_takes_its_title_from_the_title_tag() -> None:
    page = ("<html><head><title>Le Sénégal élu au Comité exécutif</title></head><body>"
            "<nav><a>Accueil</a></nav><p>Le Sénégal a été élu membre du Comité exécutif de "
            "l'Organisation de coopération numérique pour l'année 2027.</p></body></html>")
    a = extract_announcement(page, path="p.html", gazetteer=gazetteer(), publisher="dco")
    assert a.text is not None and a.text.startswith("Le Sénégal a été élu")
    assert a.title == "Le Sénégal élu au Comité exécutif"
    assert {"election", "candidacy", "membership"} <= {f.type for f in a.facts}
