"""Score `govgraph extract` on the seed against its gold set (shared/seeds/GOLD.md).

tests/data/extract/ar/seed-gold.json transcribes every required (R) fact of GOLD.md with its
span and kind, and the N1-N10 must-not-assert checks. The extractor must find 100% of the R
facts (a gold fact counts when extracted facts of the right type have matching values,
evidence overlapping the gold span and the gold kind) and violate no check. On failure the
score table is printed. The matching helpers are shared with tests/test_extract.py.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import rdflib

from govgraph.extract import extract_announcement
from govgraph.extract.draft import to_draft_dict
from govgraph.model.gazetteer import Gazetteer
from govgraph.model.records import KINDS, Announcement, Fact
from govgraph.model.text import search_key

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "extract" / "ar" / "seed-gold.json"


@lru_cache(maxsize=1)
def reference_graph() -> rdflib.Graph:
    """The reference data and the concept schemes, as the CLI loads them."""
    graph = rdflib.Graph()
    files = sorted((ROOT / "data" / "reference").glob("*.ttl"))
    files += sorted((ROOT / "ontology" / "schemes").glob("*.ttl"))
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.from_graph(reference_graph())


# ---- matching extracted facts against expected patterns ---------------------------------


class Matcher:
    """Match extracted facts against patterns of the gold and expected files."""

    def __init__(self, announcement: Announcement, gaz: Gazetteer) -> None:
        self.a = announcement
        self.gaz = gaz
        self.by_id = {f.id: f for f in announcement.facts if f.id}
        self.people = {p.key: p for p in announcement.people}

    def person_names(self, key: str) -> set[str]:
        names = set()
        if key in self.people:
            person = self.people[key]
            names.update(search_key(n) for n in [*person.names.values(), *person.aliases])
        names.update(search_key(e.label) for e in self.gaz.labels("person", key))
        return names

    def named(self, kind: str, key: str) -> set[str]:
        names = set()
        for fact in self.a.facts:
            if fact.type == kind and fact.values.get("key") == key:
                names.update(search_key(str(n)) for n in dict(fact.values.get("names", {}))
                             .values())
        return names

    def value(self, gold: Any, actual: Any) -> bool:
        if isinstance(gold, dict) and isinstance(gold.get("ref"), dict):
            if not isinstance(actual, str) or not actual.startswith("#"):
                return False
            target = self.by_id.get(actual[1:])
            pattern = dict(gold["ref"])
            return target is not None and self.fact(pattern, target)
        if isinstance(gold, dict) and isinstance(gold.get("person"), str):
            if not isinstance(actual, str):
                return False
            if gold.get("agent"):
                if not actual.startswith("person:"):
                    return False
                actual = actual.removeprefix("person:")
            return search_key(gold["person"]) in self.person_names(actual)
        if isinstance(gold, dict) and isinstance(gold.get("named"), dict):
            kind, name = gold["named"]["kind"], gold["named"]["name"]
            if not isinstance(actual, str) or not actual.startswith(kind + ":"):
                return False
            return any(search_key(name) in n for n in self.named(kind, actual.split(":", 1)[1]))
        if isinstance(gold, dict) and isinstance(gold.get("contains"), str):
            wanted = search_key(gold["contains"])
            if isinstance(actual, dict):
                texts = [actual["text"]] if "text" in actual else list(actual.values())
            else:
                texts = [actual]
            return any(isinstance(t, str) and wanted in search_key(t) for t in texts)
        if isinstance(gold, dict) and "unresolved_contains" in gold:
            return isinstance(actual, dict) and search_key(gold["unresolved_contains"]) in \
                search_key(str(actual.get("unresolved", "")))
        if isinstance(gold, list):
            return isinstance(actual, list) and all(
                any(self.value(g, a) for a in actual) for g in gold)
        if isinstance(gold, dict):
            return isinstance(actual, dict) and all(
                k in actual and self.value(v, actual[k]) for k, v in gold.items())
        return bool(gold == actual)

    def fact(self, pattern: dict[str, Any], fact: Fact) -> bool:
        """A fact of the pattern's type whose values match the pattern's values."""
        values = pattern.get("values", {k: v for k, v in pattern.items() if k != "type"})
        if pattern.get("type") and fact.type != pattern["type"]:
            return False
        return all(name in fact.values and self.value(v, fact.values[name])
                   for name, v in values.items())

    def found(self, pattern: dict[str, Any], spans: list[tuple[int, int]], kind: str
              ) -> list[Fact]:
        """Facts matching a pattern, of ``kind``, with evidence overlapping one of ``spans``."""
        return [f for f in self.a.facts if f.kind == kind and f.evidence is not None
                and f.evidence.start is not None and f.evidence.end is not None
                and any(f.evidence.start < e and s < f.evidence.end for s, e in spans)
                and self.fact(pattern, f)]


def describe(fact: Fact) -> str:
    span = f"[{fact.evidence.start}-{fact.evidence.end})" if fact.evidence else "[-]"
    values = json.dumps(fact.values, ensure_ascii=False)[:150]
    return f"{fact.type} {fact.kind} {fact.rule} {span} {values}"


def overlaps(fact: Fact, spans: list[list[int]]) -> bool:
    ev = fact.evidence
    return ev is not None and ev.start is not None and ev.end is not None and any(
        ev.start < e and s < ev.end for s, e in spans)


def check(check: dict[str, Any], a: Announcement) -> list[str]:
    """Violations of one must-not-assert check of the gold file."""
    kind = check["check"]
    facts = a.facts
    bad: list[Fact] = []
    if kind == "metadata_absent":
        return [f"{name} = {getattr(a, name)!r}" for name in check["fields"]
                if getattr(a, name) is not None]
    if kind == "forbidden_fields":
        bad = [f for f in facts if f.type == check["type"]
               and any(n in f.values for n in check["fields"])]
    elif kind == "relation_objects":
        bad = [f for f in facts if f.type == "relation" and f.values["subject"] == check["subject"]
               and f.values["property"] == check["property"]
               and f.values["object"] not in check["allowed"]]
    elif kind == "relation_subjects":
        bad = [f for f in facts if f.type == "relation" and f.values["object"] == check["object"]
               and f.values["property"] == check["property"]
               and f.values["subject"] not in check["allowed"]]
    elif kind == "allowed_values":
        bad = [f for f in facts if f.type in check["types"] and check["field"] in f.values
               and f.values[check["field"]] not in check["allowed"]]
    elif kind == "unresolved_index":
        bad = [f for f in facts if f.type == "ranking" and not isinstance(f.values["index"], dict)]
    elif kind == "forbidden_value":
        def holds(v: Any) -> bool:
            if isinstance(v, list):
                return any(holds(x) for x in v)
            return v == check["value"] or (isinstance(v, str) and v.endswith(":" + check["value"]))
        bad = [f for f in facts if f.type in check["types"] and any(holds(v)
                                                                    for v in f.values.values())]
    elif kind == "no_overlap":
        types = check["types"]
        bad = [f for f in facts if (types == "all" or f.type in types)
               and overlaps(f, check["spans"])]
    elif kind == "not_initiative":
        name = search_key(check["name"])
        bad = [f for f in facts if f.type == "initiative" and any(
            name in search_key(str(n)) for n in dict(f.values.get("names", {})).values())]
        bad += [f for f in facts if f.type == "relation" and f.values["subject"] == check["subject"]
                and f.values["property"] in check["properties"]]
        bad += [f for f in facts if f.type == "platform" and "launched" in f.values]
    elif kind == "claims_only":
        bad = [f for f in facts if f.kind != "claim" and overlaps(f, check["spans"])]
    else:
        raise AssertionError(f"unknown check {kind!r}")
    return [describe(f) for f in bad]


# ---- the seed ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def gold() -> dict[str, Any]:
    return json.loads(GOLD.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def seed() -> Announcement:
    data = gold()
    raw = (ROOT / data["source"]).read_text(encoding="utf-8")
    return extract_announcement(raw, path=data["source"], gazetteer=gazetteer(),
                                source_id=data["source_id"], publisher=data["publisher"])


def test_gold_quotes_sit_at_their_offsets() -> None:
    raw = (ROOT / gold()["source"]).read_text(encoding="utf-8")
    for fact in gold()["facts"]:
        start, end = fact["span"]
        assert raw[start:end] == fact["quote"], fact["id"]


def test_seed_recall_of_required_facts_is_complete() -> None:
    a = seed()
    matcher = Matcher(a, gazetteer())
    rows, missing = [], []
    for fact in gold()["facts"]:
        span = [tuple(fact["span"])]
        for pattern in fact["expect"]:
            hits = matcher.found(pattern, span, fact["kind"])  # type: ignore[arg-type]
            rows.append((fact["id"], pattern["type"], fact["kind"], len(hits), fact["what"]))
            if not hits:
                same_type = [describe(f) for f in a.facts if f.type == pattern["type"]
                             and overlaps(f, [fact["span"]])]
                missing.append(f"{fact['id']} {json.dumps(pattern, ensure_ascii=False)}\n"
                               f"      overlapping facts of that type: {same_type or 'none'}")
    found = sum(1 for fact in gold()["facts"] if all(
        matcher.found(p, [tuple(fact["span"])], fact["kind"])  # type: ignore[arg-type]
        for p in fact["expect"]))
    table = "\n".join(f"  {gid:5} {t:14} {k:8} {'ok' if n else 'MISSING':7} {what}"
                      for gid, t, k, n, what in rows)
    total = len(gold()["facts"])
    assert not missing, (f"recall {found}/{total} of the R facts (plus metadata)\n{table}\n"
                         "missing:\n  " + "\n  ".join(missing))


@pytest.mark.parametrize("index", range(len(gold()["checks"])),
                         ids=[f"{c['id']}-{c['check']}" for c in gold()["checks"]])
def test_seed_asserts_nothing_it_must_not(index: int) -> None:
    spec = gold()["checks"][index]
    violations = check(spec, seed())
    assert not violations, f"{spec['id']} ({spec['what']}):\n  " + "\n  ".join(violations)


def test_seed_metadata() -> None:
    a, meta = seed(), gold()["metadata"]
    assert a.publisher == meta["A1"]["publisher"]
    assert a.language == meta["A2"]["language"]
    start, end = meta["A3"]["span"]
    assert a.title == a.text[start:end] == meta["A3"]["quote"]  # type: ignore[index]
    assert a.issued is None and a.url is None
    assert a.sha256 == meta["A7"]["sha256"]
    assert a.id == gold()["source_id"]
    assert a.genre == "news"


def test_every_fact_has_exact_evidence_a_rule_and_a_kind() -> None:
    a = seed()
    assert a.text is not None
    for fact in a.facts:
        ev = fact.evidence
        assert ev is not None and ev.start is not None and ev.end is not None
        assert a.text[ev.start:ev.end] == ev.quote, describe(fact)
        assert fact.rule and fact.kind in KINDS, describe(fact)


def test_metadata_comes_from_the_arguments_only() -> None:
    raw = (ROOT / gold()["source"]).read_text(encoding="utf-8")
    given = extract_announcement(raw, path="seed.txt", gazetteer=gazetteer(),
                                 source_id="e8c76b1901d040da", publisher="ma/mtnra",
                                 url="https://www.mmsp.gov.ma/ar/news/example", issued="2026-02-04")
    assert (given.publisher, given.url, given.issued) == (
        "ma/mtnra", "https://www.mmsp.gov.ma/ar/news/example", "2026-02-04")
    bare = extract_announcement(raw, path="seed.txt", gazetteer=gazetteer())
    assert (bare.publisher, bare.url, bare.issued, bare.retrieved) == ("", None, None, None)
    # the body's years (2025, 2026) and its «date icon» are not dates of issue
    assert all("issued" not in f.values for f in bare.facts)
    # without a publisher, the announcement's own evaluation (C8) has no author and is left out
    assert not [f for f in bare.facts if f.type == "claim" and f.values["author"] == "ma/mtnra"]
    # the id is the sha256 of the text when there is no URL, of the URL when there is one
    assert bare.id == given.sha256[:16]  # type: ignore[index]
    with_url = extract_announcement(raw, path="seed.txt", gazetteer=gazetteer(),
                                    url="https://example.org/a")
    assert with_url.id != bare.id and with_url.url == "https://example.org/a"


def test_seed_draft_is_a_valid_record_that_maps_to_graphs() -> None:
    from govgraph.ingest.records import record_validator
    from govgraph.model.mapping import ReferenceIndex, to_graphs

    draft = to_draft_dict(seed(), text_path="e8c76b1901d040da.txt")
    errors = sorted(record_validator().iter_errors(draft), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errors)
    assert all({"evidence", "kind", "rule"} <= set(f) for f in draft["facts"])
    assertions, provenance = to_graphs(seed(), ReferenceIndex.from_graph(reference_graph()))
    assert len(assertions) > 100 and len(provenance) > 100


def test_extraction_is_deterministic() -> None:
    raw = (ROOT / gold()["source"]).read_text(encoding="utf-8")
    again = extract_announcement(raw, path=gold()["source"], gazetteer=gazetteer(),
                                 source_id=gold()["source_id"], publisher=gold()["publisher"])
    assert to_draft_dict(again) == to_draft_dict(seed())
