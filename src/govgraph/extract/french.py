"""French patterns: elided articles (l', d'), genitives (de, du, des), titles (Mme, M.).

Layer: extract. Input: a Document and its sentences. Output: mentions for
:mod:`govgraph.extract.mentions`. Imports: this package.

French shares the Latin-script behaviour of :class:`~govgraph.extract.language.LanguagePack`
(capitalized names, quoted names, head noun + name); what is French is in ``lexicons/fr.yaml``
and in the articles below: «l'Organisation» folds to ``l organisation``, so the elided
article is a word of its own.
"""

from __future__ import annotations

from govgraph.extract.language import LanguagePack
from govgraph.extract.lexicon import Lexicon

__all__ = ["FrenchPack"]


class FrenchPack(LanguagePack):
    """French: SVO order; articles le, la, l', les; genitives de, du, des, d'."""

    language = "fr"

    def __init__(self, lex: Lexicon) -> None:
        super().__init__(lex)
        self.articles = frozenset({"le", "la", "l", "les"})
        self.genitive = self.genitive | frozenset({"de", "du", "des", "d"})
