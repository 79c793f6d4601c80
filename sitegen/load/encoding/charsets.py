"""The single-byte charsets that UTF-8 text gets mis-read as, as tables and patterns.

A *family* maps each byte 0x80-0xFF to the character a tool showed for it. Reading
mojibake back means turning those characters into their bytes again and decoding the
bytes as UTF-8. Windows-1252 and Latin-1 form one family: their characters for
0x80-0x9F never collide (typographic signs vs. C1 controls), so one table undoes both,
and also the browsers' Windows-1252 that shows its five undefined bytes as C1 controls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NOT_ENCODABLE = "\u0100"  # maps a foreign character to something latin-1 cannot encode


def _windows_1252(byte: int) -> str:
    """The character Windows-1252 shows for `byte`; its five undefined bytes show as the
    C1 controls of the same number, as browsers (and ftfy's "sloppy" codec) read them."""
    return bytes([byte]).decode("cp1252", errors="ignore") or chr(byte)


C1_CONTROLS = frozenset(chr(c) for c in range(0x80, 0xA0))
CP1252_SIGNS = frozenset(_windows_1252(byte) for byte in range(0x80, 0xA0)) - C1_CONTROLS


@dataclass(frozen=True)
class Family:
    """One way of mis-reading bytes: its name in reports and its byte table."""

    name: str
    byte_of: dict[str, int]  # character -> the byte it was read from
    sequence: re.Pattern[str] = field(repr=False)  # one mis-read UTF-8 sequence
    translate_table: dict[int, str] = field(repr=False)

    def to_bytes(self, text: str) -> bytes | None:
        """The bytes `text` was read from, or None when a character is foreign to the family."""
        raw = text.translate(self.translate_table)
        try:
            return raw.encode("latin-1")
        except UnicodeEncodeError:
            return None

    def undo(self, text: str) -> str | None:
        """Read `text` back as the UTF-8 it came from, or None when it is not such text."""
        raw = self.to_bytes(text)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def _make_family(name: str, chars_by_byte: dict[int, list[str]]) -> Family:
    byte_of = {c: b for b, cs in chars_by_byte.items() for c in cs}
    lead2 = _char_class([c for b in range(0xC2, 0xE0) for c in chars_by_byte[b]])
    lead3 = _char_class([c for b in range(0xE0, 0xF0) for c in chars_by_byte[b]])
    lead4 = _char_class([c for b in range(0xF0, 0xF5) for c in chars_by_byte[b]])
    cont = _char_class([c for b in range(0x80, 0xC0) for c in chars_by_byte[b]])
    sequence = re.compile(f"{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}}")
    table = {ord(c): chr(b) for c, b in byte_of.items()}
    for code in range(0x80, 0x100):  # a Latin-1 character the family lacks must not pass
        table.setdefault(code, _NOT_ENCODABLE)
    return Family(name, byte_of, sequence, table)


def _windows_latin() -> Family:
    chars: dict[int, list[str]] = {}
    for byte in range(0x80, 0x100):
        latin1 = chr(byte)
        windows = _windows_1252(byte)
        chars[byte] = [latin1] if windows == latin1 else [windows, latin1]
    return _make_family("Windows-1252", chars)


def _mac_roman() -> Family:
    chars = {b: [bytes([b]).decode("mac_roman")] for b in range(0x80, 0x100)}
    chars[0xDB].append("\u00a4")  # Mac OS before 8.5 had the currency sign where € is now
    return _make_family("Mac Roman", chars)


WINDOWS_LATIN = _windows_latin()
MAC_ROMAN = _mac_roman()
FAMILIES = (WINDOWS_LATIN, MAC_ROMAN)


def _suspect_pair(family: Family) -> str:
    leads = sorted(c for c, b in family.byte_of.items() if b >= 0xC2)
    conts = sorted(c for c, b in family.byte_of.items() if 0x80 <= b < 0xC0)
    return _char_class(leads) + _char_class(conts)


# A character that starts a mis-read sequence directly followed by one that continues it,
# in either family: text without such a pair holds no mojibake (the quick pre-check).
SUSPECT_PAIR = re.compile("|".join(_suspect_pair(family) for family in FAMILIES))
# Both characters of a suspect pair are above ASCII. Clean German text rarely has two such
# characters in a row, and this one-range pattern scans it faster than SUSPECT_PAIR's alternatives
# (written as the complement of ASCII: the range [\x80-\U0010ffff] is the same set, but
# compiling it cost 8 ms of every build's start-up).
NON_ASCII_PAIR = re.compile("[^\x00-\x7f][^\x00-\x7f]")
FIRST_NON_ASCII = re.compile("[^\x00-\x7f]")
