"""The default theme speaks the languages LoveIt/FixIt ship i18n tables for (issue 16):
every table complete, with the language's plural forms, and a zh-cn site in Chinese."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path

import pytest
from babel import Locale

from conftest import run_sitegen

THEME_I18N = Path(__file__).resolve().parents[1] / "sitegen" / "themes" / "default" / "i18n"
LANGUAGES = [
    "zh-cn",
    "zh-tw",
    "ja",
    "ko",
    "fr",
    "es",
    "it",
    "pt-br",
    "ru",
    "pl",
    "ro",
    "sr",
    "vi",
    "hi",
]


def table(lang: str) -> dict:
    return tomllib.loads((THEME_I18N / f"{lang}.toml").read_text(encoding="utf-8"))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_has_the_english_keys_placeholders_and_its_plural_forms(lang: str) -> None:
    english, own = table("en"), table(lang)
    assert own.keys() == english.keys()
    plural_tags = Locale.parse(lang.replace("-", "_")).plural_form.tags
    for key, forms in own.items():
        assert "other" in forms, key
        expected = fields(english[key]["other"])
        for form, text in forms.items():
            assert fields(text) == expected, (key, form)
            assert text.strip(), (key, form)
        if len(english[key]) > 1:  # a plural string: every form the language has
            assert plural_tags <= set(forms), (key, sorted(plural_tags - set(forms)))
    assert own["readMore"]["other"] != english["readMore"]["other"]


def test_a_zh_cn_site_gets_chinese_interface_text(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "博客"\n'
        'defaultContentLanguage = "zh-cn"\nlanguageCode = "zh-CN"\nsummaryLength = 5\n',
        encoding="utf-8",
    )
    (site / "content/posts/a.md").write_text(
        "---\ntitle: 发布\ndate: 2024-01-02\n---\n第一段文字很长很长很长很长很长很长很长。\n\n第二段。\n\n"
        "{{< admonition >}}\n内容\n{{< /admonition >}}\n",
        encoding="utf-8",
    )
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    assert "translation" not in result.stderr and "i18n" not in result.stderr, result.stderr
    home = (site / "public/index.html").read_text(encoding="utf-8")
    post = (site / "public/posts/a/index.html").read_text(encoding="utf-8")
    assert "阅读全文" in home and "Read more" not in home
    assert '<summary class="admonition-title">' in post and "注意</summary>" in post
    assert "Note" not in post and "Skip to content" not in post
