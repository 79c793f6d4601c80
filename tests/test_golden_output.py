"""Built output stays byte-identical: every test site against its golden checksum list.

`tools/golden.py` builds each site through the real command line (`--ignoreCache`, the clock
pinned to one build date, see its docstring) and compares every output file's sha256 with
`tests/golden/<site>.sha256`. A refactoring must leave these lists alone; a change of output
on purpose regenerates them with `python tools/golden.py --write`, and the diff of the lists
shows in review which files changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import golden  # noqa: E402


@pytest.mark.parametrize("site", list(golden.SITES))
def test_output_matches_the_golden_list(site):
    if not (golden.SITES[site] / "config.toml").is_file() and not os.environ.get("CI"):
        pytest.skip(f"the {site} site is not at {golden.SITES[site]}")
    expected = golden.read_list(site)
    actual = golden.built_checksums(site)
    changes = golden.differences(expected, actual)
    versions = golden.version_changes()
    assert not changes, (
        f"{site}: {len(changes)} output file(s) differ from tests/golden/{site}.sha256:\n  "
        + "\n  ".join(changes)
        + (
            f"\nlibraries changed since the lists were written: {', '.join(versions)}"
            if versions
            else ""
        )
        + f"\nif the change is on purpose, regenerate the lists: {golden.REGENERATE}"
    )


def test_the_build_date_is_pinned(tmp_path):
    """The pin reaches the output (the footer's year), so the lists do not change with the clock."""
    later = golden.BUILD_DATE.replace(year=2031)
    golden.build("example", tmp_path / "public", later)
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="copyright">©&nbsp;\d{4}–2031 ', home), (
        "the footer's year is not the pinned one"
    )


def test_the_list_is_what_a_build_writes(tmp_path):
    """The list format round-trips and a difference names each changed, added and removed path."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("one")
    (tmp_path / "b.xml").write_text("two")
    sums = golden.checksums(tmp_path)
    assert golden.list_text(sums).splitlines() == [
        f"{hashlib.sha256(b'one').hexdigest()}  a/index.html",
        f"{hashlib.sha256(b'two').hexdigest()}  b.xml",
    ]
    changed = dict(sums, **{"a/index.html": "0" * 64, "c.txt": "1" * 64})
    del changed["b.xml"]
    assert golden.differences(sums, changed) == [
        "changed: a/index.html",
        "added:   c.txt",
        "removed: b.xml",
    ]
