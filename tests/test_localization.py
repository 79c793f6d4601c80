"""German and English pages of one post, side by side; a third language without a table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, run_sitegen, write_post


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import REPO

    out = tmp_path_factory.mktemp("l10n") / "public"
    result = run_sitegen("build", "-s", REPO, "-d", out)
    assert result.returncode == 0, result.stderr
    return out


def _page(built: Path, url: str) -> str:
    return (built / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_german_and_english_pages_side_by_side(built: Path) -> None:
    de = _page(built, "/de/posts/2024/release-2024-02/")
    en = _page(built, "/posts/2024/release-2024-02/")
    # language of the document and of link previews
    assert '<html lang="de"' in de and '<html lang="en"' in en
    # UI strings from the i18n tables
    assert "Inhalt" in de and "Contents" in en
    assert "Lesezeit" in de and "read" in en
    # dates by Babel
    assert ">27. Februar 2024</time>" in de and ">February 27, 2024</time>" in en
    # release decorations speak the page's language
    assert "Änderungen auf GitHub" in de and "Changes on GitHub" in en
    # typography: German quotes on the German page only, never inside code
    assert "&bdquo;Postfachinhaber&ldquo;" in de and "&ldquo;mailbox owner&rdquo;" in en
    assert "<code>QUOTA_NOTIFY=owner</code>" in de
    # hreflang both ways, plus x-default
    for page in (de, en):
        assert (
            'hreflang="de" href="https://blog.example.org/de/posts/2024/release-2024-02/"' in page
        )
        assert 'hreflang="en" href="https://blog.example.org/posts/2024/release-2024-02/"' in page
        assert 'hreflang="x-default"' in page


def test_numbers_and_plurals_follow_the_language(built: Path) -> None:
    seed = _page(built, "/de/posts/2024/release-2024-01/")
    assert re.search(r"1\.114\s+Wörter", seed), "German thousands separator"
    assert re.search(r"6\s+Minuten Lesezeit", seed)
    short = _page(built, "/de/posts/2024/release-2024-02/")
    assert re.search(r"\b1\s+Minute Lesezeit", short), "German singular"
    english = _page(built, "/posts/2024/release-2024-01/")
    assert re.search(r"\b\d+\s+words?\b", english)


def test_language_switcher_leads_to_the_translation_or_the_home(built: Path) -> None:
    de = _page(built, "/de/posts/2024/release-2024-02/")
    assert 'href="/posts/2024/release-2024-02/"' in de
    # The seed post exists in German and English: each links the other.
    assert 'href="/de/posts/2024/release-2024-01/"' in _page(built, "/posts/2024/release-2024-01/")


def test_bundle_images_resolve_in_every_language(built: Path) -> None:
    for prefix in ("", "de/"):
        assert (built / prefix / "posts/2024/welcome/images/cover.svg").is_file()


def test_corpus_needs_no_missing_translations(tmp_path: Path) -> None:
    result = run_sitegen("build", "-s", CORPUS, "-d", tmp_path / "public")
    assert result.returncode == 0, result.stderr
    assert "missing translation" not in result.stderr
    # Hugo leaves the German mailcow-idp post with 21 broken images; sitegen publishes them.
    html = (tmp_path / "public/de/posts/2023/mailcow-idp/index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    local = [src for src in images if not src.startswith(("http:", "https:", "/"))]
    assert len(local) >= 21
    for src in local:
        assert (tmp_path / "public/de/posts/2023/mailcow-idp" / src).is_file(), src


def test_a_language_without_a_table_gets_english_strings_and_its_own_dates(
    example_site: Path,
) -> None:
    # Czech: the default theme has no table for it (French, Chinese, … have theirs).
    config = example_site / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n  [languages.cs]\n    weight = 3\n"
        '    languageName = "Čeština"\n    languageCode = "cs"\n',
        encoding="utf-8",
    )
    write_post(
        example_site,
        "posts/2024/release-2024-02/index.cs.md",
        '---\ntitle: "Aktualizace za únor"\ndate: 2024-02-27T10:00:00+01:00\n---\n\n'
        'Přicházejí "notifikace" kvót.\n',
    )
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    html = (example_site / "public/cs/posts/2024/release-2024-02/index.html").read_text(
        encoding="utf-8"
    )
    assert '<html lang="cs"' in html
    assert "27. února 2024" in html, "Czech date from Babel"
    assert "min read" in html or "minute" in html, "English strings as the fallback"
    assert "&bdquo;notifikace&ldquo;" in html, "Czech quotation marks"
    assert result.stderr.count("no i18n table for language 'cs'") == 1


def test_date_format_from_config(tmp_path: Path, example_site: Path) -> None:
    # The corpus sets FixIt's params.dateFormat as Go layouts: 02.01.2006 (de), 01-02-2006 (en).
    assert run_sitegen("build", "-s", CORPUS, "-d", tmp_path / "corpus").returncode == 0
    de = (tmp_path / "corpus/de/posts/2023/release-2023-12/index.html").read_text(encoding="utf-8")
    en = (tmp_path / "corpus/posts/2023/release-2023-12/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2023-12-19T11:19:02+02:00">19.12.2023</time>' in de
    assert '<time datetime="2023-12-19T11:19:02+02:00">12-19-2023</time>' in en
    # A named Babel style per language.
    config = example_site / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            '    title = "cowpoke — Release-Blog"\n',
            '    title = "cowpoke — Release-Blog"\n    dateFormat = "full"\n',
        ),
        encoding="utf-8",
    )
    assert run_sitegen("build", "-s", example_site).returncode == 0
    page = (example_site / "public/de/posts/2024/release-2024-02/index.html").read_text(
        encoding="utf-8"
    )
    assert "Dienstag, 27. Februar 2024" in page
