"""Time from saving a post to an open browser tab showing it, under `sitegen serve`.

A real headless Chromium (Debian's, /usr/bin/chromium) keeps the post open; each edit
appends a fresh sentence to its Markdown and waits until the tab shows it. The delay is
measured with the browser's own clock: the reloaded document's DOMContentLoaded time
(performance.timeOrigin + the navigation entry) minus the moment of the save. Nothing
in the browser is touched: the reload comes from the server.

    python benchmarks/serve_reload.py                 # the example site and a 1,000-post corpus
    python benchmarks/serve_reload.py --posts 0       # the example site only
    python benchmarks/serve_reload.py --edits 9 --posts 1000 --keep /tmp/reload
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import hugo_post_path, hugo_post_url, make_posts, write_hugo_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTLE_S = 1.0  # pause between edits, so each is its own change
REPORTED = re.compile(r"rebuilt: .* in (\d+) ms")
SHOWN_AT_MS = """() => { const nav = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + nav.domContentLoadedEventEnd; }"""


def example_site(work: Path) -> tuple[Path, Path, str]:
    site = work / "example"
    site.mkdir(parents=True)
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    return site, site / "content/posts/2024/welcome/index.en.md", "/posts/2024/welcome/"


def corpus_site(work: Path, count: int) -> tuple[Path, Path, str]:
    posts = make_posts(count)
    site = write_hugo_site(posts, work / f"corpus-{count}")
    middle = posts[len(posts) // 2]
    return site, site / hugo_post_path(middle), hugo_post_url(middle)


def measure(site: Path, post: Path, url_path: str, edits: int, timeout_s: float) -> dict:
    from playwright.sync_api import expect, sync_playwright

    lines: list[str] = []
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()
    original = post.read_bytes()
    try:
        started = time.perf_counter()
        url = _wait_for(
            lambda: re.search(r"Web server available at (\S+)", "".join(lines)), timeout_s, server
        ).group(1)
        startup_s = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url.rstrip("/") + url_path)
            delays, reported = [], []
            for number in range(edits):
                time.sleep(SETTLE_S)
                seen = len(lines)
                marker = f"Reload benchmark edit {number} {time.time_ns()}"
                saved_ms = time.time() * 1000
                post.write_bytes(original + f"\n\n{marker}.\n".encode())
                expect(page.locator("body")).to_contain_text(marker, timeout=timeout_s * 1000)
                delays.append((page.evaluate(SHOWN_AT_MS) - saved_ms) / 1000)
                found = REPORTED.findall("".join(lines[seen:]))
                reported += [int(found[-1]) / 1000] if found else []
            browser.close()
        return {"startup_s": startup_s, "delays_s": delays, "reported_s": reported}
    finally:
        post.write_bytes(original)
        server.terminate()
        server.wait(30)


def _wait_for(condition, timeout_s: float, server: subprocess.Popen):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := condition():
            return found
        if server.poll() is not None:
            raise RuntimeError(f"sitegen serve exited with {server.returncode}")
        time.sleep(0.05)
    raise RuntimeError(f"sitegen serve did not start within {timeout_s:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--posts", type=int, default=1000, help="corpus size besides the example site (0: none)"
    )
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds to wait for a start or a reload"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitegen-serve-reload-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sites = [("example site", *example_site(work))]
        if args.posts:
            sites.append((f"{args.posts} posts", *corpus_site(work, args.posts)))
        print(
            "| site | start s | save → browser shows it, median s | min–max s | server's rebuild, median s |"
        )
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, site, post, url_path in sites:
            print(f"measuring {name} ({args.edits} edits)…", file=sys.stderr)
            result = measure(site, post, url_path, args.edits, args.timeout)
            delays, reported = result["delays_s"], result["reported_s"]
            print(
                f"| {name} | {result['startup_s']:.2f} | {statistics.median(delays):.3f} | "
                f"{min(delays):.3f}–{max(delays):.3f} | "
                f"{statistics.median(reported) if reported else float('nan'):.3f} |",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
