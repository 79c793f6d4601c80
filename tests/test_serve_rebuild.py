"""Rebuilds under `sitegen serve`: what a change kind triggers, the last good site, errors.

These drive the real Rebuilder, build and server in this process; the watcher itself is
exercised end to end in test_serve_browser.py.
"""

from __future__ import annotations

import io
import socket
import threading
import urllib.request
from pathlib import Path

import pytest

from sitegen.build.builder import BuildOptions, build_site
from sitegen.build.changes import classify, site_layout
from sitegen.build.plan import Change
from sitegen.errors import SiteError
from sitegen.serve import local_base_url
from sitegen.serve.livereload import inject
from sitegen.serve.rebuild import Rebuilder
from sitegen.serve.server import is_loopback, open_server
from sitegen.serve.state import SiteState

POST = "content/posts/2024/welcome/index.en.md"
POST_URL = "/posts/2024/welcome/"


@pytest.fixture
def served(example_site: Path):
    """The example site served from memory on a free loopback port; yields (site, rebuilder, url)."""
    state = SiteState()
    server = open_server("127.0.0.1", 0, state)
    url = f"http://127.0.0.1:{server.port}"
    rebuilder = Rebuilder(
        BuildOptions(source=example_site, base_url=url + "/"), state, io.StringIO()
    )
    assert rebuilder.initial_build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield example_site, rebuilder, url
    state.close()
    server.shutdown()
    server.server_close()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def edit(site: Path, old: str, new: str, rel: str = POST) -> Path:
    path = site / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


def test_an_edited_post_is_served_after_its_rebuild(served):
    site, rebuilder, url = served
    before = rebuilder.state.snapshot.version
    path = edit(site, "This blog carries", "This freshly edited blog carries")
    assert rebuilder.apply(classify([path], rebuilder.layout))
    assert "freshly edited" in fetch(url + POST_URL)
    assert rebuilder.state.status.version != before and rebuilder.state.status.kind == "full"
    assert rebuilder.state.status.url == POST_URL  # for --navigateToChanged
    assert not (site / "public").exists()  # served from memory: nothing written


def test_a_failed_rebuild_keeps_the_last_good_site_and_reports_file_and_line(served):
    site, rebuilder, url = served
    good = fetch(url + POST_URL)
    path = edit(site, 'title: "Welcome to the new release blog"', "title: [unclosed")
    assert not rebuilder.apply(classify([path], rebuilder.layout))
    assert fetch(url + POST_URL) == good
    errors = rebuilder.state.status.errors
    # YAML notices the unclosed list on the line after it
    assert len(errors) == 1 and errors[0].startswith(f"{path}:3: invalid YAML front matter")
    assert f"error: {errors[0]}" in rebuilder.out.getvalue()  # the terminal says the same
    edit(site, "title: [unclosed", 'title: "Welcome back"')
    assert rebuilder.apply(classify([path], rebuilder.layout))
    assert rebuilder.state.status.errors == ()
    assert "Welcome back" in fetch(url + POST_URL)


def test_a_fix_that_restores_the_last_good_site_clears_the_errors_without_a_reload(served):
    site, rebuilder, url = served
    version = rebuilder.state.snapshot.version
    path = edit(site, "date: 2024-01-02", "date: not-a-date-2024-01-02")
    assert not rebuilder.apply(classify([path], rebuilder.layout))
    edit(site, "date: not-a-date-2024-01-02", "date: 2024-01-02")
    assert rebuilder.apply(classify([path], rebuilder.layout))
    assert rebuilder.state.status.errors == () and rebuilder.state.status.version == version


def test_a_config_change_rebuilds_every_page(served):
    site, rebuilder, url = served
    path = site / "config.toml"  # the site's and the English title
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'title = "cowpoke — Release Blog"', 'title = "Renamed Blog"'
        )
    )
    changes = classify([path], rebuilder.layout)
    assert changes.kind == Change.CONFIG
    assert rebuilder.apply(changes)
    assert "<title>Renamed Blog</title>" in fetch(url + "/")
    assert "Renamed Blog" in fetch(url + POST_URL)


def test_requests_get_the_last_good_site_while_a_rebuild_runs(served):
    site, rebuilder, url = served
    started, release = threading.Event(), threading.Event()

    def slow_build(changes):
        started.set()
        assert release.wait(30)
        return build_site(rebuilder.options)

    rebuilder.build = slow_build
    path = edit(site, "This blog carries", "This slowly rebuilt blog carries")
    worker = threading.Thread(target=rebuilder.apply, args=(classify([path], rebuilder.layout),))
    worker.start()
    try:
        assert started.wait(30)
        assert "slowly rebuilt" not in fetch(url + POST_URL)  # answered during the rebuild
    finally:
        release.set()
        worker.join(60)
    assert "slowly rebuilt" in fetch(url + POST_URL)


def test_static_and_css_changes_skip_the_render(served):
    site, rebuilder, url = served
    renders = []
    rebuilder.build = lambda changes: renders.append(changes) or build_site(rebuilder.options)
    css = site / "static" / "css" / "extra.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text("body { color: teal }")
    assert rebuilder.apply(classify([css], rebuilder.layout))
    assert fetch(url + "/css/extra.css") == "body { color: teal }"
    assert rebuilder.state.status.kind == "css"
    image = site / "static" / "images" / "new.svg"
    image.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert rebuilder.apply(classify([image], rebuilder.layout))
    assert rebuilder.state.status.kind == "full"
    assert "<svg" in fetch(url + "/images/new.svg")
    assert renders == []


def test_change_kinds(example_site: Path):
    config = build_site(BuildOptions(source=example_site))
    layout = site_layout(example_site, config.site.config, config.themes)
    theme = config.themes[-1].path
    kinds = {
        "content/posts/x/index.md": Change.CONTENT,
        "content/posts/x/photo.jpg": Change.CONTENT,
        "layouts/_default/single.html": Change.TEMPLATE,
        "i18n/en.toml": Change.I18N,
        "data/releases.yaml": Change.DATA,
        "config.toml": Change.CONFIG,
        "hugo.toml": Change.CONFIG,
        "static/css/site.css": Change.CSS,
        "static/images/logo.svg": Change.STATIC,
        "archetypes/default.md": Change.NONE,
        "public/index.html": Change.NONE,
        "README.md": Change.NONE,
    }
    for rel, kind in kinds.items():
        assert classify([example_site / rel], layout).kind == kind, rel
    assert classify([theme / "static" / "css" / "main.css"], layout).kind == Change.CSS
    assert (
        classify([theme / "static" / "css"], layout).kind == Change.CSS
    )  # a folder of stylesheets
    assert classify([example_site / "static" / "images"], layout).kind == Change.STATIC
    assert (
        classify([theme / "layouts" / "_default" / "baseof.html"], layout).kind == Change.TEMPLATE
    )
    burst = classify(
        [example_site / "static/css/a.css", example_site / "content/posts/x/index.md"], layout
    )
    assert burst.kind == Change.CONTENT  # a batch is as far-reaching as its widest change
    assert theme in layout.roots()  # the built-in theme is watched too


def test_a_taken_port_is_a_clear_error_and_port_zero_picks_a_free_one():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SiteError) as caught:
            open_server("127.0.0.1", port, SiteState())
    assert f"port {port} on 127.0.0.1 is already in use" in str(caught.value)
    assert "--port 0" in str(caught.value)
    server = open_server("127.0.0.1", 0, SiteState())
    try:
        assert server.port > 0
    finally:
        server.server_close()


def test_the_base_url_points_at_the_local_server():
    assert (
        local_base_url("127.0.0.1", 1313, "https://blog.example.org/") == "http://127.0.0.1:1313/"
    )
    assert (
        local_base_url("127.0.0.1", 8080, "https://example.org/blog")
        == "http://127.0.0.1:8080/blog/"
    )
    assert local_base_url("0.0.0.0", 1313, None) == "http://localhost:1313/"
    assert local_base_url("::1", 1313, None) == "http://[::1]:1313/"
    assert (
        local_base_url("127.0.0.1", 4000, None, "https://preview.example.org/x/")
        == "https://preview.example.org:4000/x/"
    )


def test_the_script_goes_before_the_last_body_end_or_at_the_end():
    page = inject(b"<html><body><p>x</p></BODY></html>", "v1")
    assert page.index(b"<script data-sitegen-livereload>") < page.index(b"</BODY>")
    assert inject(b"<p>fragment</p>", "v1").startswith(b"<p>fragment</p><script")
    assert inject(b"<html><p>no body</p></html>", None).endswith(b"</script></html>")


def test_only_loopback_addresses_count_as_private():
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.168.1.5", "example.org"))
