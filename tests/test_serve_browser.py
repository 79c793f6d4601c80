"""`sitegen serve` end to end: the real command, a real headless Chromium, edits on disk.

The browser is never touched after opening the page: every change it shows comes from the
server's live reload. Waits are bounded polls, never sleeps.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import chromium_page

POST = "content/posts/2024/welcome/index.en.md"
POST_URL = "posts/2024/welcome/"
WAIT_MS = 60_000


class ServeProcess:
    """`python -m sitegen serve` on a free port, its output collected line by line."""

    def __init__(self, site: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for_line(r"Web server available at (\S+)").group(1)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_line(self, pattern: str, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r}; output:\n{self.output()}")

    def interrupt(self) -> int:
        """Ctrl-C, as in a terminal; the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_saves_reach_the_open_page_and_errors_are_laid_over_it(example_site: Path, browser_page):
    from playwright.sync_api import expect

    server = ServeProcess(example_site)
    try:
        page = browser_page
        page.goto(server.url + POST_URL)
        expect(page.locator("h1").first).to_contain_text("Welcome to the new release blog")
        page.evaluate("window.sitegenTestMarker = 'loaded once'")
        post = example_site / POST

        replace_in(post, "This blog carries", "Saved in the editor: this blog carries")
        expect(page.locator("body")).to_contain_text("Saved in the editor", timeout=WAIT_MS)
        assert page.evaluate("window.sitegenTestMarker") is None  # the page really reloaded

        replace_in(post, 'title: "Welcome to the new release blog"', "title: [unclosed")
        overlay = page.locator("#sitegen-error-overlay")  # its text lives in a shadow root
        expect(overlay.locator("pre")).to_contain_text(
            f"{post.resolve()}:3: invalid YAML front matter", timeout=WAIT_MS
        )
        expect(overlay.locator("h2")).to_contain_text("the build failed")
        expect(overlay).to_be_visible()
        assert "invalid YAML front matter" in server.wait_for_line(
            r"error: .*index\.en\.md:3: (.*)"
        ).group(0)
        expect(page.locator("body")).to_contain_text(
            "Saved in the editor"
        )  # the last good site below

        replace_in(post, "title: [unclosed", 'title: "Welcome, fixed"')
        expect(overlay).to_have_count(0, timeout=WAIT_MS)
        expect(page.locator("h1").first).to_contain_text("Welcome, fixed", timeout=WAIT_MS)
    finally:
        server.kill()


def test_a_stylesheet_change_refreshes_styles_without_a_reload(example_site: Path, browser_page):
    from playwright.sync_api import expect

    server = ServeProcess(example_site)
    try:
        page = browser_page
        page.goto(server.url + POST_URL)
        expect(page.locator("h1").first).to_be_visible()
        page.evaluate("window.sitegenTestMarker = 'still here'")
        theme_css = (
            Path(__file__).resolve().parents[1] / "sitegen/themes/default/static/css/main.css"
        )
        site_css = (
            example_site / "static" / "css" / "main.css"
        )  # the site's own file overrides the theme's
        site_css.parent.mkdir(parents=True, exist_ok=True)
        site_css.write_text(theme_css.read_text() + "\nbody { outline: 7px solid rgb(1, 2, 3) }\n")
        server.wait_for_line(r"css reload")
        expect(page.locator("body")).to_have_css("outline-color", "rgb(1, 2, 3)", timeout=WAIT_MS)
        assert page.evaluate("window.sitegenTestMarker") == "still here"
    finally:
        server.kill()


def test_navigate_to_changed_opens_the_edited_page(example_site: Path, browser_page):
    from playwright.sync_api import expect

    server = ServeProcess(example_site, "--navigateToChanged")
    try:
        page = browser_page
        page.goto(server.url)
        expect(page.locator("body")).to_be_visible()
        replace_in(example_site / POST, "This blog carries", "Navigated here: this blog carries")
        expect(page).to_have_url(server.url + POST_URL, timeout=WAIT_MS)
        expect(page.locator("body")).to_contain_text("Navigated here")
    finally:
        server.kill()


def files_in(folder: Path) -> list[Path]:
    """Every path under `folder` but the build cache (issue 8's, kept between runs on purpose)."""
    return sorted(
        p.relative_to(folder) for p in folder.rglob("*") if ".sitegen-cache" not in p.parts
    )


def test_ctrl_c_stops_cleanly_and_nothing_was_written(example_site: Path, tmp_path: Path):
    before = files_in(tmp_path)
    server = ServeProcess(example_site)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert "serving from memory" in server.output()
    finally:
        status = server.interrupt()
    assert status == 0, server.output()
    assert "stopped" in server.output()
    assert files_in(tmp_path) == before
    assert not (example_site / "public").exists()


def test_render_to_disk_writes_the_destination(example_site: Path, tmp_path: Path):
    destination = tmp_path / "out"
    server = ServeProcess(example_site, "--renderToDisk", "-d", str(destination))
    try:
        assert (destination / POST_URL / "index.html").is_file()
    finally:
        assert server.interrupt() == 0
    assert "data-sitegen-livereload" not in (destination / POST_URL / "index.html").read_text()


def test_a_taken_port_is_reported_by_the_command(example_site: Path):
    server = ServeProcess(example_site)
    try:
        port = server.url.rsplit(":", 1)[1].strip("/")
        second = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", "-s", str(example_site), "-p", port],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 1
        assert f"error: port {port} on 127.0.0.1 is already in use" in second.stderr
    finally:
        server.interrupt()
