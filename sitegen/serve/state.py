"""The site being served: one immutable snapshot, swapped whole after each good build.

A request takes the current snapshot once and answers from it alone, so it sees either the
old site or the new one, never a mix, and it never waits for a rebuild in flight. Open
pages learn about changes through `wait`, which the live-reload stream blocks on.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from sitegen.serve.livereload import Status


@dataclass(frozen=True)
class Snapshot:
    """One good build, as served: rendered files in memory, copied files read from disk."""

    outputs: Mapping[str, bytes]  # site-relative path -> rendered bytes
    copies: Mapping[
        str, Path
    ]  # site-relative path -> file on disk (static files, bundle resources)
    roots: tuple[
        Path, ...
    ]  # resolved folders a copied file must lie in (symlinks pointing out are refused)
    base_path: str = "/"  # the base URL's path: "/" or e.g. "/blog/"
    version: str = ""
    not_found: Mapping[str, str] = field(
        default_factory=dict
    )  # "de/" -> "de/404.html", "" -> "404.html"


def make_snapshot(
    outputs: dict[str, bytes],
    copies: list[tuple[Path, str]],
    roots: list[Path],
    base_path: str = "/",
) -> Snapshot:
    pages_404 = {
        rel.removesuffix("404.html"): rel
        for rel in outputs
        if rel == "404.html" or rel.endswith("/404.html")
    }
    return Snapshot(
        outputs=MappingProxyType(dict(outputs)),
        copies=MappingProxyType({rel: path for path, rel in copies}),
        roots=tuple(root.resolve() for root in roots),
        base_path=base_path if base_path.endswith("/") else base_path + "/",
        not_found=MappingProxyType(pages_404),
    )


class SiteState:
    """The current snapshot, the last build's errors, and a change counter pages wait on."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(
            4
        )  # a restarted server's versions differ from the old one's
        self._changed = threading.Condition()
        self._generation = 0
        self._builds = 0
        self._closed = False
        self.snapshot: Snapshot | None = None
        self._status = Status(None, None, "full", None, ())

    @property
    def status(self) -> Status:
        return self._status

    def publish(self, snapshot: Snapshot, kind: str = "full", url: str | None = None) -> Snapshot:
        """Serve `snapshot` from now on and clear any errors; returns it with its version set."""
        with self._changed:
            self._builds += 1
            version = f"{self._token}-{self._builds}"
            snapshot = replace(snapshot, version=version)
            self.snapshot = snapshot
            self._status = Status(version, self._status.version, kind, url, ())
            self._bump()
        return snapshot

    def settle(self) -> None:
        """A good build that changed nothing: only clear the errors an open page may show."""
        with self._changed:
            if self._status.errors:
                self._status = replace(self._status, errors=())
                self._bump()

    def fail(self, errors: list[str]) -> None:
        """Keep serving the last good snapshot; open pages show `errors` over it."""
        with self._changed:
            self._status = replace(self._status, errors=tuple(errors))
            self._bump()

    def wait(self, seen: int | None, timeout: float) -> tuple[int, Status | None]:
        """Block until the status differs from generation `seen` (None: return at once).

        Returns (generation, status); status is None when the server is closing.
        """
        with self._changed:
            if seen is not None:
                self._changed.wait_for(lambda: self._closed or self._generation != seen, timeout)
            return self._generation, None if self._closed else self._status

    def close(self) -> None:
        """Release every waiting live-reload stream so the server can stop."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _bump(self) -> None:
        self._generation += 1
        self._changed.notify_all()
