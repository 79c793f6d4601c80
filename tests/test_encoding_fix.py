"""`sitegen fix-encoding`: dry-run diffs, --write with backups, exit status."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from sitegen.load.encoding import fix_encoding_command

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_7e6f5bbde1a89b62.txt"
CLEAN = "---\ntitle: Größe\n---\n„Zitat“ für alle 🐄\r\n"


def run(paths, write=False, backup_dir=None) -> tuple[int, str]:
    out = io.StringIO()
    status = fix_encoding_command(list(paths), write=write, backup_dir=backup_dir, out=out)
    return status, out.getvalue()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    path = tmp_path / "content" / "posts" / "seed.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(SEED.read_bytes())
    return path


def test_dry_run_shows_a_diff_and_changes_nothing(seed_copy: Path):
    before = seed_copy.read_bytes()
    status, output = run([seed_copy])
    assert status == 1
    assert f"--- a/{seed_copy}" in output and f"+++ b/{seed_copy}" in output
    assert '-title: "' in output and '+title: "🦾6️⃣4️⃣' in output
    assert "\n+Ebenfalls ist uns" in output
    assert "UTF-8 read as Mac Roman" in output and "--write" in output
    assert seed_copy.read_bytes() == before
    assert sorted(p.name for p in seed_copy.parent.iterdir()) == ["seed.md"]


def test_write_fixes_the_seed_and_keeps_everything_else_byte_exact(seed_copy: Path):
    original = seed_copy.read_bytes()
    status, output = run([seed_copy], write=True)
    assert status == 1
    fixed = seed_copy.read_bytes()
    text = fixed.decode("utf-8")
    for mojibake in ("√", "Ô∏è", "‚É£", "ü¶"):
        assert mojibake not in text
    assert "geändert" in text and "lauffähig" in text
    # Only the damaged characters changed: the file is the original's bytes, read back.
    assert fixed == original.decode("utf-8").encode("mac_roman")
    assert not fixed.endswith(b"\n") and b"\r" not in fixed
    backup = seed_copy.with_name("seed.md.orig")
    assert backup.read_bytes() == original
    assert f"fixed {seed_copy}" in output
    assert run([seed_copy]) == (0, "fix-encoding: nothing to fix\n")


def test_write_with_backup_dir_keeps_the_relative_path(
    seed_copy: Path, tmp_path: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    original = seed_copy.read_bytes()
    status, _ = run([Path("content")], write=True, backup_dir=Path("backups"))
    assert status == 1
    assert (tmp_path / "backups" / "content" / "posts" / "seed.md").read_bytes() == original
    assert not seed_copy.with_name("seed.md.orig").exists()


def test_an_earlier_backup_is_never_overwritten(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes("f√ºr".encode())
    (tmp_path / "a.md.orig").write_bytes(b"older backup")
    assert run([path], write=True)[0] == 1
    assert (tmp_path / "a.md.orig").read_bytes() == b"older backup"
    assert (tmp_path / "a.md.orig.1").read_bytes() == "f√ºr".encode()
    assert path.read_bytes() == "für".encode()


def test_clean_files_are_never_touched(tmp_path: Path):
    path = tmp_path / "clean.md"
    path.write_bytes(CLEAN.encode("utf-8"))
    os.utime(path, (1_000_000, 1_000_000))
    assert run([tmp_path], write=True) == (0, "fix-encoding: nothing to fix\n")
    assert path.read_bytes() == CLEAN.encode("utf-8")
    assert path.stat().st_mtime == 1_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.md"]


def test_crlf_file_keeps_crlf_and_missing_final_newline(tmp_path: Path):
    text = "---\r\ntitle: Größe\r\n---\r\nFür alle 🐄\r\nEnde ohne Zeilenumbruch: schön"
    path = tmp_path / "crlf.md"
    damaged = text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
    path.write_bytes(damaged)
    assert run([path], write=True)[0] == 1
    assert path.read_bytes() == text.encode("utf-8")


def test_legacy_charset_file_is_rewritten_as_utf8(tmp_path: Path):
    text = "Die Größe für Übersichten wurde geändert.\n"
    path = tmp_path / "legacy.md"
    path.write_bytes(text.encode("cp1252"))
    status, output = run([path])
    assert status == 1 and "saved as cp1252, not UTF-8" in output
    assert run([path], write=True)[0] == 1
    assert path.read_bytes() == text.encode("utf-8")


def test_utf8_bom_is_kept_when_repairing(tmp_path: Path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + "f√ºr\n".encode())
    assert run([path], write=True)[0] == 1
    assert path.read_bytes() == b"\xef\xbb\xbf" + "für\n".encode()


def test_folders_are_walked_for_text_files_only(tmp_path: Path):
    (tmp_path / "post.md").write_bytes("ge√§ndert\n".encode())
    (tmp_path / "strings.toml").write_bytes('x = "fÃ¼r"\n'.encode())
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    status, output = run([tmp_path])
    assert status == 1
    assert "post.md" in output and "strings.toml" in output and "logo.png" not in output
    assert "2 files to fix" in output


def test_errors_give_status_2_and_the_rest_is_still_checked(tmp_path: Path):
    junk = tmp_path / "junk.md"
    junk.write_bytes(bytes(range(256)))
    damaged = tmp_path / "post.md"
    damaged.write_bytes("ge√§ndert\n".encode())
    status, output = run([junk, tmp_path / "missing.md", damaged])
    assert status == 2
    assert f"error: {junk}: this file holds binary data" in output
    assert f"error: {tmp_path / 'missing.md'}: no such file or folder" in output
    assert "+geändert" in output
