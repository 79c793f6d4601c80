"""What readers get: decorated headings, releases.json, the release feed, anchors in a browser."""

import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import feedparser
import pytest

from conftest import chromium_page
from sitegen.releases import (
    ReleaseConfig,
    decorate_release_headings,
    detect_releases,
    link_releases,
    release_lastmod,
    release_url,
    releases_json,
)
from sitegen.render.feeds import release_feed
from test_releases_pages import FIXTURES, corpus_pages, page_from_text

CONFIG = ReleaseConfig.from_params({"releases": {"repo": "mailcow/mailcow-dockerized"}})
FEED_URL = "https://mailcow.email/de/releases/index.xml"
APPENDED = (
    "## 2024-01f (Release vom 12.02.2024)\n\nNoch ein Fix von @DerLinkman in #5720.\n\n---\n\n"
)


def build(fixture_text: str, with_corpus: bool = True):
    page = page_from_text(fixture_text, "posts/2024/release-2024-01/index.de.md", "de")
    pages = [page, *(corpus_pages("de") if with_corpus else [])]
    releases = []
    for p in pages:
        p.rendered = replace(p.rendered, releases=tuple(detect_releases(p, CONFIG)))
        releases += p.releases
    link_releases(releases, CONFIG)
    return page, releases


def fixture_text(append: str = "") -> str:
    text = (FIXTURES / "monthly.de.md").read_text("utf-8")
    head, body = text.split("---\n\n", 1)  # after the front matter's closing line
    return head + "---\n\n" + append + body


def feed(releases):
    return release_feed(
        releases,
        title="mailcow Releases",
        link="https://mailcow.email/de/releases/",
        feed_url=FEED_URL,
        lang="de",
    )


def test_decorated_heading_keeps_hugos_id_and_answers_to_the_version() -> None:
    page, _ = build(fixture_text(), with_corpus=False)
    html = decorate_release_headings(page.content, page.releases, "de", config=CONFIG)
    assert (
        '<h2 id="2024-01e-release-vom-08022024"><span class="release-anchor" id="2024-01e"></span>'
        "2024-01e (Release vom 08.02.2024)</h2>"
    ) in html
    assert '<time datetime="2024-02-08">8. Februar 2024</time>' in html
    assert (
        '<a class="release-compare" href="https://github.com/mailcow/mailcow-dockerized/compare/'
        '2024-01d...2024-01e">Änderungen auf GitHub: 2024-01d…2024-01e</a>'
    ) in html
    assert "Release auf GitHub: 2024-01" in html  # the oldest known release links its tag page
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_english_wording_and_theme_translations() -> None:
    page, _ = build(fixture_text(), with_corpus=False)
    english = decorate_release_headings(page.content, page.releases, "en", config=CONFIG)
    assert "February 8, 2024" in english and "Changes on GitHub: 2024-01d…2024-01e" in english
    themed = decorate_release_headings(
        page.content,
        page.releases,
        "de",
        translate={"release_changes": "Diff bei {forge}"}.get,
        config=CONFIG,
    )
    assert "Diff bei GitHub: 2024-01d…2024-01e" in themed


def test_references_are_linked_in_release_sections_only() -> None:
    page, _ = build(fixture_text(), with_corpus=False)
    html = decorate_release_headings(page.content, page.releases, "de", config=CONFIG)
    assert (
        '<a href="https://github.com/mailcow/mailcow-dockerized/issues/5700" class="issue-link">#5700</a>'
        in html
    )
    assert "<code>#1234</code>" in html  # code stays as written
    off = ReleaseConfig.from_params(
        {"releases": {"repo": "mailcow/mailcow-dockerized", "link_refs": False}}
    )
    assert "issue-link" not in decorate_release_headings(
        page.content, page.releases, "de", config=off
    )


def test_feed_has_one_item_per_release_with_unique_guids_and_dates() -> None:
    _, releases = build(fixture_text())
    parsed = feedparser.parse(feed(releases))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(releases) == 5 + 21
    guids = [e.id for e in parsed.entries]
    assert len(set(guids)) == len(guids)
    newest = parsed.entries[0]
    assert newest.id == "https://mailcow.email/de/posts/2024/release-2024-01/#2024-01e"
    assert date(*newest.published_parsed[:3]) == date(2024, 2, 8)
    assert (
        "Isolationsregel" in newest.summary and "2024-01c" not in newest.summary
    )  # its own section only
    assert parsed.feed.links[0].href in (FEED_URL, "https://mailcow.email/de/releases/")
    assert any(link.rel == "self" and link.href == FEED_URL for link in parsed.feed.links)


def test_appending_a_section_adds_exactly_one_item() -> None:
    before = feedparser.parse(feed(build(fixture_text())[1]))
    after = feedparser.parse(feed(build(fixture_text(APPENDED))[1]))
    old = {e.id: (e.title, e.published) for e in before.entries if "published" in e}
    new = {e.id: (e.title, e.published) for e in after.entries if "published" in e}
    assert set(new) - set(old) == {"https://mailcow.email/de/posts/2024/release-2024-01/#2024-01f"}
    assert {k: v for k, v in new.items() if k in old} == old  # every earlier item unchanged
    assert len(after.entries) == len(before.entries) + 1


def test_feed_links_are_absolute() -> None:
    _, releases = build(fixture_text(), with_corpus=False)
    oldest = feedparser.parse(feed(releases)).entries[-1]
    assert (
        'href="https://mailcow.email/de/posts/2024/release-2024-01/images/arm.png"'
        in oldest.summary
    )


def test_releases_json() -> None:
    page, releases = build(fixture_text())
    items = json.loads(releases_json(releases))
    assert [i["version"] for i in items[:3]] == ["2024-01e", "2024-01c", "2024-01b"]
    first = items[0]
    assert first["date"] == "2024-02-08" and first["url"] == release_url(page.releases[0])
    assert first["url"] == "https://mailcow.email/de/posts/2024/release-2024-01/#2024-01e"
    assert first["compare_url"].endswith("/compare/2024-01d...2024-01e")
    assert "Isolationsregel behoben" in first["text"] and "<" not in first["text"]
    assert items[4]["previous"] == "2023-12a"


def test_lastmod_follows_the_newest_release() -> None:
    page, _ = build(fixture_text(APPENDED), with_corpus=False)
    assert release_lastmod(page, page.releases).date() == date(2024, 2, 12)


def _document(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>t</title></head>'
        f"<body><main>{'<p>Text.</p>' * 150}{body}{'<p>Mehr.</p>' * 150}</main></body></html>"
    )


def test_version_anchor_lands_on_the_heading_in_a_browser(tmp_path) -> None:
    page, _ = build(fixture_text(), with_corpus=False)
    path = tmp_path / "index.html"
    path.write_text(
        _document(decorate_release_headings(page.content, page.releases, "de", config=CONFIG)),
        "utf-8",
    )
    with chromium_page(viewport={"width": 800, "height": 600}) as tab:
        for anchor, heading_id in [
            ("2024-01c", "2024-01c-release-vom-02022024"),
            ("2024-01", "2024-01-release-vom-17012024"),
        ]:
            tab.goto(f"{path.as_uri()}#{anchor}")
            top = tab.evaluate(
                f"document.getElementById({heading_id!r}).getBoundingClientRect().top"
            )
            assert tab.evaluate("window.scrollY") > 1000 and abs(top) < 30, (anchor, top)


@pytest.mark.skipif(
    shutil.which("java") is None, reason="needs java and vnu (.ci/install-tools.sh)"
)
def test_decorated_page_is_valid_html(tmp_path) -> None:
    from site_checks import vnu_command

    command = vnu_command()
    if command is None:
        pytest.skip("vnu is not installed (.ci/install-tools.sh)")
    page, _ = build(fixture_text(), with_corpus=False)
    path = tmp_path / "index.html"
    path.write_text(
        _document(decorate_release_headings(page.content, page.releases, "de", config=CONFIG)),
        "utf-8",
    )
    run = subprocess.run(
        [*command, "--errors-only", str(path)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr


def test_lastmod_stays_when_the_newest_release_shipped_the_same_day() -> None:
    page, _ = build(fixture_text(), with_corpus=False)
    assert (
        release_lastmod(page, page.releases) == page.date
    )  # post dated 2024-02-08 11:19, release 2024-02-08


def test_nested_release_sections_are_decorated_once_each() -> None:
    text = (
        "---\ntitle: T\ndate: 2024-01-20T10:00:00+01:00\n---\n## 2024-01 (Release vom 17.01.2024)\n\nBig one, #10.\n\n"
        "### 2024-01a (Release vom 18.01.2024)\n\nFix #11 by @a.\n\n## Danke\n\n#12 stays.\n"
    )
    page = page_from_text(text, "posts/n/index.de.md", "de")
    page.rendered = replace(page.rendered, releases=tuple(detect_releases(page, CONFIG)))
    link_releases(page.releases, CONFIG)
    html = decorate_release_headings(page.content, page.releases, "de", config=CONFIG)
    assert html.count('class="release-meta"') == 2 and html.count("issue-link") == 2
    assert html.count(">#11</a>") == 1 and "<p>#12 stays.</p>" in html
    assert "18. Januar 2024" in html and "Änderungen auf GitHub: 2024-01…2024-01a" in html
