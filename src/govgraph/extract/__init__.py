"""govgraph extract: raw text or HTML of a government announcement -> a draft record.

Layer: extract (a stage). Input: the raw text (or HTML page) of one announcement, a
:class:`~govgraph.model.gazetteer.Gazetteer`, and the caller's metadata (source id, publisher,
URL, date). Output: an :class:`~govgraph.model.records.Announcement` whose facts each carry
evidence (code-point offsets into ``Announcement.text`` and the exact quote), the rule that
found it and its kind. Imports: the standard library, PyYAML, lingua (optional),
govgraph.errors, govgraph.model; never rdflib, never another stage.

Offline and deterministic: rules and lexicons (``lexicons/*.yaml``), no model, no download.
Metadata never comes from the body: the publisher, URL and date are the caller's (a «date
icon» placeholder or a year in the text is not a date of issue). Unknown entities and facts
with a missing part are logged as warnings and left out; a text with nothing recognizable
gives an announcement with no facts and a warning.

Pipeline: :mod:`.html` (HTML pages only) -> :mod:`.normalize` (folded copy with an offset map,
tokens, page furniture, sentences) -> :mod:`.language` (ar/fr/en) -> :mod:`.mentions` with the
language pack (:mod:`.arabic`, :mod:`.french`, :mod:`.english`) -> :mod:`.coref` ->
:mod:`.rules`; :mod:`.draft` writes the record as a dict.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

from govgraph.extract.arabic import ArabicPack
from govgraph.extract.coref import resolve_mentions
from govgraph.extract.english import EnglishPack
from govgraph.extract.french import FrenchPack
from govgraph.extract.html import html_to_text, is_html
from govgraph.extract.language import LanguagePack, detect_language
from govgraph.extract.lexicon import LANGUAGES, load_lexicon
from govgraph.extract.mentions import find_mentions
from govgraph.extract.normalize import Document, segment, split_sentences
from govgraph.extract.rules import Context, run_rules
from govgraph.model.gazetteer import Entry, Gazetteer
from govgraph.model.records import Announcement

__all__ = ["extract_announcement", "source_id_of"]

log = logging.getLogger(__name__)

_PACKS: dict[str, type[LanguagePack]] = {"ar": ArabicPack, "fr": FrenchPack, "en": EnglishPack}


def source_id_of(raw: str, url: str | None = None) -> str:
    """The 16-hex-digit source id: of the URL when there is one, else of the text.

    >>> source_id_of("x", "https://example.org/a")
    'b5b10dd0429e69ac'
    """
    basis = url if url else raw
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=3)
def _pack(language: str) -> LanguagePack:
    return _PACKS[language](load_lexicon(language))


@lru_cache(maxsize=1)
def _furniture() -> dict[str, tuple[str, ...]]:
    """Furniture phrases of every language (pages mix them: «date icon» on an Arabic page)."""
    merged: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for reason, phrases in load_lexicon(language).data.get("furniture", {}).items():
            merged.setdefault(reason, []).extend(phrases)
    return {reason: tuple(phrases) for reason, phrases in merged.items()}


_ALIASES: dict[str, Gazetteer] = {}


def _aliases(language: str) -> Gazetteer:
    """Extra concept labels of a lexicon (``concept_aliases``): «بناء الثقة» -> digital-trust."""
    cached = _ALIASES.get(language)
    if cached is None:
        spec = load_lexicon(language).data.get("concept_aliases", {})
        cached = Gazetteer(Entry(scheme, key, label, language)
                           for scheme, concepts in spec.items()
                           for key, labels in concepts.items() for label in labels)
        _ALIASES[language] = cached
    return cached


def extract_announcement(
    raw: str,
    *,
    path: str,
    gazetteer: Gazetteer,
    source_id: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    issued: str | None = None,
) -> Announcement:
    """Extract a draft announcement record from raw text or an HTML page.

    Args:
        raw: the text as archived, or an HTML page (then ``Announcement.text`` is the page's
            readable text, and offsets refer to it: archive that text).
        path: the file the text comes from, for messages.
        gazetteer: labels of the reference entities and concepts.
        source_id: the crawler's id; default the sha256 of ``url`` (or of the text), 16 hex.
        publisher: reference key of the publishing body (``ma/mtnra``); claims without a named
            speaker are its claims. Never guessed from the text.
        url: canonical URL; never guessed from the text.
        issued: date of issue (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``); never guessed.

    Returns:
        The announcement with its title, language, people and facts.
    """
    title_hint = heading = None
    text, html = raw, is_html(raw)
    if html:
        page = html_to_text(raw)
        text, title_hint, heading = page.text, page.title, page.heading
    sid = source_id or source_id_of(text, url)
    doc = Document(text)
    layout = segment(doc, {k: list(v) for k, v in _furniture().items()}, html_title=heading,
                     find_title=not html or heading is not None)
    title = text[slice(*layout.title)] if layout.title else (title_hint or "")
    body_text = "\n".join([title] + [text[s:e] for s, e in layout.body])
    language = detect_language(body_text) if body_text.strip() else "en"
    lex = load_lexicon(language)
    pack = _pack(language)
    sentences = split_sentences(doc, layout.body, lex.folded("sentence_abbreviations"))
    mentions = find_mentions(doc, sentences, gazetteer, lex, pack, _aliases(language))
    resolve_mentions(mentions, gazetteer)
    ctx = Context(doc, sentences, mentions, gazetteer, lex, pack, source_id=sid,
                  publisher=publisher)
    for mention in mentions.all():
        if mention.kind == "person":
            ctx.person_key(mention)
    run_rules(ctx)
    genre = _genre(doc, layout.breadcrumb, gazetteer)
    if publisher is None:
        log.warning("%s: no publisher given; claims of the announcement itself are left out",
                    path)
    if not ctx.facts:
        log.warning("%s: no fact found (language %s, %d body sentences)", path, language,
                    len(sentences))
    return Announcement(
        id=sid,
        publisher=publisher or "",
        language=language,
        title=title,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        url=url,
        issued=issued,
        genre=genre,
        people=tuple(ctx.people[k] for k in sorted(ctx.people)),
        facts=tuple(ctx.facts),
        path=path,
    )


def _genre(doc: Document, breadcrumb: list[tuple[int, int]], gazetteer: Gazetteer) -> str | None:
    """The genre a breadcrumb item names («مستجدات» -> news), if any."""
    for start, end in breadcrumb:
        tokens = [t for t in doc.tokens if start <= t.start and t.end <= end]
        for match in gazetteer.find([t.key for t in tokens], kinds={"genre"},
                                    surfaces=[t.surface for t in tokens]):
            if match.end - match.start == len(tokens):
                return match.entries[0].key
    return None
