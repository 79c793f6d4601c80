"""Mojibake repair can be turned off, and never touches code in a file that is not damaged
as a whole (issue 17)."""

from __future__ import annotations

import html
from pathlib import Path

from conftest import run_sitegen, write_post

CONFIG = 'baseURL = "https://example.org/"\ntitle = "T"\nlanguageCode = "de"\ndefaultContentLanguage = "de"\n'

ABOUT_MOJIBAKE = """---
title: "Was ist Mojibake?"
date: 2024-03-01
---
Wenn ein Editor UTF-8 als Windows-1252 liest, wird aus „ä“ die Folge `Ã¤` und aus „für“
wird `fÃ¼r`; unter Mac Roman wird es `f√ºr`. Eine Mail sah dann so aus: GrÃ¼ÃŸe aus MÃ¼nchen.

```text
Gr├╝├Ôe: Ã¤ Ã¶ Ã¼ ÃŸ
f√ºr alle, die es nachprüfen wollen
```
"""

QUOTED_IN_PROSE = """---
title: "Beispiele"
date: 2024-03-02
{extra}---
So sieht es kaputt aus: fÃ¼r, Ã¼ber, GrÃ¶ÃŸe – und so richtig: für, über, Größe.
"""


def _site(tmp_path: Path, config: str = CONFIG) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.toml").write_text(config)
    return site


def _page_text(site: Path, slug: str) -> str:
    return html.unescape(
        (site / "public" / "posts" / slug / "index.html").read_text(encoding="utf-8")
    )


CODE_QUOTES = (
    "<code>Ã¤</code>",
    "<code>fÃ¼r</code>",
    "<code>f√ºr</code>",
    "Gr├╝├Ôe: Ã¤ Ã¶ Ã¼ ÃŸ",
    "f√ºr alle, die es nachprüfen wollen",
)


def test_code_spans_and_fences_are_never_repaired_stretch_by_stretch(tmp_path: Path):
    site = _site(tmp_path)
    write_post(site, "posts/mojibake.md", ABOUT_MOJIBAKE)
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    page = _page_text(site, "mojibake")
    for quoted in CODE_QUOTES:
        assert quoted in page, quoted
    assert "„ä“" in page
    assert "Grüße aus München" in page  # the prose quote reads as damage: repaired, and said so
    assert "mojibake.md: repaired encoding" in result.stderr


def test_a_post_about_mojibake_with_fix_encoding_false_is_published_as_written(tmp_path: Path):
    site = _site(tmp_path)
    write_post(
        site,
        "posts/mojibake.md",
        ABOUT_MOJIBAKE.replace("date: 2024-03-01\n", "date: 2024-03-01\nfixEncoding: false\n"),
    )
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    page = _page_text(site, "mojibake")
    for quoted in (*CODE_QUOTES, "GrÃ¼ÃŸe aus MÃ¼nchen"):
        assert quoted in page, quoted
    assert "repaired encoding" not in result.stderr


def test_front_matter_fix_encoding_false_keeps_quoted_mojibake_in_prose(tmp_path: Path):
    site = _site(tmp_path)
    write_post(site, "posts/kept.md", QUOTED_IN_PROSE.format(extra="fixEncoding: false\n"))
    write_post(site, "posts/repaired.md", QUOTED_IN_PROSE.format(extra=""))
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    assert "fÃ¼r, Ã¼ber, GrÃ¶ÃŸe" in _page_text(site, "kept")
    assert "fÃ¼r" not in _page_text(site, "repaired")  # repair stays on by default
    assert "kept.md" not in result.stderr and "repaired.md: repaired encoding" in result.stderr


def test_config_fix_encoding_false_turns_repair_off(tmp_path: Path):
    site = _site(tmp_path, CONFIG + "fixEncoding = false\n")
    write_post(site, "posts/repaired.md", QUOTED_IN_PROSE.format(extra=""))
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    assert "fÃ¼r, Ã¼ber, GrÃ¶ÃŸe" in _page_text(site, "repaired")
    assert "repaired encoding" not in result.stderr and "ignored config keys" not in result.stderr
