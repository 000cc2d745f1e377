"""Fact rules: cue phrases of the lexicon plus resolved mentions -> facts with evidence.

Layer: extract. Input: a :class:`Context` holding the document, its body sentences, resolved
mentions, the gazetteer, the lexicon and language pack. Output: :class:`~govgraph.model.records.
Fact` records (and :class:`~govgraph.model.records.Person` records) in ``Context.facts``.
Imports: the standard library, govgraph.model, this package.

Every rule is a function ``rule_<name>(ctx, s)`` run on each body sentence in text order (see
:data:`RULES`); it writes the name of the pattern that fired on each fact (``rule:``, e.g.
``election``, ``vote-rank``, ``consecutive-term-implied``), which tests/data/extract/README.md
tabulates. A rule reads its cues from the lexicon (``cues.<name>``), never words spelled in
code, so one rule serves the three languages. Evidence spans are token spans of the raw text:
the cue and the mentions the fact rests on, cut at clause boundaries so that a fact never
quotes the claim next to it.

Kinds follow shared/seeds/GOLD.md: what the text states is ``explicit``; what it implies (a
previous term from "second consecutive year", the host as location, membership of the parent
organization, a passive "was launched" by the announcing country) is ``inferred``; evaluations
and what a speaker asserts are ``claim`` facts, never bare facts.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from govgraph.extract.language import LanguagePack
from govgraph.extract.lexicon import CueMatch, Lexicon, TokenLine
from govgraph.extract.mentions import NAME_KINDS, Mention, Mentions
from govgraph.extract.normalize import Document, Sentence
from govgraph.model.gazetteer import Gazetteer
from govgraph.model.records import Evidence, Fact, Person
from govgraph.model.text import slugify

__all__ = ["Context", "RULES", "run_rules", "slugify"]


log = logging.getLogger(__name__)

_CLAUSE_BREAKS = frozenset(",;:\u060c\u061b")
_OPENERS = {"(": ")", "\u201c": "\u201d", "\u00ab": "\u00bb", "\"": "\"", "[": "]"}


@dataclass
class Frame:
    """Who is speaking in the sentences being read: a speech, or a film being shown."""

    kind: str
    fact_id: str
    speaker: str | None = None
    """Agent reference of the speaker (``person:<key>``), None for a film."""


@dataclass
class View:
    """One sentence as the rules see it."""

    index: int
    sentence: Sentence
    mentions: list[Mention]
    concepts: list[tuple[int, int, str, str]]
    line: TokenLine
    cues: dict[str, list[CueMatch]] = field(default_factory=dict)

    @property
    def first(self) -> int:
        return self.sentence.first

    @property
    def last(self) -> int:
        return self.sentence.last


class Context:
    """The state of one extraction: what was found so far, and what is being talked about."""

    def __init__(self, doc: Document, sentences: list[Sentence], mentions: Mentions,
                 gazetteer: Gazetteer, lex: Lexicon, pack: LanguagePack, *, source_id: str,
                 publisher: str | None) -> None:
        self.doc = doc
        self.sentences = sentences
        self.mentions = mentions
        self.gazetteer = gazetteer
        self.lex = lex
        self.pack = pack
        self.source_id = source_id
        self.id8 = source_id[:8]
        self.publisher = publisher
        self.facts: list[Fact] = []
        self.people: dict[str, Person] = {}
        self._person_keys: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._name_keys: dict[int, str] = {}
        self._emitted: set[Any] = set()
        self.session: str | None = None
        self.election: dict[str, Any] | None = None
        self.frame: Frame | None = None
        self.last_person: str | None = None
        self.last_ranking: str | None = None
        self.last_video: str | None = None
        self.last_agreement: str | None = None
        self.last_initiative: str | None = None
        self.presentation: dict[str, Any] | None = None
        self.claimed: list[tuple[int, int]] = []
        self.country = self._publisher_country()
        self.represents: dict[str, str] = {}
        """Person key -> the country they represent (from representation facts)."""

    # ---- ids, keys, references ---------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return f"{prefix}{self._counters[prefix]}"

    def _publisher_country(self) -> str | None:
        if not self.publisher or "/" not in self.publisher:
            return None
        code = self.publisher.split("/", 1)[0].upper()
        return code if self.gazetteer.has("country", code) else None

    def person_key(self, mention: Mention) -> str | None:
        """The key of the person a person mention (or a resolved anaphor) means."""
        origin = mention
        while origin.kind == "anaphor":
            antecedent = origin.data.get("antecedent")
            if antecedent is None:
                return None
            origin = antecedent
        if origin.kind != "person":
            return None
        if origin.key:
            return origin.key
        name = str(origin.data["name"])
        name_start = int(origin.data.get("name_start", origin.first))
        name_end = int(origin.data.get("name_end", origin.last))
        folded = " ".join(t.key for t in self.doc.tokens[name_start:name_end])
        known = self._person_keys.get(folded)
        if known is None:
            # a repeat by surname ("Ms. Al-Rawahi" after "Ms. Huda Al-Rawahi") is the same person
            words = folded.split()
            known = next((k for name, k in self._person_keys.items()
                          if len(words) < len(name.split())
                          and name.split()[-len(words):] == words), None)
        if known:
            self._person_keys[folded] = known
            return known
        latin = origin.data.get("latin")
        if latin:
            key = slugify(str(latin))
        else:
            key = f"{self.id8}-person-{len(self.people) + 1}"
        names = {str(origin.data.get("lang", self.lex.language)): name}
        if latin and latin != name:
            names["en"] = str(latin)
        if key in self.people:
            merged = {**self.people[key].names, **names}
            self.people[key] = Person(key, merged)
        else:
            self.people[key] = Person(key, names)
        self._person_keys[folded] = key
        return key

    def agent(self, mention: Mention | None) -> str | None:
        """An agent field value: ``MA``, ``dco``, ``person:<key>``."""
        if mention is None:
            return None
        target = mention.target()
        if target == "person":
            key = self.person_key(mention)
            return f"person:{key}" if key else None
        if target in ("country", "org") and mention.key:
            return mention.key
        return None

    def ref(self, mention: Mention) -> str | None:
        """A typed reference: ``country:MA``, ``org:dco``, ``initiative:ma/d4sd`` ..."""
        target = mention.target()
        if target in ("country", "org", "post", "index") and mention.key:
            return f"{target}:{mention.key}"
        if target == "person":
            key = self.person_key(mention)
            return f"person:{key}" if key else None
        if target == "session" and mention.key:
            return f"event:{mention.key}"
        origin = self.name_origin(mention)
        if origin is not None and origin.kind in NAME_KINDS:
            return f"{origin.kind}:{self.name_key(origin)}"
        return None

    def name_origin(self, mention: Mention) -> Mention | None:
        """The introducing mention of an initiative, framework, platform or quoted name."""
        current: Mention | None = mention
        for _ in range(4):
            if current is None:
                return None
            if current.data.get("origin") is not None:
                current = current.data["origin"]
            elif current.kind == "anaphor":
                current = current.data.get("antecedent")
            else:
                break
        if current is not None and current.kind in (*NAME_KINDS, "name"):
            return current
        return None

    def frame_country(self) -> str | None:
        """The country the current speaker represents, else the publisher's country."""
        if self.frame and self.frame.speaker and self.frame.speaker.startswith("person:"):
            country = self.represents.get(self.frame.speaker.split(":", 1)[1])
            if country:
                return country
        return self.country

    def name_key(self, origin: Mention, country: str | None = None) -> str:
        """The key of an introduced name: the slug of its acronym or Latin name, else
        ``<source-id8>-<kind>-<n>``, under the launching country (``ma/d4sd``)."""
        key = self._name_keys.get(id(origin))
        if key:
            return key
        code = (country or self.frame_country() or "").lower()
        latin = origin.data.get("acronym") or origin.data.get("latin")
        if latin:
            local = slugify(str(latin))
        else:
            number = self.next_id("#" + origin.kind)[len(origin.kind) + 1:]
            local = f"{self.id8}-{origin.kind}-{number}"
        key = f"{code}/{local}" if code else local
        self._name_keys[id(origin)] = key
        return key

    # ---- facts ---------------------------------------------------------------------------

    def evidence(self, first: int, last: int) -> Evidence:
        """Evidence for tokens ``[first, last)``: a bracket or quote opened inside is closed."""
        start, end = self.doc.span(first, last)
        quote = self.doc.raw[start:end]
        for opener, closer in _OPENERS.items():
            if quote.count(opener) > quote.count(closer) if opener != closer else \
                    quote.count(opener) % 2:
                following = self.doc.raw[end:end + 2]
                position = following.find(closer)
                if position >= 0:
                    end += position + 1
                    quote = self.doc.raw[start:end]
        return Evidence(quote=quote, start=start, end=end)

    def add(self, type_: str, values: dict[str, Any], first: int, last: int, *, rule: str,
            kind: str = "explicit", fact_id: str | None = None) -> Fact:
        clean = {k: v for k, v in values.items() if v is not None and v != [] and v != {}}
        fact = Fact(type=type_, values=clean, evidence=self.evidence(first, last), kind=kind,
                    id=fact_id, rule=rule)
        self.facts.append(fact)
        if kind == "claim":
            self.claimed.append((first, last))
        return fact

    def once(self, *key: Any) -> bool:
        """True the first time a key is seen (to emit a fact once)."""
        if key in self._emitted:
            return False
        self._emitted.add(key)
        return True

    # ---- reading sentences -----------------------------------------------------------------

    def view(self, index: int) -> View:
        sentence = self.sentences[index]
        keys = [t.key for t in self.doc.tokens[sentence.first:sentence.last]]
        return View(index, sentence, self.mentions.by_sentence[index],
                    self.mentions.concepts[index], TokenLine(keys, offset=sentence.first))

    def cues(self, s: View, name: str) -> list[CueMatch]:
        if name not in s.cues:
            s.cues[name] = self.lex.cue(name).finditer(s.line)
        return s.cues[name]

    def clause(self, s: View, token: int) -> tuple[int, int]:
        """Tokens of the clause holding ``token``: between commas, semicolons and colons."""
        first = token
        while first > s.first and not self._breaks(first - 1):
            first -= 1
        last = token
        while last < s.last - 1 and not self._breaks(last):
            last += 1
        return first, last + 1

    def _breaks(self, index: int) -> bool:
        return any(c in _CLAUSE_BREAKS for c in self.doc.between(index))

    def of(self, s: View, *targets: str, lo: int | None = None, hi: int | None = None,
           resolved: bool = True) -> list[Mention]:
        """Mentions of a sentence whose target kind is one of ``targets`` in ``[lo, hi)``."""
        lo = s.first if lo is None else lo
        hi = s.last if hi is None else hi
        return [m for m in s.mentions if m.target() in targets and m.first >= lo and m.last <= hi
                and (not resolved or m.key is not None or m.target() in ("person",)
                     and self.person_key(m) is not None)]

    def demonyms(self, s: View) -> list[Mention]:
        """Country adjectives of a sentence («المغربي» -> MA), as country mentions."""
        return [m for m in s.mentions if m.kind == "demonym"]

    def concepts(self, s: View, scheme: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        return [(f, lt, k) for f, lt, sc, k in s.concepts if sc == scheme and f >= lo and lt <= hi]

    def text(self, first: int, last: int) -> str:
        start, end = self.doc.span(first, last)
        return self.doc.raw[start:end]

    def overlaps_claim(self, first: int, last: int) -> bool:
        return any(first < b and a < last for a, b in self.claimed)

    # ---- numbers, years, dates -------------------------------------------------------------

    def years(self, s: View, lo: int | None = None, hi: int | None = None) -> list[int]:
        lo = s.first if lo is None else lo
        hi = s.last if hi is None else hi
        return [i for i in range(lo, hi) if re.fullmatch(r"(?:19|20)\d\d", self.doc.tokens[i].key)]

    def term(self, s: View, lo: int | None = None) -> tuple[str, int, int] | None:
        """A term: a year range ``2027-2030`` or one year after a term cue (``برسم سنة 2026``)."""
        years = [i for i in self.years(s, lo) if not self._in_date(s, i)]
        joins = self.lex.folded("cues.range_join") | {"-"}
        for a, b in zip(years, years[1:], strict=False):
            between = self.doc.raw[self.doc.tokens[a].end:self.doc.tokens[b].start]
            words = [t.key for t in self.doc.tokens[a + 1:b]]
            if b - a <= 2 and (between.strip() in ("-", "\u2013", "\u2014", "/") or
                               all(w in joins for w in words)):
                first_year = int(self.doc.tokens[a].key)
                last_year = int(self.doc.tokens[b].key)
                if last_year > first_year:
                    return f"{first_year}-{last_year}", a, b + 1
        intro_ends = {m.last for m in self.cues(s, "term_intro")}
        for year in years:
            if year in intro_ends or year - 1 in intro_ends:
                start = max((m.first for m in self.cues(s, "term_intro") if m.last <= year),
                            default=year)
                return self.doc.tokens[year].key, start, year + 1
        return None

    def _in_date(self, s: View, index: int) -> bool:
        return any(first <= index < last for first, last, _ in self.dates(s))

    def dates(self, s: View) -> list[tuple[int, int, str]]:
        """Dates of a sentence: (first token, last token, ``YYYY-MM-DD``)."""
        found = []
        tokens = self.doc.tokens
        for i in range(s.first, s.last):
            month = self.lex.months.get(tokens[i].key)
            if month is None:
                continue
            day_before = i - 1 >= s.first and tokens[i - 1].key.isdigit()
            year_after = i + 1 < s.last and re.fullmatch(r"(?:19|20)\d\d", tokens[i + 1].key)
            if day_before and year_after:
                day, year = int(tokens[i - 1].key), int(tokens[i + 1].key)
                first, last = i - 1, i + 2
            elif i + 2 < s.last and tokens[i + 1].key.isdigit() and \
                    re.fullmatch(r"(?:19|20)\d\d", tokens[i + 2].key):
                day, year, first, last = int(tokens[i + 1].key), int(tokens[i + 2].key), i, i + 3
            else:
                continue
            try:
                value = datetime.date(year, month, day).isoformat()
            except ValueError:
                log.warning("%s: not a real date: %r", self.source_id, self.text(first, last))
                continue
            found.append((first, last, value))
        return found


# ------------------------------------------------------------------------------------------
# helpers shared by rules
# ------------------------------------------------------------------------------------------

def _first(mentions: Iterable[Mention]) -> Mention | None:
    return next(iter(mentions), None)


def _nearest(mentions: list[Mention], token: int) -> Mention | None:
    return min(mentions, key=lambda m: (abs(m.first - token), m.first), default=None)


def _span(*parts: tuple[int, int] | Mention | CueMatch | None) -> tuple[int, int]:
    firsts, lasts = [], []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, tuple):
            firsts.append(part[0])
            lasts.append(part[1])
        else:
            firsts.append(part.first)
            lasts.append(part.last)
    return min(firsts), max(lasts)


def _speaker_frame(ctx: Context, speaker: str | None) -> str | None:
    """The speech a speaker is giving (``#s1``), when the frame is that speaker's speech."""
    if ctx.frame and ctx.frame.kind == "speech" and speaker and ctx.frame.speaker == speaker:
        return f"#{ctx.frame.fact_id}"
    return None


def _event_of(ctx: Context, s: View, lo: int | None = None, hi: int | None = None
              ) -> tuple[str | None, Mention | None]:
    """The event a sentence speaks of: a session, or the current session of a named organ."""
    sessions = ctx.of(s, "session", lo=lo, hi=hi)
    if sessions:
        return sessions[0].key, sessions[0]
    for organ in ctx.of(s, "org", lo=lo, hi=hi):
        if ctx.session and organ.key and ctx.session.startswith(organ.key + "/"):
            return ctx.session, organ
    return None, None


# ------------------------------------------------------------------------------------------
# rules
# ------------------------------------------------------------------------------------------

def rule_session_mention(ctx: Context, s: View) -> None:
    """A numbered session of an assembly organ; its host; where it was, who organized it."""
    for session in ctx.of(s, "session"):
        if session.kind != "session" or not ctx.once("session", session.key):
            continue
        organ, ordinal = session.data["organ"], session.data["ordinal"]
        ctx.session = session.key
        event = f"event:{session.key}"
        ctx.add("session", {"organ": organ, "ordinal": ordinal}, session.first, session.last,
                rule="session-mention")
        organizer = ctx.gazetteer.parent(organ)
        if organizer:
            ctx.add("relation", {"subject": event, "property": "schema:organizer",
                                 "object": f"org:{organizer}"}, session.first, session.last,
                    rule="session-organizer-implied", kind="inferred")
        for cue in ctx.cues(s, "host"):
            if cue.first < session.first:
                continue
            lo, hi = ctx.clause(s, cue.first)
            hosts = ctx.of(s, "country", lo=lo, hi=hi)
            if not hosts:
                continue
            first, last = _span((lo, hi), hosts[0])
            ctx.add("relation", {"subject": event, "property": "gg:hostedBy",
                                 "object": f"country:{hosts[0].key}"}, first, last,
                    rule="session-host")
            ctx.add("relation", {"subject": event, "property": "schema:location",
                                 "object": f"country:{hosts[0].key}"}, first, last,
                    rule="host-location-implied", kind="inferred")
            break


def rule_organ_of_org(ctx: Context, s: View) -> None:
    """An organ named with its organization: «الجمعية العامة للمنظمة» -> org:unitOf."""
    organs = [m for m in s.mentions if m.kind == "org" and m.data.get("composite")]
    organs += [m.data["organ_mention"] for m in s.mentions if m.kind == "session"
               and m.data["organ_mention"].data.get("composite")]
    for organ in organs:
        parent = organ.data.get("parent") or (ctx.gazetteer.parent(organ.key) if organ.key
                                              else None)
        if not organ.key or not parent or not ctx.once("unit", organ.key):
            continue
        first, last = organ.first, organ.last
        for session in s.mentions:
            if session.kind == "session" and session.data.get("organ_mention") is organ:
                first = session.first
        ctx.add("relation", {"subject": f"org:{organ.key}", "property": "org:unitOf",
                             "object": f"org:{parent}"}, first, last, rule="organ-of-org")


def rule_election(ctx: Context, s: View) -> None:
    """An election to an organ: candidates, outcome, term, session, and the seat won."""
    cues = ctx.cues(s, "election")
    if not cues:
        return
    cue = cues[0]
    lo, hi = ctx.clause(s, cue.first)
    organs = [m for m in ctx.of(s, "org") if m.key and ctx.gazetteer.parent(m.key)
              and m.first >= cue.first]
    organs = organs or [m for m in ctx.of(s, "org") if m.key and ctx.gazetteer.parent(m.key)]
    if not organs:
        log.warning("%s: an election to an organ that is not in the reference data, left out: "
                    "%r", ctx.source_id, ctx.text(s.first, s.last)[:80])
        return
    organ = organs[0]
    hosts = _host_countries(ctx, s)
    candidates = [m for m in ctx.of(s, "country", lo=lo, hi=hi) if m not in hosts]
    if ctx.pack.subject_first:
        before = [m for m in candidates if m.last <= cue.first]
        candidates = before or [m for m in candidates if m.first >= cue.last]
        if not candidates:
            candidates = _list_before(ctx, s, lo)
    else:
        after = [m for m in candidates if m.first >= cue.first and m.last <= organ.first]
        candidates = after or candidates
    candidates = [m for m in candidates if m.first < organ.first or m.first >= organ.last]
    if not candidates:
        return
    term = ctx.term(s, lo=s.first)
    session_key, session = _event_of(ctx, s, lo=cue.first)
    if session is not None and session.target() == "org":
        session = None
    reelected = any(m.first <= cue.first < m.last or m.first == cue.first
                    for m in ctx.cues(s, "reelection"))
    presidency = [m for m in ctx.cues(s, "presidency") if cue.first <= m.first <= organ.first]
    consecutive = ctx.cues(s, "consecutive")
    ordinal = ctx.lex.ordinal(consecutive[0].value("ord") or "") if consecutive else None
    key = (organ.key, session_key, term[0] if term else None)
    election_id = ctx.election["id"] if ctx.election and ctx.election["key"] == key else None
    election_end = max(organ.last, term[2] if term else 0, session.last if session else 0)
    if election_id is None:
        election_id = ctx.next_id("e")
        ctx.add("election", {"organ": organ.key, "session": session_key,
                             "term": term[0] if term else None}, cue.first, election_end,
                rule="election", fact_id=election_id)
        ctx.election = {"id": election_id, "key": key, "organ": organ.key, "candidates": {}}
    votes = _votes(ctx, s, cue.first)
    for candidate in candidates:
        country = candidate.key
        values: dict[str, Any] = {"election": f"#{election_id}", "candidate": country,
                                  "outcome": "re-elected" if reelected else "elected"}
        cand_first, cand_last = _span(cue, candidate, organ)
        if votes and len(candidates) == 1:
            values.update(votes[0])
            cand_last = max(cand_last, votes[1])
        ctx.add("candidacy", values, cand_first, cand_last, rule="election")
        if ctx.election is not None:
            ctx.election["candidates"][country] = True
        role = "president" if presidency else "member-state"
        member_first = min(cue.first, candidate.first,
                           consecutive[0].first if consecutive else cue.first)
        member_last = max(organ.last, term[2] if term else 0)
        ctx.add("membership", {"member": country, "organization": organ.key, "role": role,
                               "term": term[0] if term else None,
                               "elected_in": f"#{election_id}", "consecutive_term": ordinal},
                member_first, member_last, rule="election")
        if ordinal and ordinal > 1 and term and re.fullmatch(r"\d{4}", term[0]):
            year = int(term[0])
            for back in range(1, ordinal):
                ctx.add("membership", {"member": country, "organization": organ.key,
                                       "term": str(year - back)},
                        min(consecutive[0].first, candidate.first),
                        max(consecutive[0].last, candidate.last),
                        rule="consecutive-term-implied", kind="inferred")
        parent = ctx.gazetteer.parent(organ.key or "")
        if parent and not presidency and ctx.once("member-of-parent", country, parent):
            ctx.add("membership", {"member": country, "organization": parent,
                                   "role": "member-state"}, cand_first, cand_last,
                    rule="organ-seat-implies-membership", kind="inferred")


def _host_countries(ctx: Context, s: View) -> list[Mention]:
    hosts = []
    for cue in ctx.cues(s, "host"):
        lo, hi = ctx.clause(s, cue.first)
        hosts.extend(ctx.of(s, "country", lo=lo, hi=hi))
    return hosts


def _list_before(ctx: Context, s: View, lo: int) -> list[Mention]:
    """Countries of a list that ends at the cue's clause: "Ghana, Oman and Jordan were"."""
    found: list[Mention] = []
    first = lo
    while first > s.first:
        plo, phi = ctx.clause(s, first - 1)
        items = ctx.of(s, "country", lo=plo, hi=phi)
        if len(items) != 1 or phi - plo > items[0].last - items[0].first + 1:
            break
        found.insert(0, items[0])
        first = plo
    return found


def _votes(ctx: Context, s: View, after: int) -> tuple[dict[str, Any], int] | None:
    """Rank by votes, votes and rank scope stated in a sentence (after token ``after``)."""
    values: dict[str, Any] = {}
    last = 0
    has_votes_word = any(t.key in ctx.lex.folded("cues.votes_word")
                         for t in ctx.doc.tokens[s.first:s.last])
    for cue in ctx.cues(s, "votes"):
        if cue.first >= after:
            number = ctx.lex.number(cue.value("num") or "")
            if number is not None:
                values["votes"] = number
                last = max(last, cue.last)
                break
    region = None
    for cue in ctx.cues(s, "region"):
        letter = cue.value("letter")
        for key in ctx.gazetteer.keys("electoral-group"):
            if letter and key.endswith(f"-region-{letter}"):
                region = key
                last = max(last, cue.last)
    for cue in ctx.cues(s, "vote_rank"):
        if cue.first < after:
            continue
        ordinal = ctx.lex.ordinal(cue.value("ord") or "") if cue.value("ord") else 1
        if ordinal and (has_votes_word or region):
            values["rank_by_votes"] = ordinal
            last = max(last, ctx.clause(s, cue.first)[1])
            break
    if region and "rank_by_votes" in values:
        values["rank_scope"] = region
    return (values, last) if values else None


def rule_vote_rank(ctx: Context, s: View) -> None:
    """A later sentence on a candidate's rank by votes: «وجاءت المملكة في المرتبة الأولى»."""
    if ctx.election is None or ctx.cues(s, "election"):
        return
    votes = _votes(ctx, s, s.first)
    if not votes or "rank_by_votes" not in votes[0]:
        return
    countries = [m for m in ctx.of(s, "country") if m.key in ctx.election["candidates"]]
    if not countries:
        if len(ctx.election["candidates"]) != 1:
            return
        candidate_key, first = next(iter(ctx.election["candidates"])), s.first
    else:
        candidate_key, first = countries[0].key, min(countries[0].first, s.first)
    values = {"election": f"#{ctx.election['id']}", "candidate": candidate_key, **votes[0]}
    ctx.add("candidacy", values, first, votes[1], rule="vote-rank")


def rule_presidency(ctx: Context, s: View) -> None:
    """A country assumes the presidency of an organ for a term (no election stated)."""
    if ctx.cues(s, "election"):
        return
    for cue in ctx.cues(s, "presidency"):
        if not any(a.first <= cue.first for a in ctx.cues(s, "assume")):
            continue
        organs = [m for m in ctx.of(s, "org", lo=cue.last) if m.key and
                  ctx.gazetteer.parent(m.key)]
        if not organs:
            continue
        organ = organs[0]
        countries = [m for m in ctx.of(s, "country") if m.last <= cue.first or
                     m.first >= organ.last]
        if not countries:
            continue
        term = ctx.term(s)
        country = countries[0]
        ctx.add("membership", {"member": country.key, "organization": organ.key,
                               "role": "president", "term": term[0] if term else None},
                *_span(country, cue, organ, (term[1], term[2]) if term else None),
                rule="presidency")
        return


def rule_representation(ctx: Context, s: View) -> None:
    """A person represented a country at an event (a session), in a capacity."""
    for cue in ctx.cues(s, "representation"):
        persons = ctx.of(s, "person")
        person = _nearest(persons, cue.first)
        if person is None:
            continue
        event, event_mention = _event_of(ctx, s)
        inside = (event_mention.first, event_mention.last) if event_mention else (0, 0)
        countries = [m for m in ctx.of(s, "country") if not inside[0] <= m.first < inside[1]]
        after = [m for m in countries if m.first >= cue.last]
        country = after[0] if after and (not ctx.pack.subject_first or not [
            m for m in countries if m.last <= cue.first]) else _nearest(countries, cue.first)
        if event is None and ctx.session and any(ctx.cues(s, "during")):
            event = ctx.session
        if event is None:
            log.warning("%s: a representation with no known event: %r", ctx.source_id,
                        ctx.text(s.first, s.last)[:80])
            continue
        who = ctx.person_key(person)
        if who is None:
            continue
        posts = [m for m in ctx.of(s, "post") if abs(m.first - person.last) <= 1]
        role = "head-of-delegation" if any(w in cue.phrase for w in ("وفد", "delegation")) \
            else "country-representative"
        values = {"person": who, "event": event, "on_behalf_of": country.key if country else None,
                  "capacity": posts[0].key if posts else None,
                  "role": role if country else None}
        first, last = _span(cue, person, country, event_mention)
        ctx.add("representation", values, first, last, rule="representation")
        ctx.last_person = who
        if country is not None and country.key:
            ctx.represents[who] = country.key
        return


def rule_post_holding(ctx: Context, s: View) -> None:
    """A person and a post in apposition: «السيدة X، الوزيرة المنتدبة ...», "Mr X, Minister"."""
    mentions = s.mentions
    for a, b in zip(mentions, mentions[1:], strict=False):
        pair = (a, b) if a.kind == "person" and b.kind == "post" else \
            (b, a) if a.kind == "post" and b.kind == "person" else None
        if pair is None or b.first - a.last > 0 and not all(
                ctx.doc.tokens[i].key in ctx.pack.articles for i in range(a.last, b.first)):
            continue
        person, post = pair
        who = ctx.person_key(person)
        if who and post.key and ctx.once("holds", who, post.key):
            ctx.add("post-holding", {"person": who, "post": post.key}, *_span(a, b),
                    rule="post-apposition")


def rule_speech(ctx: Context, s: View) -> None:
    """A speaker delivered a speech at an event; what it presented."""
    for cue in ctx.cues(s, "speech"):
        speakers = [m for m in ctx.of(s, "person") if cue.first <= m.first < cue.last] or \
            [m for m in ctx.of(s, "person", hi=cue.first)][-1:] or \
            [m for m in ctx.of(s, "person", lo=cue.last)][:1]
        speaker = ctx.agent(speakers[0]) if speakers else (
            f"person:{ctx.last_person}" if ctx.last_person else None)
        event, event_mention = _event_of(ctx, s)
        if event is None:
            event = ctx.session
        if event is None or speaker is None:
            log.warning("%s: a speech with no known %s: %r", ctx.source_id,
                        "speaker" if event else "event", ctx.text(cue.first, cue.last))
            continue
        during = [m for m in ctx.cues(s, "during") if m.last <= cue.first]
        first = min([cue.first] + [m.first for m in during[:1]])
        last = cue.last
        abstract = None
        for intro in ctx.cues(s, "speech_abstract"):
            if intro.first >= cue.last - 1:
                lo, hi = ctx.clause(s, intro.last)
                hi = _cut_clause_break(ctx, s, intro.last, s.last)
                abstract = ctx.text(intro.last, hi)
                last = hi
                break
        fact_id = ctx.next_id("s")
        ctx.add("speech", {"speaker": speaker, "event": event, "abstract": abstract},
                first, last, rule="speech", fact_id=fact_id)
        ctx.frame = Frame("speech", fact_id, speaker)
        if speaker.startswith("person:"):
            ctx.last_person = speaker.split(":", 1)[1]
        return


def _cut_clause_break(ctx: Context, s: View, lo: int, hi: int) -> int:
    """End of a span at the first evaluative clause break («، في إطار») after ``lo``."""
    for cue in ctx.cues(s, "clause_break"):
        if lo < cue.first < hi and cue.first > 0 and ctx._breaks(cue.first - 1):
            return cue.first
    return hi


def rule_presentation(ctx: Context, s: View) -> None:
    """The speaker presented initiatives, named in the sentences that follow."""
    if ctx.frame is None or ctx.frame.kind != "speech" or ctx.cues(s, "measures"):
        return
    for cue in ctx.cues(s, "presented"):
        nouns = [m for m in ctx.cues(s, "initiatives_noun") if m.first >= cue.last - 1]
        if not nouns:
            continue
        count = None
        noun = nouns[0]
        words = noun.phrase.split()
        before = ctx.doc.tokens[noun.first - 1].key if noun.first > s.first else ""
        if ctx.lex.number(words[0]) is not None:
            count = ctx.lex.number(words[0])
        elif before and ctx.lex.number(before) is not None:
            count = ctx.lex.number(before)
        elif ctx.lex.arabic and words[0].endswith("تين"):  # the dual: «مبادرتين»
            count = 2
        ctx.presentation = {"speech": ctx.frame.fact_id, "span": (s.first, s.last),
                            "count": count}
        return


def rule_measures(ctx: Context, s: View) -> None:
    """Initiatives listed after "which include": each a policy measure of its launcher."""
    measures = ctx.cues(s, "measures")
    nouns = ctx.cues(s, "initiatives_noun")
    if not measures or not nouns or measures[0].first < nouns[0].first:
        return
    launcher = None
    for cue in ctx.cues(s, "launched_by"):
        agents = [m for m in ctx.of(s, "country", "org", lo=cue.last) if m.first <= cue.last + 1]
        if agents:
            launcher = agents[0]
    items = _list_items(ctx, s, measures[0].last, s.last)
    if not items:
        return
    speech = None
    presented = [c for c in ctx.cues(s, "presented") if c.last <= nouns[0].first + 1]
    if presented and ctx.frame and ctx.frame.kind == "speech":
        speech = ctx.frame.fact_id
    intro_first = presented[0].first if presented else nouns[0].first
    intro_last = ctx.clause(s, nouns[0].first)[1]
    country = launcher.key if launcher and launcher.target() == "country" else None
    for first, last, label in items:
        origin = Mention(first, last, "initiative", None, {"label": label})
        key = ctx.name_key(origin, country)
        ctx.add("initiative", {"key": key, "names": {ctx.lex.language: label},
                               "initiative_type": "policy-measure",
                               "launched_by": ctx.agent(launcher)}, first, last,
                rule="listed-measures")
        if speech:
            ctx.add("relation", {"subject": f"#{speech}", "property": "schema:about",
                                 "object": f"initiative:{key}"}, intro_first, intro_last,
                    rule="presented-measures")


def _list_items(ctx: Context, s: View, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Items of a list between tokens ``lo`` and ``hi``, split at commas and connectors."""
    connectors = [c for c in ctx.cues(s, "list_connector") if lo <= c.first < hi]
    items = []
    start = lo
    after_comma = False
    i = lo
    while i < hi:
        connector = next((c for c in connectors if c.first == i), None)
        if connector is not None:
            if i > start:
                items.append((start, i, after_comma))
            start, after_comma = connector.last, False
            i = connector.last
            continue
        if ctx._breaks(i) or i == hi - 1:
            items.append((start, i + 1, after_comma))
            start, after_comma = i + 1, True
        i += 1
    out = []
    for first, last, comma in items:
        if last <= first:
            continue
        label_start = ctx.pack.strip_item(ctx.doc, first, comma)
        label = ctx.doc.raw[label_start:ctx.doc.tokens[last - 1].end].strip()
        if len(label.split()) >= 2:
            out.append((first, last, label))
    return out


def rule_ranking(ctx: Context, s: View) -> None:
    """An entity's rank or change of rank in an index for a year."""
    ups, downs = ctx.cues(s, "rank_up"), ctx.cues(s, "rank_down")
    absolute = ctx.cues(s, "rank_abs")
    indices = ctx.of(s, "index")
    heads = [i for i in range(s.first, s.last)
             if ctx.doc.tokens[i].key in ctx.lex.folded("index_heads")]
    if not (ups or downs or absolute) or not (indices or heads):
        return
    if not (ups or downs) and not indices and not ctx.cues(s, "out_of"):
        return
    entities = ctx.of(s, "country")
    if not entities:
        return
    entity = entities[0]
    values: dict[str, Any] = {"entity": entity.key}
    parts: list[Any] = [entity]
    if indices:
        values["index"] = indices[0].key
        parts.append(indices[0])
    else:
        head = heads[0]
        stops = {c.first for c in ctx.cues(s, "year_intro") if c.first > head}
        stops |= set(ctx.years(s, head + 1))
        stops |= {m.first for m in s.mentions if m.first > head}
        end = head + 1
        while end < s.last and end - head < 10 and not ctx._breaks(end - 1) and end not in stops:
            end += 1
        values["index"] = {"unresolved": ctx.text(head, end)}
        parts.append((head, end))
    change: CueMatch | None = (ups or downs)[0] if (ups or downs) else None
    if change is not None:
        number = ctx.lex.number(change.value("num") or "")
        if number is not None:
            values["delta"] = number if ups else -number
            parts.append((change.first, ctx.clause(s, change.first)[1]))
    for cue in absolute:
        if change is not None and change.first <= cue.first < change.last:
            continue
        rank = ctx.lex.ordinal(cue.value("ord") or "") if cue.value("ord") else \
            ctx.lex.number(cue.value("num") or "")
        if rank:
            values["rank"] = rank
            parts.append(cue)
            for out in ctx.cues(s, "out_of"):
                if 0 <= out.first - cue.last <= 1:
                    values["out_of"] = ctx.lex.number(out.value("num") or "")
                    parts.append(out)
            break
    if "delta" not in values and "rank" not in values:
        return
    years = ctx.years(s)
    if not years:
        log.warning("%s: a ranking with no year: %r", ctx.source_id,
                    ctx.text(s.first, s.last)[:80])
        return
    year = years[0]
    values["year"] = int(ctx.doc.tokens[year].key)
    parts.append((year, year + 1))
    reporter = [c for c in ctx.cues(s, "presented") if c.first <= entity.first]
    if reporter and ctx.frame and ctx.frame.kind == "speech" and not ctx.of(
            s, "person", hi=reporter[0].first):
        values["reported_in"] = f"#{ctx.frame.fact_id}"
    first, last = _span(*parts)
    ranking_id = ctx.next_id("r")
    ctx.add("ranking", values, first, last, rule="ranking", fact_id=ranking_id)
    ctx.last_ranking = ranking_id


def rule_initiative_intro(ctx: Context, s: View) -> None:
    """An initiative or framework named in the text, with its type and acronym."""
    for mention in s.mentions:
        if mention.kind not in ("initiative", "framework") or mention.data.get("repeat"):
            continue
        launchers = [m for c in ctx.cues(s, "launched_by")
                     for m in ctx.of(s, "country", lo=c.last, hi=c.last + 3)]
        key = ctx.name_key(mention, launchers[0].key if launchers else None)
        if not ctx.once("name", key):
            continue
        label = str(mention.data["label"])
        lang = str(mention.data.get("lang", ctx.lex.language))
        values: dict[str, Any] = {"key": key, "names": {lang: label}}
        first = mention.first
        intro = [c for c in ctx.cues(s, "initiative_intro") if c.last in (mention.first,
                                                                          mention.first + 1)]
        if intro:
            first = intro[0].first
        if mention.kind == "initiative":
            acronym = mention.data.get("acronym")
            values["alt_labels"] = [acronym] if acronym else None
            values["initiative_type"] = mention.data.get("itype")
        ctx.add(mention.kind, values, first, mention.last, rule=f"{mention.kind}-name")
        if mention.kind == "initiative":
            ctx.last_initiative = key
            presented = [c for c in ctx.cues(s, "presented") if c.last <= mention.first]
            if presented and ctx.frame and ctx.frame.kind == "speech" and not ctx.presentation:
                ctx.add("relation", {"subject": f"#{ctx.frame.fact_id}", "property": "schema:about",
                                     "object": f"initiative:{key}"}, presented[-1].first,
                        mention.last, rule="presented-initiatives")
            if ctx.presentation and ctx.presentation.get("count") != 0:
                lo, hi = ctx.presentation["span"]
                ctx.add("relation", {"subject": f"#{ctx.presentation['speech']}",
                                     "property": "schema:about",
                                     "object": f"initiative:{key}"}, lo, hi,
                        rule="presented-initiatives")
                if ctx.presentation.get("count"):
                    ctx.presentation["count"] -= 1


def _subject_initiative(ctx: Context, s: View, before: int) -> Mention | None:
    """The last initiative, platform or quoted name mentioned before token ``before``."""
    names = [m for m in s.mentions if m.last <= before and ctx.name_origin(m) is not None]
    return names[-1] if names else None


def rule_partner(ctx: Context, s: View) -> None:
    """An initiative launched in partnership with an organization or country."""
    for cue in ctx.cues(s, "partner"):
        subject = _subject_initiative(ctx, s, cue.first)
        partners = ctx.of(s, "org", "country", lo=cue.last)[:1]
        if subject is None or not partners or partners[0].first > cue.last + 2:
            continue
        ref = ctx.ref(subject)
        lo, hi = ctx.clause(s, cue.first)
        first, last = lo, max(hi, partners[0].last)
        ctx.add("relation", {"subject": ref, "property": "gg:partner",
                             "object": f"{partners[0].target()}:{partners[0].key}"}, first, last,
                rule="partner")
        passive = [c for c in ctx.cues(s, "launched_passive") if lo <= c.first < cue.first]
        country = ctx.frame_country()
        if passive and country and ref and ctx.once("launched", ref):
            ctx.add("relation", {"subject": ref, "property": "gg:launchedBy",
                                 "object": f"country:{country}"}, first, last,
                    rule="launched-passive-implied", kind="inferred")


def rule_launch_implied(ctx: Context, s: View) -> None:
    """«عبر إطلاق X», "through the launch of X": X launched by the announcing country."""
    country = ctx.frame_country()
    if not country:
        return
    for cue in ctx.cues(s, "launched_passive"):
        names = [m for m in s.mentions if m.first in (cue.last, cue.last + 1)
                 and m.kind == "initiative" and not m.data.get("repeat")]
        if not names or ctx.cues(s, "launched_by"):
            continue
        ref = ctx.ref(names[0])
        if ref and ctx.once("launched", ref):
            ctx.add("relation", {"subject": ref, "property": "gg:launchedBy",
                                 "object": f"country:{country}"}, cue.first, names[0].last,
                    rule="launched-passive-implied", kind="inferred")


def rule_framework_link(ctx: Context, s: View) -> None:
    """An initiative falls within a framework (a vision, a strategy)."""
    for cue in ctx.cues(s, "framework_link"):
        frameworks = [m for m in s.mentions if m.kind == "framework" and m.first >= cue.last]
        if not frameworks:
            continue
        framework = frameworks[0]
        initiatives = [m for m in s.mentions if m.kind == "initiative"]
        if not initiatives:
            continue
        initiative = initiatives[0]
        ctx.add("relation", {"subject": ctx.ref(initiative), "property": "gg:partOfFramework",
                             "object": ctx.ref(framework)},
                s.first, max(framework.last, initiative.last), rule="framework-link")
        return


def rule_described_as(ctx: Context, s: View) -> None:
    """«شبكة X كمنصات ...», "X as a platform for ...": a description of the initiative."""
    if ctx.cues(s, "core"):
        return
    for cue in ctx.cues(s, "described_as"):
        subject = _subject_initiative(ctx, s, cue.first)
        if subject is None or cue.first - subject.last > 3:
            continue
        # "X, launched as ...", "X was launched as ...": a launch verb may stand between
        between = range(subject.last, cue.first)
        launch = {i for c in ctx.cues(s, "launched_passive") for i in range(c.first, c.last)}
        if any(i not in launch and ctx.doc.tokens[i].key not in ("was", "is", "a", "ete", "est")
               for i in between) or any(ctx._breaks(i) for i in between):
            continue
        end = min(_cut_clause_break(ctx, s, cue.first, s.last), ctx.clause(s, cue.first)[1])
        ctx.add("relation", {"subject": ctx.ref(subject), "property": "schema:description",
                             "object": {"text": ctx.text(cue.first, end),
                                        "lang": ctx.lex.language}},
                cue.first, end, rule="described-as")


def rule_core(ctx: Context, s: View) -> None:
    """A platform is the technical core of an initiative (which then has it as core)."""
    for cue in ctx.cues(s, "core"):
        names = [m for m in s.mentions if m.last <= cue.first and m.kind in ("name", "platform")]
        owners = [m for m in s.mentions if m.first >= cue.last - 1 and ctx.name_origin(m)
                  is not None and ctx.name_origin(m).kind == "initiative"]  # type: ignore[union-attr]
        if not names or not owners:
            continue
        platform = names[-1]
        platform.kind = "platform"
        owner = owners[0]
        key = ctx.name_key(platform)
        if ctx.once("name", key):
            label = str(platform.data["label"])
            ctx.add("platform", {"key": key, "names": {str(platform.data.get("lang")): label}},
                    s.first, owner.last, rule="core-platform")
        ctx.add("relation", {"subject": ctx.ref(owner), "property": "gg:hasCore",
                             "object": f"platform:{key}"}, s.first, owner.last,
                rule="core-platform")
        ctx.last_initiative = f"platform:{key}"
        _components(ctx, s, f"platform:{key}", owner.last)
        return


def _components(ctx: Context, s: View, subject: str, after: int) -> None:
    for cue in ctx.cues(s, "components"):
        if cue.first < after:
            continue
        parts = ctx.concepts(s, "component", cue.last, s.last)
        if not parts:
            continue
        lo = ctx.clause(s, cue.first)[0]
        hi = _cut_clause_break(ctx, s, lo, s.last)
        ctx.add("relation", {"subject": subject, "property": "schema:description",
                             "object": {"text": ctx.text(lo, hi), "lang": ctx.lex.language}},
                lo, hi, rule="components")
        for _, _, key in parts:
            ctx.add("relation", {"subject": subject, "property": "schema:hasPart",
                                 "object": f"component:{key}"}, lo, hi, rule="components")
        return


def rule_components(ctx: Context, s: View) -> None:
    """An initiative or platform that includes components (data platforms, computing)."""
    if ctx.cues(s, "core"):
        return
    subject = _subject_initiative(ctx, s, s.last)
    if subject is not None:
        ref = ctx.ref(subject)
        if ref:
            _components(ctx, s, ref, s.first)


def rule_video(ctx: Context, s: View) -> None:
    """A film screened at the event, what it was about, what it presented."""
    cues = ctx.cues(s, "video")
    if not cues:
        return
    cue = cues[0]
    event, _ = _event_of(ctx, s)
    event = event or ctx.session
    if event is None:
        return
    about, last = None, cue.last
    for intro in ctx.cues(s, "about"):
        if intro.first >= cue.first:
            names = [m for m in s.mentions if m.first in (intro.last, intro.last + 1)
                     and ctx.ref(m)]
            if names:
                about, last = ctx.ref(names[0]), names[0].last
                break
    abstract = None
    lo, hi = ctx.clause(s, last - 1)
    if hi < s.last:
        nlo, nhi = ctx.clause(s, hi)
        abstract = ctx.text(nlo, nhi)
        last_all = nhi
    else:
        last_all = last
    fact_id = ctx.next_id("v")
    ctx.add("video", {"event": event, "about": [about] if about else None,
                      "abstract": abstract}, min(s.first, cue.first), last_all, rule="video",
            fact_id=fact_id)
    ctx.frame = Frame("video", fact_id, None)
    ctx.last_video = fact_id


def rule_session_topics(ctx: Context, s: View) -> None:
    """The session was an occasion to discuss topics: one ``schema:about`` per topic, quoting
    the clause that names it."""
    for cue in ctx.cues(s, "discussion"):
        event, _ = _event_of(ctx, s, hi=cue.first)
        if event is None:
            continue
        topics = ctx.concepts(s, "topic", cue.last, s.last)
        seen: set[str] = set()
        for first, _, key in topics:
            if key in seen:
                continue
            seen.add(key)
            lo, hi = ctx.clause(s, first)
            lo = s.first if lo <= cue.last else lo
            ctx.add("relation", {"subject": f"event:{event}", "property": "schema:about",
                                 "object": f"topic:{key}"}, lo, hi, rule="session-topics")
        if topics:
            return


def rule_accession(ctx: Context, s: View) -> None:
    """A country joins an organization: membership from a date, and the accession instrument."""
    for cue in ctx.cues(s, "accession"):
        orgs = [m for m in ctx.of(s, "org", lo=cue.last) if m.key and "/" not in m.key]
        if not orgs:
            continue
        org = orgs[0]
        countries = [m for m in ctx.of(s, "country") if m.last <= cue.first] or \
            [m for m in ctx.of(s, "country", lo=cue.last, hi=org.first)]
        if not countries:
            continue
        country = countries[-1] if ctx.pack.subject_first else countries[0]
        dates = ctx.dates(s)
        later = [d for d in dates if d[0] >= cue.first]
        date = later[0] if later else (dates[0] if dates else None)
        values = {"member": country.key, "organization": org.key, "role": "member-state",
                  "start": date[2] if date else None}
        first, last = _span(country, cue, org, (date[0], date[1]) if date else None)
        ctx.add("membership", values, first, last, rule="accession")
        charter = [c for c in ctx.cues(s, "charter")]
        if charter and ctx.cues(s, "sign"):
            signatories = _signatories(ctx, s)
            agreement_id = ctx.next_id("a")
            ctx.add("agreement", {"key": f"{ctx.id8}-agreement-{agreement_id[1:]}",
                                  "agreement_type": "accession",
                                  "parties": [country.key, org.key], "date": date[2]
                                  if date else None, "signatories": signatories},
                    *_span((s.first, s.last)), rule="accession-charter", fact_id=agreement_id)
        return


def _signatories(ctx: Context, s: View) -> list[dict[str, Any]]:
    """Persons who signed, each for the party named after "for"/«عن» next to them."""
    out = []
    persons = ctx.of(s, "person")
    for index, person in enumerate(persons):
        who = ctx.person_key(person)
        if who is None:
            continue
        entry: dict[str, Any] = {"person": who}
        limit = persons[index + 1].first if index + 1 < len(persons) else s.last
        floor = persons[index - 1].last if index else s.first
        fors = ctx.cues(s, "signed_for")
        after = [c for c in fors if person.last <= c.first < limit]
        before = [c for c in fors if floor <= c.first and c.last <= person.first]
        # «عن الجانب المغربي السيد X»: the side comes first in Arabic, after the name elsewhere
        order = after[:1] + before[-1:] if ctx.pack.subject_first else before[-1:] + after[:1]
        for cue in order:
            parties = [m for m in ctx.of(s, "country", "org", lo=cue.last)
                       if m.first <= cue.last + 2] + [
                m for m in ctx.demonyms(s) if m.first <= cue.last + 2 and m.first >= cue.last]
            if parties:
                entry["on_behalf_of"] = parties[0].key
                break
        posts = [m for m in ctx.of(s, "post") if abs(m.first - person.last) <= 1]
        if posts:
            entry["capacity"] = posts[0].key
        out.append(entry)
    return out


def rule_agreement(ctx: Context, s: View) -> None:
    """An agreement of a known type signed between parties, by signatories, on a date."""
    if ctx.cues(s, "accession") and ctx.cues(s, "charter"):
        return
    types = [(f, lt, k) for f, lt, sc, k in s.concepts if sc == "agreement-type"]
    signs = ctx.cues(s, "sign")
    if not types or not signs:
        return
    first_type = types[0]
    parties: list[str] = []
    for m in ctx.of(s, "country", "org"):
        if m.key and m.key not in parties and not _signatory_party_only(ctx, s, m):
            parties.append(m.key)
    signatories = _signatories(ctx, s)
    for entry in signatories:
        party = entry.get("on_behalf_of")
        if party and party not in parties:
            parties.append(party)
    if len(parties) < 2:
        log.warning("%s: an agreement with fewer than two known parties: %r", ctx.source_id,
                    ctx.text(s.first, s.last)[:80])
        return
    dates = ctx.dates(s)
    topics = [k for _, _, k in ctx.concepts(s, "topic", first_type[1], s.last)]
    agreement_id = ctx.next_id("a")
    ctx.add("agreement", {"key": f"{ctx.id8}-agreement-{agreement_id[1:]}",
                          "agreement_type": first_type[2], "parties": parties,
                          "signatories": signatories, "date": dates[0][2] if dates else None,
                          "topics": list(dict.fromkeys(topics))}, s.first, s.last,
            rule="agreement-signed", fact_id=agreement_id)
    ctx.last_agreement = agreement_id


def _signatory_party_only(ctx: Context, s: View, mention: Mention) -> bool:
    """A party named only as the side a signatory signs for («عن الجانب»): not a new party."""
    return any(0 <= mention.first - c.last <= 2 for c in ctx.cues(s, "signed_for"))


def rule_agreement_signatories(ctx: Context, s: View) -> None:
    """The signatories of the agreement just announced, in a sentence of their own."""
    if ctx.last_agreement is None or not ctx.cues(s, "sign"):
        return
    if any(sc == "agreement-type" for _, _, sc, _ in s.concepts) and not ctx.of(
            s, "agreement", resolved=False):
        return
    signatories = _signatories(ctx, s)
    if not signatories or not ctx.once("signatories", ctx.last_agreement, s.index):
        return
    agreement = next(f for f in ctx.facts if f.id == ctx.last_agreement)
    if agreement.values.get("signatories"):
        return
    parties = list(agreement.values["parties"])  # type: ignore[call-overload]
    ctx.add("agreement", {"key": agreement.values["key"],
                          "agreement_type": agreement.values["agreement_type"],
                          "parties": parties, "signatories": signatories}, s.first, s.last,
            rule="agreement-signatories")


def rule_reported(ctx: Context, s: View) -> None:
    """What a speaker asserts («أكدت أن», "a souligné que", "stressed that"): a claim; or,
    when a film or speaker describes an initiative («أن شبكة X تشكل ...»), descriptions."""
    reports = ctx.cues(s, "report_verb")
    comps = ctx.lex.folded("cues.complementizer")
    for index, verb in enumerate(reports):
        comp = next((i for i in range(verb.last, min(verb.last + 6, s.last))
                     if ctx.doc.tokens[i].key in comps), None)
        if comp is None:
            continue
        nxt = next((r for r in reports[index + 1:] if r.first > comp), None)
        end = s.last
        if nxt is not None and ctx._breaks(nxt.first - 1):
            end = nxt.first
        start = comp + 1
        if start >= end:
            continue
        subject = _report_subject(ctx, s, verb, comp)
        described = _described(ctx, s, start, end)
        if described is not None:
            _descriptions(ctx, s, verb, described, start, end)
            continue
        _claim(ctx, s, verb.first, start, end, subject, rule="reported-claim")


def _report_subject(ctx: Context, s: View, verb: CueMatch, comp: int) -> Mention | None:
    """Who asserts: a mention between the verb and "that" (VSO), in the verb, before it
    (SVO, or a relative "who"/«التي» after a person), else None (the frame's speaker)."""
    kinds = ("person", "video", "country", "org")
    inside = [m for m in s.mentions if verb.last <= m.first < comp and m.target() in kinds]
    if inside:
        return inside[0]
    inside = [m for m in s.mentions if verb.first <= m.first < verb.last
              and m.target() in ("person", "video")]
    if inside:
        return inside[0]
    relatives = [c for c in ctx.cues(s, "relative") if 0 <= verb.first - c.last <= 1]
    before = [m for m in s.mentions if m.last <= verb.first and m.target() in kinds]
    if relatives:
        persons = [m for m in before if m.target() == "person" and m.last <= relatives[0].first]
        if persons:
            return persons[-1]
    if not ctx.pack.subject_first:
        persons = [m for m in before if m.target() == "person"]
        return persons[-1] if persons else None
    if before:
        lo, _ = ctx.clause(s, verb.first)
        near = [m for m in before if m.first >= lo]
        if near:
            return near[-1]
        persons = [m for m in before if m.target() == "person"]
        if persons:
            return persons[-1]
    return None


def _described(ctx: Context, s: View, start: int, end: int) -> Mention | None:
    """The initiative a complement describes: its subject, followed by a describing verb."""
    head = [m for m in s.mentions if start <= m.first <= start + 1]
    if not head or ctx.name_origin(head[0]) is None:
        return None
    verbs = [c for c in ctx.cues(s, "describe_verbs") if head[0].last <= c.first <= head[0].last
             + 1]
    return head[0] if verbs else None


def _descriptions(ctx: Context, s: View, verb: CueMatch, subject: Mention, start: int,
                  end: int) -> None:
    ref = ctx.ref(subject)
    if ref is None:
        return
    cut = _cut_clause_break(ctx, s, start, end)
    areas = [c for c in ctx.cues(s, "areas") if start <= c.first < cut]
    text_end = areas[0].first if areas else cut
    ctx.add("relation", {"subject": ref, "property": "schema:description",
                         "object": {"text": ctx.text(start, text_end).rstrip("،, "),
                                    "lang": ctx.lex.language}},
            verb.first, cut, rule="reported-description")
    for cue in ctx.cues(s, "area_served"):
        if start <= cue.first < cut:
            places = ctx.of(s, "country", lo=cue.last, hi=cue.last + 3)
            if places:
                ctx.add("relation", {"subject": ref, "property": "schema:areaServed",
                                     "object": f"country:{places[0].key}"},
                        subject.first, places[0].last, rule="area-served")
    for cue in areas:
        lo = cue.first
        topics = ctx.concepts(s, "topic", cue.last, cut)
        for _, _, key in topics:
            ctx.add("relation", {"subject": ref, "property": "schema:about",
                                 "object": f"topic:{key}"}, lo, cut, rule="application-areas")
    for first, last, key in ctx.concepts(s, "audience", start, cut):
        ctx.add("relation", {"subject": ref, "property": "schema:audience",
                             "object": f"audience:{key}"}, first, last, rule="audience")
    if cut < end:
        _claim(ctx, s, cut, cut, end, None, rule="reported-claim")


def _claim(ctx: Context, s: View, first: int, start: int, end: int, subject: Mention | None,
           *, rule: str) -> None:
    """A claim of the subject (a person), of the frame's speaker, or of the publisher."""
    if ctx.overlaps_claim(start, end):
        return
    author, appearance = None, None
    if subject is not None and subject.target() == "person":
        author = ctx.agent(subject)
        appearance = _speaker_frame(ctx, author)
    elif subject is not None and subject.target() == "video":
        author = ctx.publisher
        appearance = f"#{ctx.last_video}" if ctx.last_video else None
    elif subject is None and ctx.frame is not None:
        if ctx.frame.kind == "speech":
            author = ctx.frame.speaker
            appearance = f"#{ctx.frame.fact_id}"
        else:
            author = ctx.publisher
            appearance = f"#{ctx.frame.fact_id}"
    elif subject is None and rule == "reported-claim" and not ctx.pack.subject_first and \
            ctx.last_person:
        author = f"person:{ctx.last_person}"  # Arabic drops the pronoun: «وأكد أن»
    else:
        author = ctx.agent(subject) if subject is not None else ctx.publisher
    if author is None:
        log.warning("%s: a claim with no known author (give the publisher): %r",
                    ctx.source_id, ctx.text(start, end)[:80])
        return
    about: list[str] = []
    for m in s.mentions:
        if start <= m.first and m.last <= end and m.target() in ("org", "initiative",
                                                                 "framework", "platform"):
            ref = ctx.ref(m)
            if ref and ref not in about:
                about.append(ref)
    if ctx.last_ranking and any(start <= c.first < end for c in ctx.cues(s, "achievement")):
        about.insert(0, f"#{ctx.last_ranking}")
    text = ctx.text(start, end).rstrip(".،, ")
    ctx.add("claim", {"author": author, "text": text, "appearance": appearance,
                      "about": about},
            first, end, rule=rule, kind="claim")


def rule_evaluation(ctx: Context, s: View) -> None:
    """An evaluation («وهو ما يعكس», "which reflects", "a contribué à"): a claim."""
    for cue in ctx.cues(s, "evaluation"):
        if ctx.overlaps_claim(cue.first, cue.last):
            continue
        end = _cut_clause_break(ctx, s, cue.last, s.last)
        subject = None
        before = _subject_initiative(ctx, s, cue.first)
        _claim(ctx, s, cue.first, cue.first, end, subject, rule="evaluation-claim")
        if before is not None and ctx.facts and ctx.facts[-1].kind == "claim":
            claim = ctx.facts[-1]
            ref = ctx.ref(before)
            refs = [ref] + list(claim.values.get("about") or [])  # type: ignore[call-overload]
            refs = list(dict.fromkeys(r for r in refs if r))
            values = {**claim.values, "about": refs}
            ctx.facts[-1] = Fact(claim.type, values, claim.evidence, claim.kind, claim.id,
                                 claim.rule)
        return


RULES: tuple[Callable[[Context, View], None], ...] = (
    rule_session_mention,
    rule_organ_of_org,
    rule_election,
    rule_vote_rank,
    rule_presidency,
    rule_accession,
    rule_agreement,
    rule_agreement_signatories,
    rule_representation,
    rule_post_holding,
    rule_speech,
    rule_presentation,
    rule_measures,
    rule_ranking,
    rule_initiative_intro,
    rule_partner,
    rule_launch_implied,
    rule_framework_link,
    rule_core,
    rule_components,
    rule_described_as,
    rule_video,
    rule_session_topics,
    rule_reported,
    rule_evaluation,
)
"""The rules, in the order they run on each sentence."""


def run_rules(ctx: Context) -> None:
    """Run every rule on every body sentence, in text order."""
    for index in range(len(ctx.sentences)):
        s = ctx.view(index)
        for rule in RULES:
            rule(ctx, s)
        persons = [ctx.person_key(m) for m in s.mentions if m.target() == "person"]
        persons = [p for p in persons if p]
        if persons:
            ctx.last_person = persons[-1]
