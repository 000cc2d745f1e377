"""Coreference: resolve anaphora, bare organ names and repeated names to the entity meant.

Layer: extract. Input: the :class:`~govgraph.extract.mentions.Mentions` of a document and the
gazetteer. Output: the same mentions with ``key`` set where an antecedent is found. Imports:
the standard library, govgraph.model, this package.

Each anaphor resolves to the *last compatible antecedent* before it, in text order:

- «السيدة الوزيرة», "la Ministre", "the Minister": the last person (of the same gender when
  both are known);
- «المنظمة», "l'Organisation", "the Union": the last organization one of whose labels holds
  the anaphor's head word ("Organization", «منظمة»), an organ counting as its organization;
- «المملكة», "le Royaume": the last country with "Kingdom"/«المملكة»/"Royaume" in a label;
- «الجمعية», "the session": the last numbered session;
- «للشبكة», "the network": the last initiative of that type; "the platform": the last
  platform or quoted name;
- a bare organ («الجمعية العامة», "the Council"): that organ of the last organization that
  has one.

Films and agreements are events of the text, not mentions: the rules resolve them. An anaphor
with no antecedent stays unresolved and is logged at debug level.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from govgraph.extract.mentions import NAME_KINDS, Mention, Mentions
from govgraph.model.gazetteer import Gazetteer
from govgraph.model.text import search_key

__all__ = ["resolve_mentions"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def _label_words(gazetteer: Gazetteer, kind: str, key: str) -> frozenset[str]:
    words: set[str] = set()
    for entry in gazetteer.labels(kind, key):
        words.update(search_key(entry.label).split())
    return frozenset(words)


def _top(gazetteer: Gazetteer, key: str) -> str:
    """The organization an organ belongs to (the key itself for an organization)."""
    seen = set()
    while gazetteer.parent(key) and key not in seen:
        seen.add(key)
        parent = gazetteer.parent(key)
        if parent is None or "/" in key and not key.startswith(parent):
            break
        key = parent
    return key


def resolve_mentions(mentions: Mentions, gazetteer: Gazetteer) -> None:
    """Resolve every anaphor, organ, session and repeated name in place."""
    history: list[Mention] = []
    for mention in mentions.all():
        if mention.kind == "anaphor":
            _resolve_anaphor(mention, history, gazetteer)
        elif mention.kind == "organ":
            _resolve_organ(mention, history, gazetteer)
        elif mention.kind == "session":
            organ = mention.data["organ_mention"]
            if organ.kind == "organ" and organ.key is None:
                _resolve_organ(organ, history, gazetteer)
            if organ.key:
                mention.data["organ"] = organ.key
                mention.key = f"{organ.key}/{mention.data['ordinal']}"
                if organ.data.get("composite"):
                    mention.data["parent"] = organ.data.get("parent") or gazetteer.parent(
                        organ.key)
        elif mention.data.get("repeat"):
            origin = mention.data["origin"]
            mention.data["label"] = origin.data.get("label")
            mention.kind = origin.kind
        history.append(mention)


def _resolve_anaphor(mention: Mention, history: list[Mention], gazetteer: Gazetteer) -> None:
    target = mention.data.get("target")
    head = mention.data.get("head")
    head_key = search_key(head) if head else None
    for previous in reversed(history):
        kind = previous.target() if previous.kind == "anaphor" else previous.kind
        if previous.kind == "anaphor" and previous.key is None:
            continue
        if target == "person" and kind == "person":
            gender, other = mention.data.get("gender"), _gender(previous)
            if gender and other and gender != other:
                continue
            role, roles = mention.data.get("role"), _origin(previous).data.get("roles")
            if role and roles and role not in roles:
                continue  # «le ministre» is not the ambassador just named
            mention.key = previous.key or "@person"
            mention.data["antecedent"] = _origin(previous)
            return
        if target == "org" and kind == "org" and previous.key:
            top = _top(gazetteer, previous.key)
            if head_key is None or head_key in _label_words(gazetteer, "org", top):
                mention.key = top
                return
        if target == "country" and kind == "country" and previous.key:
            if head_key is None or head_key in _label_words(gazetteer, "country", previous.key):
                mention.key = previous.key
                return
        if target == "session" and kind == "session" and previous.key:
            mention.key = previous.key
            mention.data["organ"] = previous.data.get("organ")
            return
        if target in ("initiative", "platform") and kind in (*NAME_KINDS, "name"):
            wanted_type = mention.data.get("type")
            origin = _origin(previous)
            if target == "platform" and kind == "initiative":
                continue
            if wanted_type and origin.data.get("itype") != wanted_type:
                continue
            mention.data["antecedent"] = origin
            mention.key = "@name"
            return
    log.debug("no antecedent for %s anaphor at token %d", target, mention.first)


def _origin(mention: Mention) -> Mention:
    """The first mention of a repeated name or the antecedent of an anaphor."""
    if mention.data.get("origin") is not None:
        origin: Mention = mention.data["origin"]
        return origin
    if mention.data.get("antecedent") is not None:
        antecedent: Mention = mention.data["antecedent"]
        return antecedent
    return mention


def _gender(mention: Mention) -> str | None:
    origin = _origin(mention)
    value = origin.data.get("gender") or mention.data.get("gender")
    return str(value) if value else None


def _resolve_organ(mention: Mention, history: list[Mention], gazetteer: Gazetteer) -> None:
    slug = mention.data["slug"]
    for previous in reversed(history):
        kind = previous.target() if previous.kind == "anaphor" else previous.kind
        if kind in ("org", "session") and previous.key:
            organ_key = previous.data.get("organ") if kind == "session" else previous.key
            if not organ_key:
                continue
            parent = _top(gazetteer, str(organ_key))
            candidate = f"{parent}/{slug}"
            if gazetteer.has("org", candidate):
                mention.key = candidate
                mention.data["parent"] = parent
                mention.kind = "org"
                return
    log.debug("no organization for organ %r at token %d", slug, mention.first)
