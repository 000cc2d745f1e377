"""English patterns: the article "the", the genitive "of", titles (Ms, Mr, Minister).

Layer: extract. Input: a Document and its sentences. Output: mentions for
:mod:`govgraph.extract.mentions`. Imports: this package.

English is the base behaviour of :class:`~govgraph.extract.language.LanguagePack`; what is
English is in ``lexicons/en.yaml`` and in the articles below. A possessive ("Morocco's")
folds to ``morocco s``: the ``s`` is skipped like a genitive.
"""

from __future__ import annotations

from govgraph.extract.language import LanguagePack
from govgraph.extract.lexicon import Lexicon

__all__ = ["EnglishPack"]


class EnglishPack(LanguagePack):
    """English: SVO order; the article "the"; genitive "of" and the possessive "'s"."""

    language = "en"

    def __init__(self, lex: Lexicon) -> None:
        super().__init__(lex)
        self.articles = frozenset({"the"})
        self.genitive = self.genitive | frozenset({"of", "s"})
