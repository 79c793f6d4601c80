"""`sitegen serve`'s HTTP side, spoken to over raw sockets so no client tidies a path first.

The server runs in this process on a loopback port, serving a real build of the example
site, with a secret file and symlinks beside it that must never be served.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import threading
from pathlib import Path

import pytest

from sitegen.build.builder import BuildOptions
from sitegen.serve.rebuild import Rebuilder
from sitegen.serve.server import open_server
from sitegen.serve.state import SiteState

REPO = Path(__file__).resolve().parents[1]
SECRET = "TOP-SECRET-NOT-FOR-THE-WEB"


class Answer:
    def __init__(self, raw: bytes):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {
            k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }


def raw_request(port: int, request: bytes) -> Answer:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return Answer(b"".join(chunks))


def get(port: int, target: str, method: str = "GET", host: str = "127.0.0.1") -> Answer:
    return raw_request(
        port,
        f"{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode(),
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    site = root / "site"  # the example site, copied as the `example_site` fixture does
    site.mkdir()
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for folder in ("content", "static", "layouts"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, site / folder)
    (root / "secret.txt").write_text(SECRET)
    (root / "secret-dir").mkdir()
    (root / "secret-dir" / "inside.txt").write_text(SECRET)
    static = site / "static"
    (static / "leak.txt").symlink_to(root / "secret.txt")
    (static / "leak-dir").symlink_to(root / "secret-dir")
    (static / "bare.html").write_text("<p>a page with neither html nor body</p>")
    (static / "data.json").write_text('{"ok": true}')
    (static / "site.webmanifest").write_text('{"name": "x"}')
    (static / "fonts").mkdir()
    (static / "fonts" / "f.woff2").write_bytes(b"wOF2\x00\x01")
    (static / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (static / "a.css").write_text("body { color: red }")
    return site


@pytest.fixture(scope="module")
def server(site: Path):
    state = SiteState()
    server = open_server("127.0.0.1", 0, state)
    rebuilder = Rebuilder(
        BuildOptions(source=site, base_url=f"http://127.0.0.1:{server.port}/"), state, io.StringIO()
    )
    assert rebuilder.initial_build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.rebuilder = rebuilder
    yield server
    state.close()
    server.shutdown()
    server.server_close()


TRAVERSALS = [
    "/../config.toml",
    "/../../secret.txt",
    "/%2e%2e/config.toml",
    "/%2E%2E/%2E%2E/secret.txt",
    "/posts/..%2f..%2fconfig.toml",
    "/..%2fconfig.toml",
    "/%2e%2e%2fconfig.toml",
    "/..\\config.toml",
    "/%5c..%5cconfig.toml",
    "/static\\..\\..\\config.toml",
    "/./config.toml",
    "/posts/./../config.toml",
    "/%252e%252e/config.toml",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../config.toml",
    "/config.toml",
    "/content/posts/2024/welcome/index.en.md",
    "/%00",
    "/leak.txt",
    "/leak-dir/inside.txt",
    "/%c0%ae%c0%ae/config.toml",
    "*",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_path_outside_the_site_is_served(server, target: str):
    answer = get(server.port, target)
    assert answer.status in (400, 404), (target, answer.status)
    assert SECRET.encode() not in answer.body
    assert b"baseURL" not in answer.body  # not the config file
    assert b"title: " not in answer.body  # not a Markdown source


def test_pages_feeds_and_static_files_have_their_content_types(server):
    expected = {
        "/": "text/html; charset=utf-8",
        "/posts/2024/welcome/": "text/html; charset=utf-8",
        "/a.css": "text/css; charset=utf-8",
        "/js/main.js": "text/javascript; charset=utf-8",
        "/index.xml": "application/rss+xml; charset=utf-8",
        "/sitemap.xml": "application/xml; charset=utf-8",
        "/data.json": "application/json",
        "/images/logo.svg": "image/svg+xml",
        "/site.webmanifest": "application/manifest+json",
        "/fonts/f.woff2": "font/woff2",
        "/pixel.png": "image/png",
    }
    for target, kind in expected.items():
        answer = get(server.port, target)
        assert (answer.status, answer.headers["content-type"]) == (200, kind), target
        assert answer.headers["cache-control"] == "no-store"
        assert int(answer.headers["content-length"]) == len(answer.body)


def test_head_answers_headers_only_and_other_methods_are_refused(server):
    head = get(server.port, "/posts/2024/welcome/", method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 1000
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
        answer = get(server.port, "/", method=method)
        assert answer.status == 405, method
        assert answer.headers["allow"] == "GET, HEAD"
    assert get(server.port, "/", method="BREW").status == 501


def test_missing_pages_get_the_sites_404_page_in_their_language(server):
    english = get(server.port, "/no/such/page/")
    assert english.status == 404 and english.headers["cache-control"] == "no-store"
    rendered = server.rebuilder.result.outputs["404.html"]
    assert english.body.startswith(rendered[: rendered.rfind(b"</body>")])
    german = get(server.port, "/de/gibt/es/nicht/")
    assert german.status == 404 and b'lang="de"' in german.body


def test_a_folder_without_its_slash_redirects_to_it(server):
    answer = get(server.port, "/posts/2024/welcome")
    assert answer.status == 302 and answer.headers["location"] == "/posts/2024/welcome/"
    assert get(server.port, "/posts/2024/welcome/?utm=x").status == 200


def test_every_html_page_gets_the_live_reload_script_even_without_body(server):
    for target in ("/", "/posts/2024/welcome/", "/bare.html"):
        body = get(server.port, target).body
        assert body.count(b"data-sitegen-livereload") == 1, target
        assert b'new EventSource("/__sitegen/events")' in body
        assert b'<script src="http' not in body  # no script from elsewhere
    bare = get(server.port, "/bare.html").body
    assert bare.startswith(b"<p>a page with neither html nor body</p><script")
    assert b"data-sitegen-livereload" not in get(server.port, "/a.css").body


def test_a_foreign_host_name_is_refused_on_loopback(server):
    # A page on the web that rebinds its own name to 127.0.0.1 must not read the preview.
    assert get(server.port, "/", host="evil.example").status == 403
    assert get(server.port, "/", host="localhost").status == 200


def test_the_event_stream_tells_the_current_version_at_once(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(
            f"GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
        )
        received = b""
        while b"\ndata: " not in received or not received.endswith(b"\n\n"):
            received += conn.recv(4096)
    answer = Answer(received)
    assert answer.headers["content-type"] == "text/event-stream"
    status = json.loads(received.split(b"data: ", 1)[1])
    assert status["version"] == server.state.snapshot.version and status["errors"] == []
