"""Bytes to text: a byte-order mark wins, then UTF-8, then the legacy charset that reads best.

Line endings are kept as they are; the front-matter splitter copes with CRLF.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from sitegen.errors import SiteError
from sitegen.load.encoding.model import DecodedText
from sitegen.load.encoding.mojibake import repair_text
from sitegen.load.encoding.plausibility import weirdness

# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LEGACY_CHARSETS = ("cp1252", "mac_roman", "latin-1")
_STRAY_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # not tab, newlines, ESC
_SAMPLE = 64 * 1024  # enough text to tell charsets apart and to spot binary data


def decode_source(data: bytes, path: Path | str, repair: bool = True) -> DecodedText:
    """Decode a content, data or i18n file and (with `repair`) repair any mojibake in it.

    Raises SiteError when the bytes are not text at all.
    """
    text, charset = decode_bytes(data, path)
    if not repair:
        return DecodedText(text, charset, ())
    repaired, repairs = repair_text(text)
    return DecodedText(repaired, charset, repairs)


def decode_content(data: bytes, path: Path | str, repair: bool = True) -> DecodedText:
    """decode_source for a content file, whose front matter can say `fixEncoding: false`
    (a post that quotes mojibake on purpose): then it is read as it is."""
    decoded = decode_source(data, path, repair)
    if not decoded.repairs:
        return decoded
    as_written = decode_source(data, path, repair=False)
    return as_written if _repair_refused(as_written.text, path) else decoded


def _repair_refused(text: str, path: Path | str) -> bool:
    from sitegen.load.front_matter import (
        split_front_matter,  # front matter parsing is heavy; rarely needed
    )

    try:
        meta = split_front_matter(text, path)[0]
    except SiteError:
        return False  # the build reports the front matter itself
    return any(str(key).lower() == "fixencoding" and value is False for key, value in meta.items())


def repair_enabled(raw_config: dict) -> bool:
    """The site's `fixEncoding` (default true)."""
    return (
        next(
            (value for key, value in raw_config.items() if str(key).lower() == "fixencoding"), True
        )
        is not False
    )


def decode_bytes(data: bytes, path: Path | str) -> tuple[str, str]:
    """The text of `data` and the charset it was read with, before any repair."""
    if data.isascii() and b"\x00" not in data:
        return _checked(data.decode("ascii"), path), "utf-8"
    for bom, charset in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_unicode(data[len(bom) :], charset, path), path), charset
    utf16 = _bomless_utf16(data)
    if utf16:
        return _checked(_decode_unicode(data, utf16, path), path), utf16
    if b"\x00" in data:
        raise _binary_error(path)
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    return _best_legacy_reading(data, path)


def _decode_unicode(data: bytes, charset: str, path: Path | str) -> str:
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        raise SiteError(
            f"the file starts like {charset} text but byte {error.start} is not valid {charset}",
            path,
            hint="the file is probably truncated or not text; re-save it as UTF-8",
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a mark shows up as a zero byte in every other position."""
    sample = data[:_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.4 * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _best_legacy_reading(data: bytes, path: Path | str) -> tuple[str, str]:
    """Read bytes that are not UTF-8 in the single-byte charset whose reading is least odd."""
    readings = []
    sample = data[:_SAMPLE]
    for rank, charset in enumerate(LEGACY_CHARSETS):
        try:
            text = sample.decode(charset)
        except UnicodeDecodeError:
            continue
        readings.append((weirdness(text), rank, charset))
    _, _, charset = min(readings)
    return _checked(data.decode(charset), path), charset


def _checked(text: str, path: Path | str) -> str:
    sample = text[:_SAMPLE]
    controls = len(_STRAY_CONTROL.findall(sample))
    if "\x00" in sample or (controls > 2 and controls > len(sample) / 100):
        raise _binary_error(path)
    return text


def _binary_error(path: Path | str) -> SiteError:
    return SiteError(
        "this file holds binary data, not text",
        path,
        hint="move images and other binary files out of content/, data/ and i18n/ "
        "(into static/ or a page bundle's resources), or save the file as UTF-8 text",
    )
