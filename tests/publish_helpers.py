"""Helpers of the publishing tests: building into a temp folder, serving a folder over
HTTP on localhost, and a headless Chromium that can reach nothing but that server."""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import chromium_page  # noqa: F401  (the publish tests import it from here)


def build(source: Path, destination: Path, **options):
    from sitegen.build.builder import BuildOptions, build_site, write_site

    return write_site(
        build_site(
            BuildOptions(
                source=source, destination=destination, ignore_cache=True, workers=1, **options
            )
        )
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """A static server of `folder` on a free localhost port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
