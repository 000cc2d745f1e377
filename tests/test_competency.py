"""The twelve competency questions (shared/seeds/README.md), answered by the catalogue queries.

The graph is built once for the module with `govgraph build`, as `make run` builds it, and each
question's query in queries/ is run on it. The expected answers come from the sources: the seed
announcement (shared/seeds/GOLD.md) and the curated records of data/announcements/, which state
what data/sources/dco-facts.md says. Announcements are recognised by their URL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govgraph.config import REPO_ROOT
from govgraph.store import EmbeddedStore

ID = "https://w3id.org/govgraph/id/"
GG = "https://w3id.org/govgraph/ns#"
ORG = "http://www.w3.org/ns/org#"
RDF_STATEMENT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
SCHEMA_CLAIM = "http://schema.org/Claim"
SEED = ID + "doc/ma-mtnra/e8c76b1901d040da"
SEED_TEXT = REPO_ROOT / "data" / "announcements" / "ma-mtnra" / "e8c76b1901d040da.txt"
EXPLICIT, INFERRED, CLAIM = (
    ID + "concept/assertion-kind/" + kind for kind in ("explicit", "inferred", "claim")
)
MINISTER = ID + "person/amal-el-fallah-seghrouchni"
POST = ID + "post/ma/minister-delegate-digital-transition-administrative-reform"

# URLs of curated announcements (data/sources/dco-facts.md)
DAILY_PAKISTAN_2026 = "https://en.dailypakistan.com.pk/07-Feb-2026/"
CHALLENGE_2025 = "https://www.challenge.ma/le-maroc-elu-au-comite-executif"
DETAFOUR = "https://detafour.com/"
NORTHAFRICAPOST_2026 = "https://northafricapost.com/94037-"
COMPLETEAITRAINING = "https://completeaitraining.com/"
FINTECH_TIMES = "https://thefintechtimes.com/"

Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def built_store(full_build: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore.open_read_only(full_build)
    yield store
    store.close()


@pytest.fixture(scope="module")
def run(built_store: EmbeddedStore) -> Callable[[str], Rows]:
    """Run queries/<name>.rq; every value as a string, IRIs in full."""

    def select(name: str) -> Rows:
        text = (REPO_ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        return [{k: str(v) for k, v in row.items()} for row in built_store.select(text)]

    return select


def country(code: str) -> str:
    return ID + "country/" + code


def from_url(row: dict[str, str], prefix: str) -> bool:
    return row.get("url", "").startswith(prefix)


def values_by(rows: Rows, key: str, value: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if value in row:
            found[row[key]].add(row[value])
    return dict(found)


# Q1 --------------------------------------------------------------------------------------------


def test_q1_morocco_elected_to_the_2026_executive_committee_first_by_votes(run) -> None:
    rows = run("excom_2026_members")
    seed = [r for r in rows if r["doc"] == SEED]
    assert [(r["code"], r["outcome"], r["rank_by_votes"], r["first_by_votes"]) for r in seed] == [
        ("MA", ID + "concept/election-outcome/elected", "1", "true")
    ]
    assert seed[0]["name_ar"] == "المغرب" and seed[0]["name_en"] == "Morocco"
    # Only Morocco came first, in every announcement that gives a rank (GOLD C6; MAP, lodj).
    assert {r["code"] for r in rows if r["first_by_votes"] == "true"} == {"MA"}
    assert rows[0]["code"] == "MA" and rows[0]["first_by_votes"] == "true"
    # The seed does not say Kuwait was elected (GOLD N6).
    assert not [r for r in seed if r["code"] == "KW"]
    # The committee as formed at the 5th GA (Daily Pakistan, dco-facts E2026): chaired by SA.
    committee = {r["code"]: r.get("role", "") for r in rows if from_url(r, DAILY_PAKISTAN_2026)}
    member = ID + "concept/role/member-state"
    assert committee == {
        "GH": member, "RW": member, "DJ": member, "PK": member, "KW": member, "MA": member,
        "SA": ID + "concept/role/chair",
    }


# Q2 --------------------------------------------------------------------------------------------


def test_q2_morocco_sits_on_the_executive_committee_for_a_second_consecutive_term(run) -> None:
    rows = [r for r in run("consecutive_terms") if r["code"] == "MA"]
    seed = {r["from_year"]: r for r in rows if r["doc"] == SEED}
    assert seed["2026"]["consecutive_term"] == "2"
    assert seed["2026"]["kind"] == EXPLICIT
    assert seed["2026"]["terms_on_record"] == "2"
    # The 2025 seat is only implied by "for the second year in a row" (GOLD C5) ...
    assert seed["2025"]["kind"] == INFERRED and seed["2025"]["consecutive_term"] == "1"
    # ... and is stated outright by the 2025 announcements (challenge.ma, dco-facts MA2).
    assert any(r["from_year"] == "2025" and r["kind"] == EXPLICIT and from_url(r, CHALLENGE_2025)
               for r in rows)
    # No announcement gives another number for 2026.
    assert {r["consecutive_term"] for r in rows if r["from_year"] == "2026"
            and "consecutive_term" in r} == {"2"}


# Q3 --------------------------------------------------------------------------------------------


def test_q3_where_and_when_each_general_assembly_session_was_held(run) -> None:
    rows = run("assembly_sessions")
    seed = [r for r in rows if r["doc"] == SEED]
    # The seed: the 5th session is hosted by Kuwait, with no date or city (GOLD D3, N2).
    assert [(r["ordinal"], r["host"], r.get("start"), r.get("end")) for r in seed] == [
        ("5", country("KW"), None, None)
    ]
    # Every source agrees on the host country of each session (dco-facts §4).
    assert values_by(rows, "ordinal", "host") == {
        "2": {country("SA")}, "3": {country("BH")}, "4": {country("JO")},
        "5": {country("KW")}, "6": {country("PK")},
    }
    assert values_by(rows, "ordinal", "start") == {
        "2": {"2023-02-05"}, "3": {"2024-01-31"}, "4": {"2025-02-19"}, "5": {"2026-02-04"},
        "6": {"2027"},
    }
    assert values_by(rows, "ordinal", "end") == {"5": {"2026-02-05"}}
    assert all(r["disputed"] == "false" for r in rows)
    assert all(r["doc"].startswith(ID + "doc/") for r in rows)
    assert all(r.get("url") for r in rows if r["doc"] != SEED)


def test_q3_the_4th_session_venue_dispute_is_in_the_evidence(run) -> None:
    # Dead Sea, Amman or "Red Sea" (dco-facts G1) are all in Jordan: the sources agree on the
    # country, and the venue each names is kept in its evidence note.
    session = ID + "event/dco/general-assembly/4"
    notes = [r["note"] for r in run("fact_evidence")
             if from_url(r, FINTECH_TIMES) and r.get("subject") == session]
    assert notes and all("Red Sea" in note for note in notes)


# Q4 --------------------------------------------------------------------------------------------


def test_q4_the_minister_delegate_represented_morocco_at_the_5th_general_assembly(run) -> None:
    session = ID + "event/dco/general-assembly/5"
    rows = [r for r in run("representatives")
            if r["session"] == session and r.get("country") == country("MA")]
    seed = [r for r in rows if r["doc"] == SEED]
    assert len(seed) == 1
    (row,) = seed
    assert row["person"] == MINISTER
    assert row["person_en"] == "Amal El Fallah Seghrouchni"
    assert row["person_ar"] == "أمل الفلاح السغروشني"
    assert row["role"] == ID + "concept/role/country-representative"
    assert row["post"] == POST
    assert row["post_en"] == ("Minister Delegate to the Head of Government in charge of Digital "
                              "Transition and Administrative Reform")
    assert row["post_ar"] == ("الوزيرة المنتدبة لدى رئيس الحكومة المكلفة بالانتقال الرقمي "
                              "وإصلاح الإدارة")
    assert row["organ_en"] == "DCO General Assembly" and row["ordinal"] == "5"
    # No announcement names anyone else as Morocco's representative at that session.
    assert {r["person"] for r in rows} == {MINISTER}


# Q5 --------------------------------------------------------------------------------------------


def test_q5_d4sd_was_launched_by_morocco_with_undp(run) -> None:
    rows = run("initiatives_with_partners")
    seed = {(r["initiative"], r["partner"], r.get("launched_by"), r.get("kind"))
            for r in rows if r["doc"] == SEED}
    assert seed == {(ID + "initiative/ma/d4sd", ID + "org/undp", country("MA"), EXPLICIT)}
    d4sd = next(r for r in rows if r["doc"] == SEED)
    assert d4sd["initiative_alt"] == "D4SD"
    assert d4sd["partner_en"] == "United Nations Development Programme"
    assert d4sd["partner_ar"] == "برنامج الأمم المتحدة الإنمائي"
    # Morocco's only initiative with a partner, whatever the source; never the Jazari network
    # or Jazari Root with UNDP (GOLD N5).
    moroccan = {(r["initiative"], r["partner"]) for r in rows
                if r.get("launched_by") == country("MA")}
    assert moroccan == {(ID + "initiative/ma/d4sd", ID + "org/undp")}
    assert len({r["doc"] for r in rows}) > 1  # also stated by UNDP and the press


# Q6 --------------------------------------------------------------------------------------------


def test_q6_jazari_root_is_the_core_of_the_jazari_network_and_its_components(run) -> None:
    network = ID + "initiative/ma/jazari-institutes-network"
    rows = [r for r in run("jazari_core") if r["initiative"] == network]
    assert {r["core"] for r in rows} == {ID + "platform/ma/jazari-root"}
    assert any(r["doc"] == SEED and r["property"] == GG + "hasCore" for r in rows)
    components = {r["component"] for r in rows if r["doc"] == SEED and "component" in r}
    assert components == {
        ID + "concept/component/" + key for key in ("data-platform", "advanced-computing",
                                                     "shared-tools")
    }
    row = rows[0]
    assert row["core_en"] == "Jazari Root"
    assert row["initiative_ar"] == "شبكة معاهد الجزري"
    assert "منصات بيانات" in row["core_description"]


# Q7 --------------------------------------------------------------------------------------------


def test_q7_morocco_advanced_14_places_in_2025_as_the_seed_says(run) -> None:
    rows = [r for r in run("rank_changes") if r["entity"] == country("MA") and r["year"] == "2025"]
    seed = [r for r in rows if r["doc"] == SEED]
    assert len(seed) == 1
    (row,) = seed
    assert row["rank_delta"] == "14"
    assert row["reported_by"] == MINISTER and row["reported_in"].startswith(ID + "speech/")
    # The seed names no index and no absolute rank (GOLD F2, N4).
    assert row["index"].startswith(ID + "index/unresolved/")
    assert row["index_ar"] == "مؤشرات الجاهزية في حكامة الذكاء الاصطناعي"
    assert "rank" not in row
    # Other announcements give the same +14 in the Government AI Readiness Index (dco-facts R5).
    gairi = [r for r in rows if r["index"] == ID + "index/government-ai-readiness-index"]
    assert {r["rank_delta"] for r in gairi} == {"14"}
    for prefix in (DETAFOUR, NORTHAFRICAPOST_2026, COMPLETEAITRAINING):
        assert any(from_url(r, prefix) for r in gairi), prefix


# Q8 --------------------------------------------------------------------------------------------


def test_q8_council_presidency_by_year(run) -> None:
    rows = run("council_presidencies")
    assert values_by(rows, "from_year", "code") == {
        "2021": {"SA"}, "2023": {"BH"}, "2024": {"JO"}, "2025": {"KW"}, "2026": {"PK"},
        "2027": {"SA"},
    }
    assert {r.get("to_year") for r in rows if r["from_year"] == "2021"} == {"2022"}
    assert values_by(rows, "from_year", "chair_en") == {
        "2021": {"Abdullah Al-Swaha"}, "2023": {"Mohammed bin Thamer Al Kaabi"},
        "2025": {"Omar Saud Al-Omar"}, "2026": {"Shaza Fatima Khawaja"},
    }
    assert all(r.get("url") for r in rows)


# Q9 --------------------------------------------------------------------------------------------


def test_q9_when_each_member_state_joined_the_dco(run) -> None:
    rows = run("accessions")
    assert values_by(rows, "code", "start") == {
        "BH": {"2020-11-26"}, "JO": {"2020-11-26"}, "KW": {"2020-11-26"}, "PK": {"2020-11-26"},
        "SA": {"2020-11-26"},
        "NG": {"2021-04-12"}, "OM": {"2020-11", "2021-04-12"},  # dco-facts M5
        "RW": {"2021-12"}, "MA": {"2022-04"}, "DJ": {"2022-05"}, "CY": {"2022-07-27"},
        "GH": {"2023-02"}, "GM": {"2023-02"},
        "BD": {"2023-09", "2024-01-31"}, "QA": {"2023-09", "2023-12", "2024-01-31"},
        "GR": {"2024-01-31"},
    }
    founders = {"BH", "JO", "KW", "PK", "SA", "NG", "OM", "RW"}
    founding = ID + "concept/role/founding-member"
    assert {r["code"] for r in rows if r.get("role") == founding} == founders
    # The seed only implies that Morocco is a member state (GOLD C7), with no date.
    seed = [r for r in rows if r["doc"] == SEED]
    assert [(r["code"], r["kind"], r.get("start")) for r in seed] == [("MA", INFERRED, None)]
    assert rows[-1]["doc"] == SEED  # undated memberships come last


# Q10 -------------------------------------------------------------------------------------------


def test_q10_announcements_disagree_on_the_2025_ai_readiness_rank(run) -> None:
    rows = run("conflicts")
    rank = [r for r in rows if r["property"] == GG + "rank"
            and r["topic"] == "ranking of country/MA in index/government-ai-readiness-index, 2025"]
    by_value = values_by(rank, "value", "url")
    assert set(by_value) == {"86", "87"}  # dco-facts R6
    assert all(url.startswith(COMPLETEAITRAINING) for url in by_value["86"])
    assert any(url.startswith(DETAFOUR) for url in by_value["87"])
    assert any(url.startswith(NORTHAFRICAPOST_2026) for url in by_value["87"])


def test_q10_announcements_disagree_on_accession_dates(run) -> None:
    rows = run("conflicts")
    starts = values_by([r for r in rows if r["property"] == "http://schema.org/startDate"],
                       "topic", "value")
    assert starts["membership of country/OM in org/dco"] == {"2020-11", "2021-04-12"}
    assert starts["membership of country/BD in org/dco"] == {"2023-09", "2024-01-31"}
    # A value that only refines another is no disagreement; every disputed point has two
    # sources or more.
    for rows_of_point in values_by(rows, "topic", "doc").values():
        assert len(rows_of_point) >= 2


# Q11 -------------------------------------------------------------------------------------------


def test_q11_the_seed_states_moroccos_excom_seat_in_these_words(run) -> None:
    rows = run("fact_evidence")
    member_of = [r for r in rows if r["doc"] == SEED and r["fact_type"] == RDF_STATEMENT
                 and r.get("subject") == country("MA") and r.get("predicate") == ORG + "memberOf"
                 and r.get("object") == ID + "org/dco/executive-committee"
                 and r["kind"] == EXPLICIT]
    assert [(r["quote"], r["start"], r["end"]) for r in member_of] == [(
        "للسنة الثانية على التوالي، تم انتخاب المملكة المغربية عضوا في اللجنة التنفيذية "
        "لـمنظمة التعاون الرقمي برسم سنة 2026", "294", "409",
    )]


def test_q11_every_seed_quote_sits_at_its_offsets(run) -> None:
    text = Path(SEED_TEXT).read_text(encoding="utf-8")
    seed = [r for r in run("fact_evidence") if r["doc"] == SEED]
    assert len(seed) > 60
    for row in seed:
        assert text[int(row["start"]):int(row["end"])] == row["quote"], row["fact"]


def test_q11_curated_facts_without_text_carry_a_note_and_a_source(run) -> None:
    curated = [r for r in run("fact_evidence") if r["doc"] != SEED]
    assert curated
    assert all(r.get("note") and r.get("evidence_source") for r in curated if "quote" not in r)


# Q12 -------------------------------------------------------------------------------------------


def test_q12_the_seed_has_explicit_inferred_and_claimed_facts(run) -> None:
    by_kind = {r["kind"]: r for r in run("facts_by_kind") if r["doc"] == SEED}
    assert set(by_kind) == {EXPLICIT, INFERRED, CLAIM}
    assert all(int(r["facts"]) > 0 for r in by_kind.values())
    # The eight claims (GOLD C8, E3, E4, E6, G4, H3-H5) are schema:Claim nodes; nothing else is.
    assert by_kind[CLAIM]["facts"] == by_kind[CLAIM]["schema_claims"] == "8"
    assert by_kind[EXPLICIT]["schema_claims"] == by_kind[INFERRED]["schema_claims"] == "0"
    claim = by_kind[CLAIM]
    assert (claim["example_start"], claim["example_end"]) == ("710", "809")  # GOLD C8
    assert claim["example_quote"].startswith("وهو ما يعكس الثقة")
    assert by_kind[EXPLICIT]["example_start"] == "294"
    assert by_kind[CLAIM]["kind_en"] == "claim"


def test_q12_which_seed_facts_are_inferred(run) -> None:
    rows = [r for r in run("fact_evidence") if r["doc"] == SEED]
    inferred = {(r["subject"], r["predicate"], r["object"]) for r in rows
                if r["kind"] == INFERRED and r["fact_type"] == RDF_STATEMENT}
    session = ID + "event/dco/general-assembly/5"
    assert {
        (country("MA"), ORG + "memberOf", ID + "org/dco"),  # GOLD C7
        (session, "http://schema.org/location", country("KW")),  # D4
        (session, "http://schema.org/organizer", ID + "org/dco"),  # D5
        (ID + "initiative/ma/d4sd", GG + "launchedBy", country("MA")),  # G3
        (ID + "initiative/ma/jazari-institutes-network", GG + "launchedBy", country("MA")),  # G7
    } <= inferred
    # Stated outright, not inferred: the host (D3) and the partner (G2).
    explicit = {(r.get("subject"), r.get("predicate")) for r in rows if r["kind"] == EXPLICIT}
    assert (session, GG + "hostedBy") in explicit
    assert (ID + "initiative/ma/d4sd", GG + "partner") in explicit
    assert {r["fact_type"] for r in rows if r["kind"] == CLAIM} == {SCHEMA_CLAIM}
