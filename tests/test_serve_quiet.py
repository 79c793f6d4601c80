"""`sitegen serve` starts, rebuilds and stops without a Python traceback (issue 17): its
forked render workers must not inherit the server's SIGTERM handler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import write_post

POSTS = 40  # enough pages that rendering goes to the worker processes


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\nlanguageCode = "en"\n'
    )
    for number in range(POSTS):
        write_post(
            site,
            f"posts/p{number}.md",
            f"---\ntitle: Post {number}\ndate: 2024-01-{number % 28 + 1:02d}\n---\nText {number}.\n",
        )
    return site


def _wait_for(
    process: subprocess.Popen, lines: list[str], needle: str, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return
    raise AssertionError(f"{needle!r} not printed; got:\n{''.join(lines)}")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_starts_rebuilds_and_stops_without_a_traceback(tmp_path: Path, stop: signal.Signals):
    site = _site(tmp_path)
    env = {**os.environ, "SITEGEN_WORKERS": "2", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        _wait_for(process, lines, "Press Ctrl+C to stop")
        (site / "config.toml").write_text(
            'baseURL = "https://example.org/"\ntitle = "T2"\nlanguageCode = "en"\n'
        )
        _wait_for(process, lines, "files changed in")  # a full rebuild, over the workers again
        os.killpg(process.pid, stop)  # as a terminal's Ctrl-C or a process manager would
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    assert output.rstrip().endswith("stopped")
