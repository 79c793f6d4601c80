"""A one-line progress bar on stderr, for builds long enough to wonder about."""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY = 0.8  # seconds before the bar shows: a quick build prints only its summary


class ProgressBar:
    """Called as (stage, number, of); draws `[####----] 2/5 rendering 1000 pages` in place."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 24):
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.shown = False
        self.enabled = stream.isatty()

    def __call__(self, stage: str, number: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < DELAY and not self.shown:
            return
        filled = round(self.width * (number - 1) / max(total, 1))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r\x1b[2K[{bar}] {number}/{total} {stage}…")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
