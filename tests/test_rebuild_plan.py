"""One rebuild authority (sitegen.build.plan): for each kind of change, the plan that
`sitegen serve` and `sitegen build` choose, seen where a user sees it (the serve log, the
`--verbose` line, which output files were rewritten), and the output equal to a build
from nothing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import tree_bytes
from sitegen.build.builder import Builder, BuildOptions
from sitegen.build.changes import classify
from sitegen.serve.rebuild import Rebuilder
from sitegen.serve.state import SiteState

BASE = "http://localhost:1313/"
POST = "content/posts/2024/welcome/index.en.md"
POST_PAGE = "posts/2024/welcome/index.html"
OTHER_PAGE = "posts/2024/release-2024-01/index.html"  # shows nothing of the welcome post
RELEASE_POST = "content/posts/2024/release-2024-02/index.en.md"


def replace(site: Path, rel: str, old: str, new: str) -> Path:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def write(site: Path, rel: str, text: str) -> Path:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- sitegen serve: the watcher's change, the plan in the log, the served outputs ---------


class Served:
    """The real serve rebuild (as the watcher drives it), its log, and the served outputs."""

    def __init__(self, site: Path, render_to: Path | None = None):
        self.site, self.log = site, io.StringIO()
        self.rebuilder = Rebuilder(
            BuildOptions(source=site, base_url=BASE, destination=render_to),
            SiteState(),
            self.log,
            render_to_disk=render_to is not None,
        )
        assert self.rebuilder.initial_build(), self.log.getvalue()

    def change(self, *paths: Path) -> tuple[list[str], set[str]]:
        """Hand `paths` to the rebuild as one watcher batch: (its log lines, the outputs whose bytes changed)."""
        before, offset = dict(self.outputs), len(self.log.getvalue())
        assert self.rebuilder.apply(classify(paths, self.rebuilder.layout)), self.log.getvalue()[
            offset:
        ]
        after = self.outputs
        changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        return self.log.getvalue()[offset:].splitlines(), changed

    @property
    def outputs(self):
        return self.rebuilder.state.snapshot.outputs

    def assert_as_cold(self) -> None:
        cold = Builder(
            BuildOptions(source=self.site, base_url=BASE, ignore_cache=True), keep_in_memory=True
        ).build()
        assert dict(self.outputs) == dict(cold.outputs)
        assert set(self.rebuilder.state.snapshot.copies) == {rel for _, rel in cold.copies}


@pytest.fixture
def served(example_site: Path) -> Served:
    return Served(example_site)


def plan_line(lines: list[str]) -> str:
    plans = [line for line in lines if line.startswith("plan: ")]
    assert plans, lines
    return plans[-1]  # a body patch that became a partial build says so on a second line


def test_a_body_edit_is_patched_into_the_served_site(served):
    lines, changed = served.change(
        replace(served.site, POST, "This blog carries", "This patched blog carries")
    )
    assert plan_line(lines).startswith(
        "plan: body patch: content/posts/2024/welcome/index.en.md changed"
    )
    assert any(line.startswith("rebuilt: ") and line.endswith(" ms") for line in lines)
    assert POST_PAGE in changed and OTHER_PAGE not in changed and "about/index.html" not in changed
    assert b"This patched blog carries" in served.outputs[POST_PAGE]
    served.assert_as_cold()


def test_a_front_matter_edit_builds_the_pages_that_show_it(served):
    lines, changed = served.change(
        replace(served.site, POST, "Welcome to the new release blog", "Welcome, renamed")
    )
    assert lines[0].startswith("plan: body patch: ")  # what the path alone suggested ...
    assert (
        plan_line(lines)
        == "plan: partial: content/posts/2024/welcome/index.en.md: its front matter changed "
        "(title), so the pages showing it render again"
    )  # ... and what reading it showed
    assert POST_PAGE in changed and "index.html" in changed  # the home page lists its title
    served.assert_as_cold()


def test_a_new_release_date_in_a_body_builds_the_release_index(served):
    lines, changed = served.change(
        replace(served.site, RELEASE_POST, "Release 29th February", "Release 28th February")
    )
    assert (
        plan_line(lines)
        == "plan: partial: content/posts/2024/release-2024-02/index.en.md: its release dates "
        "or compare links changed, so the pages showing it render again"
    )
    assert "releases/index.html" in changed
    served.assert_as_cold()


def test_a_config_change_builds_everything(served):
    path = served.site / "config.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("cowpoke — Release Blog", "Renamed Blog"),
        encoding="utf-8",
    )
    lines, changed = served.change(path)
    assert (
        plan_line(lines) == "plan: full: the config changed (config.toml): everything builds again"
    )
    assert POST_PAGE in changed and OTHER_PAGE in changed
    served.assert_as_cold()


def test_a_layout_change_renders_every_page_again(served):
    shortcode = replace(
        served.site, "layouts/shortcodes/figure.html", "<figure", "<figure data-edited"
    )
    lines, changed = served.change(shortcode)
    assert plan_line(lines).startswith(
        "plan: partial: template changed (layouts/shortcodes/figure.html)"
    )
    assert b"data-edited" in served.outputs[POST_PAGE]
    served.assert_as_cold()


def test_an_i18n_change_renders_every_page_again(served):
    lines, changed = served.change(
        write(served.site, "i18n/en.toml", '[skipToContent]\nother = "Jump to the text"\n')
    )
    assert plan_line(lines).startswith("plan: partial: i18n changed (i18n/en.toml)")
    assert (
        POST_PAGE in changed
        and OTHER_PAGE in changed
        and b"Jump to the text" in served.outputs[OTHER_PAGE]
    )
    served.assert_as_cold()


def test_a_data_file_changes_nothing(served):
    lines, changed = served.change(write(served.site, "data/releases.yaml", "latest: 2024-02\n"))
    assert (
        plan_line(lines) == "plan: nothing: data files only (data/releases.yaml): "
        "sitegen's templates do not read them"
    )
    assert changed == set() and not any(line.startswith("rebuilt") for line in lines)
    served.assert_as_cold()


@pytest.mark.parametrize(
    "rel, kind",
    [("static/css/extra.css", "stylesheets only"), ("static/images/new.svg", "static files only")],
)
def test_a_static_change_lists_the_copies_without_a_render(served, rel, kind):
    lines, changed = served.change(
        write(served.site, rel, "body { color: teal }" if rel.endswith(".css") else "<svg/>")
    )
    assert plan_line(lines).startswith(f"plan: static: {kind} ")
    assert (
        changed == set() and rel.removeprefix("static/") in served.rebuilder.state.snapshot.copies
    )
    served.assert_as_cold()


def test_a_new_post_builds_the_pages_it_feeds(served):
    new = write(
        served.site,
        "content/posts/2024/later/index.en.md",
        '---\ntitle: "A later post"\ndate: 2024-03-01T10:00:00Z\n---\nText of the later post.\n',
    )
    lines, changed = served.change(new)
    assert plan_line(lines).startswith(
        "plan: partial: content changed (content/posts/2024/later/index.en.md)"
    )
    assert "posts/2024/later/index.html" in changed and "index.html" in changed
    served.assert_as_cold()


def test_with_render_to_disk_a_body_patch_rewrites_only_the_files_that_show_the_post(
    example_site, tmp_path
):
    out = tmp_path / "out"
    served = Served(example_site, render_to=out)
    first = inodes(out)
    lines, changed = served.change(
        replace(example_site, POST, "This blog carries", "This patched blog carries")
    )
    assert plan_line(lines).startswith("plan: body patch: ")
    now = inodes(out)
    rewritten = {
        rel for rel in now if now[rel] != first.get(rel)
    }  # files with equal bytes are hard-linked
    assert POST_PAGE in rewritten and rewritten == changed
    assert OTHER_PAGE not in rewritten and "about/index.html" not in rewritten
    written = tree_bytes(out)
    assert all(
        written[rel] == data for rel, data in served.outputs.items()
    )  # the disk holds what is served
    served.assert_as_cold()


def test_sitegen_serve_logs_the_plan_of_each_change(example_site):
    (example_site / "data").mkdir()  # made now, the folder is no event of its own later
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(example_site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    lines: list[str] = []

    def wait_for(needle: str) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (line := process.stdout.readline()):
            lines.append(line)
            if needle in line:
                return line.strip()
        raise AssertionError(f"{needle!r} not printed; got:\n{''.join(lines)}")

    try:
        wait_for("Press Ctrl+C to stop")
        replace(example_site, POST, "This blog carries", "This served blog carries")
        assert wait_for("plan: ") == (
            "plan: body patch: content/posts/2024/welcome/index.en.md changed: "
            "its body renders again, if nothing else of it changed"
        )
        assert wait_for("rebuilt: ").endswith(" ms")
        write(example_site, "data/releases.yaml", "latest: 2024-02\n")
        assert (
            wait_for("plan: ") == "plan: nothing: data files only (data/releases.yaml): "
            "sitegen's templates do not read them"
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=60)


def test_a_builder_told_which_files_changed_classifies_them_as_the_server_does(example_site):
    builder = Builder(
        BuildOptions(source=example_site, base_url=BASE, ignore_cache=True), keep_in_memory=True
    )
    first = builder.build()
    readme = write(example_site, "README.md", "Not part of the site.\n")
    result, changed = builder.rebuild([readme])
    assert result is first and changed == []  # nothing built
    assert (
        builder.plan(builder.classify([readme])).describe()
        == "nothing: no file the site is built from changed"
    )
    shortcode = replace(
        example_site, "layouts/shortcodes/figure.html", "<figure", "<figure data-edited"
    )
    result, changed = builder.rebuild([shortcode])
    assert (
        result.plan.describe()
        == "partial: template changed (layouts/shortcodes/figure.html): every output "
        "renders again, Markdown from the cache"
    )
    assert POST_PAGE in changed and OTHER_PAGE not in changed
    post = replace(example_site, POST, "This blog carries", "This patched blog carries")
    result, changed = builder.rebuild([post])
    assert result.plan.action.label == "body patch" and POST_PAGE in changed
    cold = Builder(
        BuildOptions(source=example_site, base_url=BASE, ignore_cache=True), keep_in_memory=True
    ).build()
    assert dict(result.outputs) == dict(cold.outputs)


# --- sitegen build: the record of the last written build, the clock, the --verbose line ---


def sitegen(*args: str | Path, epoch: int | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done


def build(site: Path, out: Path, cache: Path, *more: str, epoch: int | None = None) -> str:
    """`sitegen build --verbose`'s plan line."""
    lines = sitegen(
        "build", "-s", site, "-d", out, "--cacheDir", cache, "--verbose", *more, epoch=epoch
    ).stdout
    return next(line for line in lines.splitlines() if line.startswith("plan: "))


def inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def cold(site: Path, out: Path, epoch: int | None = None) -> dict[str, bytes]:
    sitegen("build", "-s", site, "-d", out, "--ignoreCache", epoch=epoch)
    return tree_bytes(out)


def test_sitegen_build_plans_from_the_last_written_build(example_site, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert (
        build(example_site, out, cache) == "plan: full: no earlier build is recorded in the cache"
    )
    first = inodes(out)
    assert build(example_site, out, cache) == "plan: nothing: nothing changed since the last build"
    assert inodes(out) == first
    replace(example_site, POST, "This blog carries", "This rebuilt blog carries")
    assert build(example_site, out, cache) == "plan: partial: a file the site is built from changed"
    now = inodes(out)
    rewritten = {rel for rel in now if now[rel] != first.get(rel)}
    assert (
        POST_PAGE in rewritten and "index.xml" in rewritten
    )  # the page and the feed carrying its text
    assert (
        OTHER_PAGE not in rewritten and "about/index.html" not in rewritten
    )  # hard-linked as they were
    assert tree_bytes(out) == cold(example_site, tmp_path / "cold")
    assert (
        build(example_site, out, cache, "--minify")
        == "plan: partial: the build's options differ from the last build's"
    )
    assert (
        build(example_site, tmp_path / "other", cache, "--ignoreCache")
        == "plan: full: --ignoreCache: nothing is reused"
    )


def test_a_post_that_becomes_due_is_built_when_its_date_comes(example_site, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    write(
        example_site,
        "content/posts/2024/due/index.en.md",
        '---\ntitle: "Due later"\ndate: 2024-06-01T12:00:00Z\n---\nPublished when its date comes.\n',
    )
    due = 1717243200  # 2024-06-01T12:00:00Z in Unix seconds
    before, after = due - 3600, due + 3600
    build(example_site, out, cache, epoch=before)
    assert not (out / "posts/2024/due/index.html").exists()
    assert (
        build(example_site, out, cache, epoch=before)
        == "plan: nothing: nothing changed since the last build"
    )
    assert (
        build(example_site, out, cache, epoch=after)
        == "plan: partial: a page's publish or expiry date (2024-06-01T12:00:00+00:00) has come"
    )
    assert (out / "posts/2024/due/index.html").exists()
    assert tree_bytes(out) == cold(example_site, tmp_path / "cold", epoch=after)
