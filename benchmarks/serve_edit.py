"""Time from saving one edited post to its preview server serving the new text.

The server runs on loopback only. Each edit appends a fresh marker sentence to the post's
Markdown file; the page is then polled over HTTP every few milliseconds until the marker
appears. Every wait is bounded, and the server is always stopped afterwards.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tools import Tool

POLL_INTERVAL_S = 0.005
SETTLE_S = 0.5  # pause between edits so each one is seen as a separate change
# Extra pause, different for each edit: Hugo collects file events on a 500 ms ticker, and
# equal pauses would land every edit at the same point of that cycle.
SPREAD_S = 0.5


# A server's own report of one rebuild: Hugo prints "Total in 9 ms"; sitegen serve should
# print a line ending the same way ("rebuilt 1 page in 12 ms").
REPORTED_TIME = re.compile(rb"\bin\s+([0-9]+(?:\.[0-9]+)?)\s*(ms|s)\b")
REPORT_WAIT_S = 2.0


@dataclass(frozen=True)
class EditTimes:
    startup_s: float  # server start until the post's page answers
    edits_s: list[float]  # saving the file until the page shows the edit (what a user waits)
    reported_s: list[float]  # the server's own rebuild time for each edit, where it says one


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_edits(
    tool: Tool,
    site: Path,
    work: Path,
    post_file: Path,
    url_path: str,
    edits: int,
    startup_timeout_s: float = 300,
    edit_timeout_s: float = 60,
) -> EditTimes:
    """Start `tool`'s server, make `edits` edits to `post_file`, return the times."""
    port = free_port()
    out, cache = work / f"{tool.name}-serve-out", work / f"{tool.name}-serve-cache"
    cache.mkdir(parents=True, exist_ok=True)
    command = tool.serve_command(site, out, cache, port)
    log_path = work / f"{tool.name}-serve.log"
    log = open(log_path, "wb")
    started = time.perf_counter()
    server = subprocess.Popen(
        command,
        cwd=site if tool.cwd_is_site else None,
        env={**tool.environment(), "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    original = post_file.read_bytes()
    url = f"http://127.0.0.1:{port}{url_path}"
    try:
        _wait_until(lambda: _fetch(url) is not None, startup_timeout_s, server, "answer")
        startup = time.perf_counter() - started
        times, reported = [], []
        for number in range(edits):
            time.sleep(SETTLE_S + (number * 0.618 % 1) * SPREAD_S)
            log_offset = log_path.stat().st_size
            marker = f"Benchmark edit {number} {time.time_ns()}"
            post_file.write_bytes(original + f"\n\n{marker}.\n".encode())
            saved = time.perf_counter()
            _wait_until(
                lambda: marker.encode() in (_fetch(url) or b""),
                edit_timeout_s,
                server,
                f"show edit {number}",
            )
            times.append(time.perf_counter() - saved)
            reported.extend(_reported_time(log_path, log_offset))
        return EditTimes(startup, times, reported)
    finally:
        post_file.write_bytes(original)
        _stop(server)
        log.close()


def _reported_time(log_path: Path, offset: int) -> list[float]:
    """The last rebuild time the server logged after `offset`, waiting briefly for it."""
    deadline = time.perf_counter() + REPORT_WAIT_S
    while time.perf_counter() < deadline:
        with open(log_path, "rb") as log:
            log.seek(offset)
            found = REPORTED_TIME.findall(log.read())
        if found:
            value, unit = found[-1]
            return [float(value) / (1000 if unit == b"ms" else 1)]
        time.sleep(0.05)
    return []


def _fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (
        urllib.error.URLError,
        http.client.HTTPException,
        ConnectionError,
        TimeoutError,
        OSError,
    ):
        return None  # not up yet, or a response cut short while the server rebuilt: ask again


def _wait_until(condition, timeout_s: float, server: subprocess.Popen, what: str) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if server.poll() is not None:
            raise RuntimeError(f"server exited ({server.returncode}) before it could {what}")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"server did not {what} within {timeout_s:.0f} s")
        time.sleep(POLL_INTERVAL_S)


def _stop(server: subprocess.Popen) -> None:
    """Stop the server we started (its own session, so its children go too)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
