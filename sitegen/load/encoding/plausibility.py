"""How odd a stretch of text looks: the judge between a mojibake reading and its repair.

Mojibake has a recognisable texture whichever charset made it: symbols glued to letters
(`f√ºr`, `fÃ¼r`), an accented capital inside a lower-case word, C1 controls, private-use
characters, letters of two scripts in one word. Real text in any language rarely has
these. ftfy's badness measure knows the Windows-1252 texture; this one also knows Mac
Roman's, and it is cheap enough to run on every candidate.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Character kinds
LOWER, UPPER, DIGIT, SPACE, PUNCT, SYMBOL, ODD, EMOJI, MARK, CONTROL, PRIVATE, UNKNOWN = range(12)

# Symbols that almost only show up as pieces of mojibake in prose.
_ODD_SYMBOLS = set("√∆∂∑∏π∫Ω≈≠≤≥∞◊⁄ﬁﬂ‡†‰ƒˆ˜¯˘˙˚¸˝˛ˇ¨¤¦¬¶ªº±µ¥¢")
_EMOJI_PARTS = {0x200D, 0x20E3, 0xFE0E, 0xFE0F}
_COST = {ODD: 1.0, SYMBOL: 0.5, CONTROL: 10.0, PRIVATE: 4.0, UNKNOWN: 6.0}
_RARE_LETTER_COST = 1.5  # Latin Extended-B and IPA letters: Ǩ, ɐ
_WORDLIKE = {LOWER, UPPER, DIGIT}
_GLUE = {SYMBOL, ODD}
_CASED = (LOWER, UPPER)
_WORD_PUNCT = set("’‘´·‐‑")  # apostrophes (´ too: It´s) and hyphens sit inside words


@lru_cache(maxsize=4096)
def classify(char: str) -> tuple[int, str]:
    """The kind of a character and, for letters and marks, its script."""
    code = ord(char)
    if code < 0x80:
        if char.islower():
            return LOWER, "LATIN"
        if char.isupper():
            return UPPER, "LATIN"
        if char.isdigit():
            return DIGIT, ""
        if char in " \t\r\n\f\v":
            return SPACE, ""
        return (CONTROL, "") if code < 0x20 or code == 0x7F else (PUNCT, "")
    if code in _EMOJI_PARTS or 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF:
        return EMOJI, ""
    if char in _ODD_SYMBOLS:
        return ODD, ""
    if char in _WORD_PUNCT:
        return PUNCT, ""
    category = unicodedata.category(char)
    major = category[0]
    if major == "L":
        script = unicodedata.name(char, "UNKNOWN").split()[0]
        if script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"):
            return LOWER, "CJK"
        if script == "MODIFIER":  # ʼ ˈ: modifier letters go with any script
            return LOWER, ""
        return (UPPER if category == "Lu" else LOWER), script
    if major == "M":
        return MARK, unicodedata.name(char, "UNKNOWN").split()[0]
    if major == "N":
        return (DIGIT, "") if category == "Nd" else (ODD, "")  # ¼ ² ¹ are no digits
    if major == "Z":
        return SPACE, ""
    if category == "Sc":
        return PUNCT, ""  # € $ £ are everyday signs
    if major in "PS":
        kind = PUNCT if major == "P" else SYMBOL
        return kind, _script_of_sign(char, code)
    if category == "Co":
        return PRIVATE, ""
    if category in ("Cc",):
        return CONTROL, ""
    if category == "Cf":
        return EMOJI, ""  # joiners, soft hyphens, tags: invisible helpers
    return UNKNOWN, ""


def _script_of_sign(char: str, code: int) -> str:
    """Signs of a script's own block (Syriac ܅, Armenian ՞) belong to that script."""
    if 0x0370 <= code < 0x1E00:
        return unicodedata.name(char, "UNKNOWN").split()[0]
    return ""


def _is_rare_letter(char: str) -> bool:
    code = ord(char)
    return 0x0180 <= code < 0x02B0 and not 0x0218 <= code <= 0x021B  # Romanian ș ț are common


def _sign_then_accents(kinds: list[tuple[int, str]], text: str, i: int) -> bool:
    """A typographic sign, an accented letter, another non-ASCII character, with no
    space between: Mac Roman's ‚àö for √ and ‚â§ for ≤."""
    return (
        kinds[i - 1][0] == PUNCT
        and ord(text[i - 1]) >= 0x80
        and kinds[i][0] in _CASED
        and ord(text[i]) >= 0x80
        and ord(text[i + 1]) >= 0x80
        and kinds[i + 1][0] != SPACE
    )


def _pair_cost(
    left: tuple[int, str], right: tuple[int, str], left_char: str, right_char: str
) -> float:
    (lk, ls), (rk, rs) = left, right
    if ls != rs and ls and rs:
        return 4.0  # two scripts in one word
    right_foreign = ord(right_char) >= 0x80
    if lk in _CASED and rk in _CASED:
        if rk == UPPER and lk == LOWER and right_foreign:
            return 2.0  # fÃ¼r, fŸr: an accented capital inside a word
        if lk == UPPER and rk == LOWER and right_foreign and ord(left_char) >= 0x80:
            return 1.5  # Ãœ: two accented letters, the first a capital
        return 0.0
    if rk == MARK:
        return 0.5 if lk in _CASED and ls == rs else 3.0
    if lk == UPPER and ord(left_char) >= 0x80 and right_foreign and rk in (PUNCT, SYMBOL, ODD):
        return 2.0  # Â§, Ã„: an accented capital glued to a sign
    if (lk in _CASED and rk in _GLUE) or (lk in _GLUE and rk in _CASED):
        return 1.5  # a symbol glued to a letter
    if (
        (lk == ODD or rk == ODD)
        and right_foreign
        and ord(left_char) >= 0x80
        and SPACE not in (lk, rk)
    ):
        return 1.5  # √§, ∂√: a rare sign glued to another non-ASCII sign
    return 0.0


def _sign_inside_word(kinds: list[tuple[int, str]], text: str, i: int) -> bool:
    """A typographic sign between two letters: Ã„n, Stra§e (not l’été)."""
    return (
        kinds[i][0] in (PUNCT, SYMBOL)
        and ord(text[i]) >= 0x80
        and text[i] not in _WORD_PUNCT
        and text[i] not in "–—"  # ranges: A–Z, Mo–Fr
        and kinds[i - 1][0] in _CASED
        and kinds[i + 1][0] in _CASED
    )


def weirdness(text: str) -> float:
    """A score that grows with every mojibake-like feature of `text`; 0 for plain prose."""
    kinds = [classify(c) for c in text]
    score = sum(_COST.get(kind, 0.0) for kind, _ in kinds)
    score += _RARE_LETTER_COST * sum(1 for c in text if _is_rare_letter(c))
    for i in range(1, len(kinds)):
        score += _pair_cost(kinds[i - 1], kinds[i], text[i - 1], text[i])
        if i + 1 < len(kinds) and (
            _sign_inside_word(kinds, text, i) or _sign_then_accents(kinds, text, i)
        ):
            score += 2.0
    if not text.isascii():
        import ftfy.badness  # here, not at the top: a site without damaged text never pays for loading ftfy

        score += 2.0 * ftfy.badness.badness(text)  # it knows Windows-1252 mojibake well
    return score


def is_acceptable(repaired: str) -> bool:
    """A repair may not bring in controls, private-use or unassigned characters."""
    return not any(
        classify(c)[0] in (CONTROL, PRIVATE, UNKNOWN) for c in repaired if c not in "\t\r\n"
    )
