"""Reading source bytes: BOMs, UTF-16/32, legacy charsets, CRLF, empty and binary files,
and mojibake repair that never touches clean text."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from sitegen.errors import SiteError
from sitegen.load.encoding import DecodedText, Repair, decode_source, repair_text

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "encoding"
SEED = HERE.parents[0].parent / "shared" / "seed" / "000_7e6f5bbde1a89b62.txt"
SEED_TITLE = (
    "🦾6️⃣4️⃣ 🐄 Janmuhary 2024 Update | Das Multiarch (x86 + ARM64) & Performance Update - Revision E"
)
GERMAN = "Größe geändert: für „alle“ Übersichten — 5 €\n"


def test_seed_post_reads_correctly():
    decoded = decode_source(SEED.read_bytes(), SEED)
    title = re.search(r'^title: "(.*)"$', decoded.text, re.M).group(1)
    assert title == SEED_TITLE
    assert "geändert" in decoded.text and "lauffähig" in decoded.text
    for mojibake in ("√", "Ô∏è", "‚É£", "ü¶"):
        assert mojibake not in decoded.text
    assert decoded.changed
    assert decoded.describe().startswith("UTF-8 read as Mac Roman, ")


def test_seed_repair_is_the_whole_document_round_trip():
    damaged = SEED.read_bytes().decode("utf-8")
    assert decode_source(SEED.read_bytes(), SEED).text == damaged.encode("mac_roman").decode(
        "utf-8"
    )


@pytest.mark.parametrize(
    "bom, codec, charset",
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_byte_order_mark_wins_and_is_dropped(bom, codec, charset):
    decoded = decode_source(bom + GERMAN.encode(codec), "post.md")
    assert decoded == DecodedText(GERMAN, charset, ())
    assert not decoded.changed


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec):
    decoded = decode_source(("---\ntitle: x\n---\n" + GERMAN).encode(codec), "post.md")
    assert decoded.text.endswith(GERMAN)
    assert decoded.charset == codec


def test_crlf_line_endings_are_kept():
    text = GERMAN.replace("\n", "\r\n") * 3
    assert decode_source(text.encode("utf-8"), "post.md").text == text


def test_damaged_crlf_file_is_repaired_with_crlf_kept():
    text = "---\r\ntitle: Größe\r\n---\r\nFür alle 🐄\r\n"
    damaged = text.encode("utf-8").decode("mac_roman").encode("utf-8")
    decoded = decode_source(damaged, "post.md")
    assert decoded.text == text
    assert decoded.repairs == (Repair("UTF-8 read as Mac Roman", 2),)


def test_empty_file_is_empty_text():
    assert decode_source(b"", "empty.md") == DecodedText("", "utf-8", ())


@pytest.mark.parametrize("charset, name", [("cp1252", "cp1252"), ("mac_roman", "mac_roman")])
def test_legacy_bytes_are_read_in_the_charset_that_reads_best(charset, name):
    text = "---\ntitle: Änderungen\n---\nDie Größe für Übersichten wurde geändert. Straße, Fuß.\n"
    decoded = decode_source(text.encode(charset), "post.md")
    assert decoded.text == text
    assert decoded.charset == name
    assert decoded.changed
    assert decoded.describe() == f"saved as {name}, not UTF-8"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01" + b"\x03\x04\x05\x06" * 50,
    ],
    ids=["png", "all bytes", "elf"],
)
def test_binary_junk_is_a_clear_error(data):
    with pytest.raises(SiteError) as raised:
        decode_source(data, "content/posts/logo.md")
    assert raised.value.path == "content/posts/logo.md"
    assert "binary" in raised.value.message
    assert "UTF-8" in raised.value.hint


def test_truncated_utf16_is_a_clear_error():
    with pytest.raises(SiteError) as raised:
        decode_source(codecs.BOM_UTF16_LE + "Größe".encode("utf-16-le") + b"\x00", "data/x.yaml")
    assert "utf-16-le" in raised.value.message and raised.value.path == "data/x.yaml"


def test_ascii_file_is_untouched():
    text = '---\ntitle: plain\n---\nJust ASCII, with `code` and "quotes".\r\n'
    assert decode_source(text.encode(), "a.md") == DecodedText(text, "utf-8", ())


# -- clean text stays as written, to the byte -----------------------------------------------

CLEAN = (FIXTURES / "clean.md").read_text(encoding="utf-8")


def test_clean_fixture_file_is_unchanged():
    decoded = decode_source(CLEAN.encode("utf-8"), "clean.md")
    assert decoded == DecodedText(CLEAN, "utf-8", ())


@pytest.mark.parametrize("line", [line for line in CLEAN.splitlines() if line.strip()])
def test_each_clean_line_alone_is_unchanged(line):
    assert repair_text(line) == (line, ())


def test_clean_file_with_crlf_and_no_trailing_newline_is_unchanged():
    text = CLEAN.replace("\n", "\r\n").rstrip("\r\n")
    assert decode_source(text.encode("utf-8"), "clean.md").text == text


# -- repairs, from a fixture file of (title, damaged, expected) -----------------------------


def _repair_cases() -> list[tuple[str, str, str]]:
    cases = []
    text = (FIXTURES / "repairs.txt").read_text(encoding="utf-8")
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        title, rest = block.split("\n", 1)
        damaged, expected = rest.split("<<<>>>\n")
        cases.append((title, damaged.rstrip("\n"), expected.rstrip("\n")))
    return cases


@pytest.mark.parametrize(
    "title, damaged, expected", _repair_cases(), ids=[c[0] for c in _repair_cases()]
)
def test_repair_cases(title, damaged, expected):
    repaired, repairs = repair_text(damaged)
    assert repaired == expected
    assert repairs


def test_repair_names_each_kind_of_damage_with_its_line_count():
    text = "Erste Zeile f√ºr alle\nZweite Zeile fÃ¼r alle\nDritte f√ºr\n"
    repaired, repairs = repair_text(text)
    assert repaired == "Erste Zeile für alle\nZweite Zeile für alle\nDritte für\n"
    assert sorted(repairs, key=lambda r: r.kind) == [
        Repair("UTF-8 read as Mac Roman", 2),
        Repair("UTF-8 read as Windows-1252", 1),
    ]
    decoded = DecodedText(repaired, "utf-8", (Repair("UTF-8 read as Mac Roman", 57),))
    assert decoded.describe() == "UTF-8 read as Mac Roman, 57 lines"


MEANT_ODD = "Mojibake documented in code"
STRESS_LINES = [l for l in CLEAN.splitlines() if not l.isascii() and not l.startswith(MEANT_ODD)]


@pytest.mark.parametrize("charset", ["mac_roman", "cp1252", "latin-1", "sloppy-windows-1252"])
def test_one_damaged_line_among_tricky_clean_lines_is_restored(charset):
    for i, line in enumerate(STRESS_LINES):
        try:
            damaged = line.encode("utf-8").decode(charset)
        except UnicodeDecodeError:
            continue  # this charset cannot produce this damage
        text = "\n".join(STRESS_LINES[:i] + [damaged] + STRESS_LINES[i + 1 :])
        assert decode_source(text.encode("utf-8"), "post.md").text == "\n".join(STRESS_LINES), line
