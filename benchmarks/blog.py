"""Benchmark a real Hugo blog (by default ../shared/corpus/mailcow-blog) with sitegen and Hugo.

The blog is copied into the benchmark's work folder (builds write their caches beside the
site, and the edits must not touch the original) and gets the benchmark's minimal Hugo
theme (`themes/bench`, used only through Hugo's `--theme bench`); sitegen builds it with
its own default theme, as a new user would. Modes per round, each a separate process:
cold (nothing, `--ignoreCache` for sitegen), first (nothing, writing the cache), edit (a
line appended to one post, built with the cache, right after the first build), edit-again
(another line, built after that edit: what an author's second and later edits cost, once
the previous build's tree is there to stage in), title (the config's title changed, built
with the cache), and for sitegen first-minify (a first build with `--minify`).
"""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from corpus import HUGO_LAYOUTS, HUGO_THEME
from measure import CommandFailed, measure
from tools import Tool, clear_cold_state

DEFAULT_BLOG = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "mailcow-blog"
# The shortcodes a real blog's theme (FixIt for mailcow-blog) gives it, at their simplest.
BLOG_SHORTCODES = {
    "admonition.html": '<div class="admonition {{ .Get 0 }}"><p>{{ .Get 1 }}</p>{{ .Inner | markdownify }}</div>\n',
    "youtube.html": '<iframe src="https://www.youtube-nocookie.com/embed/{{ .Get 0 }}" title="YouTube"></iframe>\n',
}
_TITLE = re.compile(r'^(title\s*=\s*")([^"]*)(")', re.MULTILINE)


def prepare_blog(source: Path, work: Path) -> Path:
    """A copy of `source` under `work`, committed to a new Git repository, with the
    benchmark theme beside its own settings."""
    site = work / f"blog-{source.resolve().name}"
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(
        source, site, ignore=shutil.ignore_patterns("public", "resources", ".sitegen-cache", ".git")
    )
    for path in [site, *site.rglob("*")]:  # a clone is writable, whatever the original's mode
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    layouts = site / "themes" / HUGO_THEME / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    (layouts / "shortcodes").mkdir(exist_ok=True)
    for name, text in BLOG_SHORTCODES.items():
        (layouts / "shortcodes" / name).write_text(text, encoding="utf-8")
    # A clone is a Git repository: a config with enableGitInfo needs one (Hugo fails without it).
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-C", str(site)]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the blog as benchmarked"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return site


def edited_post(site: Path) -> Path:
    """The post a one-post edit appends to: the middle one of the sorted posts."""
    posts = sorted((site / "content" / "posts").rglob("*.md"))
    return posts[len(posts) // 2]


def run_blog(tools: list[Tool], site: Path, work: Path, label: str, runs: int, result_type) -> list:
    """Cold, first, edit, edit-again and title builds of `site` per tool, the tools rotated
    per round."""
    modes = ["cold", "first", "edit", "edit-again", "title", "first-minify"]
    results = {
        (tool.name, mode): result_type(tool.name, 0, mode, corpus=label)
        for tool in tools
        for mode in modes
        if tool.name in ("sitegen", "hugo")
        and (mode != "first-minify" or tool.name == "sitegen")
        and (mode != "first" or tool.cold_flags)
    }
    config = site / "config.toml"
    original_title = config.read_text(encoding="utf-8")
    for round_number in range(runs):
        shift = round_number % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            if (tool.name, "cold") not in results:
                continue
            try:
                _one_round(tool, site, work, results, round_number, original_title)
            except CommandFailed as failure:
                print(f"! {tool.name} failed on {label}: {failure}", file=sys.stderr)
                for (name, _), result in results.items():
                    if name == tool.name:
                        result.note = "failed"
            finally:
                config.write_text(original_title, encoding="utf-8")
            cold = results[(tool.name, "cold")]
            print(
                f"  {tool.name:8} {label} round {round_number + 1}: {cold.walls_s[-1]:.2f} s cold"
                if cold.walls_s
                else f"  {tool.name} {label}: failed",
                file=sys.stderr,
            )
    return list(results.values())


def _one_round(
    tool: Tool, site: Path, work: Path, results: dict, round_number: int, config_text: str
) -> None:
    out, cache = work / f"{tool.name}-blog-out", work / f"{tool.name}-blog-cache"
    env, command = tool.environment(), tool.build_command(site, out, cache)
    clear_cold_state(site, out, cache)
    results[(tool.name, "cold")].add(
        measure(tool.build_command(site, out, cache, cold=True), None, env)
    )
    if (tool.name, "first-minify") in results:
        clear_cold_state(site, out, cache)
        results[(tool.name, "first-minify")].add(measure(command + ["--minify"], None, env))
    clear_cold_state(site, out, cache)
    if (tool.name, "first") in results:
        results[(tool.name, "first")].add(measure(command, None, env))
    else:
        measure(
            command, None, env
        )  # Hugo's cold build is its first build; this one fills its cache
    post = edited_post(site)
    with post.open("a", encoding="utf-8") as stream:
        stream.write(f"\nOne more line, edit {round_number + 1}.\n")
    results[(tool.name, "edit")].add(measure(command, None, env))
    with post.open("a", encoding="utf-8") as stream:
        stream.write(f"\nAnother line, edit {round_number + 1}.\n")
    results[(tool.name, "edit-again")].add(measure(command, None, env))
    (site / "config.toml").write_text(
        _TITLE.sub(rf"\g<1>\g<2> (round {round_number + 1})\g<3>", config_text, 1), encoding="utf-8"
    )
    results[(tool.name, "title")].add(measure(command, None, env))
