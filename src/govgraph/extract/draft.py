"""Announcement -> the dict of a draft record (docs/records.md), for the CLI to write as YAML.

Layer: extract. Input: an :class:`~govgraph.model.records.Announcement` from
:func:`govgraph.extract.extract_announcement`. Output: plain dicts, lists, strings and integers
in the order and shape of docs/records.md. Imports: govgraph.model.records only.

None fields are omitted; so is an empty publisher (the steward sets it). Every fact carries
``evidence: {quote, start, end}``, ``kind`` and ``rule``. The raw text goes under ``text``
unless the caller names the archived file (``text_path``).
"""

from __future__ import annotations

from typing import Any

from govgraph.model.records import Announcement, Evidence, Fact

__all__ = ["to_draft_dict"]


def _evidence(evidence: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("quote", "start", "end", "note", "source"):
        value = getattr(evidence, name)
        if value is not None:
            out[name] = value
    return out


def _fact(fact: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {"type": fact.type}
    if fact.id:
        out["id"] = fact.id
    for name, value in fact.values.items():
        if value is not None:
            out[name] = value
    if fact.evidence is not None:
        out["evidence"] = _evidence(fact.evidence)
    out["kind"] = fact.kind
    if fact.rule:
        out["rule"] = fact.rule
    return out


def to_draft_dict(announcement: Announcement, *, text_path: str | None = None) -> dict[str, Any]:
    """Return the record of an extracted announcement, shaped as docs/records.md.

    Args:
        announcement: what :func:`govgraph.extract.extract_announcement` returned.
        text_path: where the caller archives ``announcement.text``, relative to the record;
            without it the text is written inline under ``text``.

    >>> from govgraph.model.records import Announcement, Evidence, Fact
    >>> a = Announcement(id="0123456789abcdef", publisher="", language="en", title="T",
    ...     text="Morocco was elected.", facts=(Fact("membership", {"member": "MA",
    ...     "organization": "dco/council", "term": None}, Evidence("Morocco", 0, 7),
    ...     rule="election"),))
    >>> to_draft_dict(a, text_path="0123456789abcdef.txt")["facts"]
    [{'type': 'membership', 'member': 'MA', 'organization': 'dco/council', \
'evidence': {'quote': 'Morocco', 'start': 0, 'end': 7}, 'kind': 'explicit', 'rule': 'election'}]
    >>> sorted(to_draft_dict(a))
    ['facts', 'id', 'language', 'text', 'title']
    """
    a = announcement
    out: dict[str, Any] = {"id": a.id}
    if a.publisher:
        out["publisher"] = a.publisher
    out["language"] = a.language
    out["title"] = a.title
    if text_path is not None:
        out["text_path"] = text_path
    elif a.text is not None:
        out["text"] = a.text
    for name in ("sha256", "url"):
        value = getattr(a, name)
        if value is not None:
            out[name] = value
    if a.urls:
        out["urls"] = list(a.urls)
    for name in ("issued", "retrieved", "genre"):
        value = getattr(a, name)
        if value is not None:
            out[name] = value
    if a.people:
        people = []
        for person in a.people:
            entry: dict[str, Any] = {"key": person.key, "names": dict(person.names)}
            if person.aliases:
                entry["aliases"] = list(person.aliases)
            people.append(entry)
        out["people"] = people
    out["facts"] = [_fact(f) for f in a.facts]
    return out
