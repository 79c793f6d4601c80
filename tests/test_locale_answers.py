"""Babel's answers (dates, numbers, plurals) are kept in the build cache: a rebuild whose
pages show only what was shown before gives the same pages without asking Babel (so without
loading its locale data), and the same pages as a build that asked."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sitegen import locale
from sitegen.build.builder import BuildOptions, build_site, write_site
from sitegen.render.i18n import format_number, plural_form

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "mailcow-blog"


def make_site(root: Path) -> Path:
    site = root / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Blog"\ndefaultContentLanguage = "de"\n'
        "[languages.de]\nweight = 1\n[languages.en]\nweight = 2\n",
        encoding="utf-8",
    )
    for lang in ("de", "en"):
        (site / "content" / "posts" / f"release.{lang}.md").write_text(
            "---\ntitle: Release\ndate: 2024-02-08\n---\n\n## 2024-01e\n\nEin Satz für alle.\n",
            encoding="utf-8",
        )
    return site


def build(site: Path, destination: Path, ignore_cache: bool = False) -> None:
    options = BuildOptions(
        source=site, destination=destination, ignore_cache=ignore_cache, workers=1
    )
    write_site(build_site(options))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")}


def forget_everything() -> None:
    """This process as a new one would start: no answers known."""
    locale.ANSWERS.clear()


def count_questions(monkeypatch) -> list[str]:
    """The questions that reach Babel from now on."""
    asked: list[str] = []
    for what, ask in dict(locale._ASK).items():
        monkeypatch.setitem(
            locale._ASK,
            what,
            lambda *args, _ask=ask, _what=what: asked.append(_what) or _ask(*args),
        )
    return asked


def test_a_rebuild_shows_the_same_dates_without_asking_babel(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    asked = count_questions(monkeypatch)
    forget_everything()
    build(site, site / "public")
    assert "day" in asked  # the first build asked Babel
    config = site / "config.toml"
    config.write_text(config.read_text().replace('"Blog"', '"Release notes"'), encoding="utf-8")
    forget_everything()
    asked.clear()
    build(site, site / "public")
    assert asked == []  # every answer came from the cache
    forget_everything()
    build(site, tmp_path / "cold", ignore_cache=True)
    assert files(site / "public") == files(tmp_path / "cold")
    assert "8. Februar 2024" in (site / "public" / "posts" / "release" / "index.html").read_text()


def test_the_corpus_rebuilt_from_kept_answers_is_the_corpus_built_cold(tmp_path):
    site = tmp_path / "blog"
    shutil.copytree(CORPUS, site, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    config = site / "config.toml"
    config.write_text(config.read_text().replace("enableGitInfo = true", ""), encoding="utf-8")
    forget_everything()
    build(site, site / "public")
    config.write_text(config.read_text().replace('title = "', 'title = "New '), encoding="utf-8")
    forget_everything()
    build(site, site / "public")
    forget_everything()
    build(site, tmp_path / "cold", ignore_cache=True)
    assert files(site / "public") == files(tmp_path / "cold")


def test_kept_answers_are_babels_answers():
    from babel import Locale
    from babel.numbers import format_decimal

    forget_everything()
    for lang in ("de", "en", "ru", "pl", "fr"):
        rules = Locale.parse(lang)
        for count in (0, 1, 1.0, 1.5, 2, 3, 5, 11, 21, 22, 101, 1672, 12345.5):
            for _ in range(2):  # asked, then kept
                assert plural_form(count, lang) == rules.plural_form(abs(count)), (lang, count)
                assert format_number(count, lang) == format_decimal(count, locale=lang)
    assert locale.format_date_for(date(2024, 2, 8), "de") == "8. Februar 2024"
