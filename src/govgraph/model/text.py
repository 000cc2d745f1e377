"""Text normalization for matching names across Arabic, French and English.

Layer: model. Pure functions of ``str``; imports the standard library and pyarabic only.

The functions here never change what is stored as a label or quoted as evidence: they compute
*keys* that two spellings of one name share (``skos:hiddenLabel`` values, lookup keys), so a
mention such as «لـمنظمة» or «أُطلق» matches the reference label it means.

Where pyarabic has the operation (tashkeel, tatweel, alef and hamza forms, taa marbuta, lam-alef
ligatures) it is used, so the character sets stay pyarabic's; only what pyarabic lacks (bidi
control marks, alef maqsura to yeh, digits) is spelled out here.
"""

from __future__ import annotations

import re
import unicodedata

import pyarabic.araby as araby

__all__ = ["normalize_arabic", "search_key", "slugify", "to_ascii_digits"]

# Bidi controls (Unicode 15, UAX #9 table 1, category Cf): ALM, LRM, RLM, the embeddings and
# overrides LRE..RLO with PDF, and the isolates LRI..PDI. Copy-pasted Arabic from web pages and
# PDFs carries them invisibly; pyarabic has no function that removes them.
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)

# Arabic-Indic (U+0660..0669) and Extended Arabic-Indic (U+06F0..06F9, Persian/Urdu) digits.
# pyarabic.number converts number *words*, not digit characters, so the table is built here.
_ASCII_DIGITS = {
    **{0x0660 + n: str(n) for n in range(10)},
    **{0x06F0 + n: str(n) for n in range(10)},
}


def to_ascii_digits(text: str) -> str:
    """Replace Arabic-Indic and Extended Arabic-Indic digits with ASCII digits.

    Args:
        text: any text.

    Returns:
        ``text`` with U+0660..0669 and U+06F0..06F9 replaced by ``0``..``9``; nothing else changes.

    >>> to_ascii_digits("برسم سنة ٢٠٢٦")
    'برسم سنة 2026'
    >>> to_ascii_digits("۱۴ places, 14 places")
    '14 places, 14 places'
    """
    return text.translate(_ASCII_DIGITS)


def normalize_arabic(text: str) -> str:
    """Normalize Arabic text for matching: the form used for ``skos:hiddenLabel``.

    Steps, in order: NFC; remove bidi control marks; strip diacritics (harakat, tanwin,
    shadda, sukun, dagger alef, Quranic marks: ``araby.strip_diacritics``) and tatweel; split
    lam-alef ligatures; alef maqsura ى → yeh ي; hamza-on-alef and wasla forms أ إ آ ٱ → ا
    (``araby.normalize_alef``); the other hamza carriers as pyarabic's "tasheel" method does
    (ؤ → و, ئ → ي); taa marbuta ة → ه (``araby.normalize_teh``); whitespace runs (no-break
    spaces included) collapsed to one space and trimmed. Latin text passes through unchanged
    apart from NFC and whitespace.

    Args:
        text: any text.

    Returns:
        The normalized text.

    >>> normalize_arabic("لـمنظمة التعاون الرقمي")          # tatweel; taa marbuta
    'لمنظمه التعاون الرقمي'
    >>> normalize_arabic("أُطلق")                            # hamza on alef; damma
    'اطلق'
    >>> normalize_arabic("المملكة المغربية")
    'المملكه المغربيه'
    >>> normalize_arabic("إصلاح الإدارة وآمن")                # hamza below; madda
    'اصلاح الاداره وامن'
    >>> normalize_arabic("المرتبة الأولى")                    # alef maqsura
    'المرتبه الاولي'
    >>> normalize_arabic("السّعوديّة")                         # shadda
    'السعوديه'
    >>> normalize_arabic("مسؤول  عن\u00a0المسائل")           # hamza on waw and yeh; spaces
    'مسوول عن المسايل'
    >>> normalize_arabic("\u200fدولة الكويت\u200e")          # bidi marks
    'دوله الكويت'
    """
    text = unicodedata.normalize("NFC", text).translate(_BIDI_CONTROLS)
    text = araby.strip_tatweel(araby.strip_diacritics(text))
    text = araby.normalize_ligature(text)
    # Before normalize_alef: its pattern also maps alef maqsura to alef (pyarabic 0.6.15),
    # while matching wants ى → ي (على / علي, الأولى / الاولي are written both ways).
    text = text.replace(araby.ALEF_MAKSURA, araby.YEH)
    text = araby.normalize_alef(text)
    text = araby.normalize_hamza(text, method="tasheel")
    text = araby.normalize_teh(text)
    return " ".join(text.split())


def search_key(text: str) -> str:
    """Return a language-independent matching key for a name in Arabic, French or English.

    Compatibility forms are folded first (NFKC: Arabic presentation forms, ligatures such as
    ``ﬁ``, full-width letters); Arabic is then normalized as by :func:`normalize_arabic`; digits
    become ASCII; Latin letters are casefolded and their accents stripped (NFKD, combining marks
    dropped); punctuation,
    including quotes, guillemets, apostrophes, hyphens and the Arabic comma, is removed
    (replaced by a space, then whitespace is collapsed). Symbols such as ``&`` are kept.

    Args:
        text: any text.

    Returns:
        The key; equal keys mean "same name for matching purposes", never "same entity".

    >>> search_key("لـمنظمة التعاون الرقمي")
    'لمنظمه التعاون الرقمي'
    >>> search_key("Organisation de Coopération Numérique (DCO)")
    'organisation de cooperation numerique dco'
    >>> search_key("«AI Made in Morocco»") == search_key("“ai made in morocco”")
    True
    >>> search_key("Côte d'Ivoire")
    'cote d ivoire'
    >>> search_key("Guelmim-Oued Noun، ٢٠٢٥")
    'guelmim oued noun 2025'
    >>> search_key("\ufedf\ufee4\ufee8\ufec8\ufee4\ufe94")   # presentation forms of «لمنظمة»
    'لمنظمه'
    """
    # NFKC before the Arabic step, so that presentation forms (ﺔ U+FE94) become the letters
    # normalize_arabic rewrites; NFKD after it only separates Latin accents.
    text = unicodedata.normalize("NFKC", text)
    text = to_ascii_digits(normalize_arabic(text))
    text = unicodedata.normalize("NFKD", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        kept.append(" " if category.startswith("P") else char)
    return " ".join("".join(kept).casefold().split())


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of ``text`` (accents dropped, other characters to '-').

    >>> slugify("Amal El Fallah Seghrouchni")
    'amal-el-fallah-seghrouchni'
    >>> slugify("Koweït — État")
    'koweit-etat'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
