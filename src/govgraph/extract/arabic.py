"""Arabic patterns: proclitics, the definite article, names after an honorific, initiative
names written as a head noun and its genitive («شبكة معاهد الجزري»).

Layer: extract. Input: a Document and its sentences. Output: mentions for
:mod:`govgraph.extract.mentions`. Imports: the standard library, govgraph.model, this package.

Arabic has no capitals, so a name ends at punctuation, at a word of ``name_stop`` (a post,
a preposition, a relative pronoun), or at a word carrying the preposition ك ("as a ...");
a name with an acronym in parentheses («... (D4SD)») runs up to the parenthesis. A head noun
starts a name only right after a launch cue («إطلاق», «الأولى هي») or before an acronym, so
«مركز» in running text is not taken for a centre.
"""

from __future__ import annotations

from govgraph.extract.language import LanguagePack, _acronym_after
from govgraph.extract.lexicon import Lexicon, TokenLine
from govgraph.extract.mentions import Mention
from govgraph.extract.normalize import Document, Sentence
from govgraph.model.gazetteer import Gazetteer, is_arabic, proclitic_variants

__all__ = ["ArabicPack"]


class ArabicPack(LanguagePack):
    """Arabic: VSO order, the article ال, proclitics, honorific + name."""

    language = "ar"
    subject_first = False

    def skip_genitive(self, doc: Document, index: int, limit: int) -> int:
        # the genitive is a juxtaposition or the proclitic ل: nothing to skip
        return index

    def has_genitive(self, doc: Document, index: int, limit: int) -> bool:
        """A definite word right after a head is its genitive or adjective: «المجلس الوطني»."""
        if index >= limit or doc.gap(index - 1):
            return False
        key = doc.tokens[index].key
        return key.startswith(("ال", "لل"))

    def is_definite(self, doc: Document, index: int) -> bool:
        return any(v.startswith("ال") for v in proclitic_variants(doc.tokens[index].key))

    def strip_item(self, doc: Document, first: int, after_comma: bool) -> int:
        """Drop the conjunction و of a list item after a comma: «، وتعزيز» -> «تعزيز».

        «إلى جانب وضع» keeps its و: after a connector, و is a letter of the word.
        """
        token = doc.tokens[first]
        if after_comma and token.key.startswith("و") and len(token.key) > 3:
            return token.start + 1
        return token.start

    # ---- persons ----------------------------------------------------------------------

    def _match_words(self, doc: Document, index: int, limit: int,
                     options: list[list[str]]) -> int:  # type: ignore[override]
        longest = max((len(w) for w in options), default=0)
        keys = [t.key for t in doc.tokens[index:min(limit, index + longest)]]
        best = 0
        for words in options:
            n = len(words)
            if n > len(keys) or n <= best:
                continue
            if words[0] in proclitic_variants(keys[0]) and keys[1:n] == words[1:] and \
                    not any(doc.gap(index + k) for k in range(n - 1)):
                best = n
        return best

    def _may_start_person(self, key: str) -> bool:
        return any(v in self.person_starts for v in proclitic_variants(key)[:2])

    def _person_at(self, doc: Document, i: int, limit: int, gazetteer: Gazetteer,
                   blocked: frozenset[int], known: list[list[str]]) -> Mention | None:
        for gender in ("female", "male"):
            n = self._match_words(doc, i, limit, self.titles[gender])
            if not n:
                continue
            nominal, nominal_gender = self._nominal_at(doc, i + n, limit)
            if nominal:
                return Mention(i, i + n + nominal, "anaphor", None,
                               {"target": "person", "gender": nominal_gender or gender})
            end = i + n
            keys = [t.key for t in doc.tokens[i + n:limit]]
            seen = max((len(name) for name in known if keys[:len(name)] == name), default=0)
            while not seen and end < limit and end - (i + n) < 5 and end not in blocked:
                token = doc.tokens[end]
                if token.key in self.name_stop or not is_arabic(token.key):
                    break
                end += 1
                if doc.gap(end - 1):
                    break
            if seen:
                end = i + n + seen
            if end - (i + n) < 2:
                break
            mention = self._person_mention(doc, i, i + n, end, gender, gazetteer)
            latin = self._latin_after(doc, end - 1, limit)
            if latin is not None:
                mention.data["name_end"] = end
                mention.data["latin"] = doc.raw[doc.tokens[latin[0]].start:
                                                doc.tokens[latin[1] - 1].end]
                mention.last = latin[1]
            return mention
        nominal, nominal_gender = self._nominal_at(doc, i, limit)
        if nominal:
            return Mention(i, i + nominal, "anaphor", None,
                           {"target": "person", "gender": nominal_gender})
        return None

    def _latin_after(self, doc: Document, index: int, limit: int) -> tuple[int, int] | None:
        """A Latin-script name in parentheses right after token ``index``."""
        if index + 1 >= limit or "(" not in doc.between(index):
            return None
        j = index + 1
        while j < limit and not is_arabic(doc.tokens[j].key) and \
                doc.tokens[j].surface[:1].isupper():
            if ")" in doc.between(j):
                return (index + 1, j + 1) if j > index else None
            j += 1
        return None

    # ---- initiative names -------------------------------------------------------------

    def find_names(self, doc: Document, sentence: Sentence, lex: Lexicon,
                   gazetteer: Gazetteer, blocked: frozenset[int] = frozenset()
                   ) -> list[Mention]:
        heads = self.heads(gazetteer)
        found = self._quoted_names(doc, sentence, heads, blocked)
        taken = {i for m in found for i in range(m.first, m.last)} | set(blocked)
        intro_ends = {m.last for m in lex.cue("initiative_intro").finditer(
            _line(doc, sentence))}
        i = sentence.first
        while i < sentence.last:
            if i in taken:
                i += 1
                continue
            token = doc.tokens[i]
            head = next((heads[v] for v in proclitic_variants(token.key)[:2] if v in heads),
                        None)
            if head is None or token.key.startswith("ك"):
                i += 1
                continue
            end, acronym = self._name_extent(doc, i, sentence.last, frozenset(taken))
            introduced = i in intro_ends or (i - 1) in intro_ends
            if end - i < 2 or not (introduced or acronym):
                i += 1
                continue
            label = doc.raw[token.start:doc.tokens[end - 1].end]
            if token.key.startswith("و") and not any(v == token.key for v in heads):
                label = label[1:]
            kind, itype = head
            data = {"label": label, "lang": "ar", "itype": itype,
                    "acronym": acronym[0] if acronym else None}
            last = acronym[1] if acronym else end
            found.append(Mention(i, last, kind, None, data))
            taken.update(range(i, last))
            i = last
        return found

    def _name_extent(self, doc: Document, head: int, limit: int, taken: frozenset[int]
                     ) -> tuple[int, tuple[str, int] | None]:
        """End of the name starting with head noun ``head``, and an acronym after it."""
        j = head + 1
        while j < limit and j - head < 8 and j not in taken:
            token = doc.tokens[j]
            if not is_arabic(token.key) or token.key in self.name_stop:
                break
            j += 1
            if doc.gap(j - 1):
                break
        acronym = _acronym_after(doc, j - 1, limit)
        if acronym:
            return j, acronym
        # without an acronym a name is short and ends before a word with ك/ب ("as", "by")
        end = head + 1
        while end < j and end - head < 4 and not doc.tokens[end].key.startswith(("ك", "ب")):
            end += 1
        return end, None


def _line(doc: Document, sentence: Sentence) -> TokenLine:
    return TokenLine([t.key for t in doc.tokens[sentence.first:sentence.last]],
                     offset=sentence.first)
