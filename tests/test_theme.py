"""The default theme renders the pages a reader sees: accessible, bilingual, self-contained.

The templates are rendered with a small Jinja2 environment built here that follows the
template contract (context `page`, `site`, `paginator`, `T`, the filters and globals).
Filters are simple stand-ins; what is under test is the theme's markup and strings.
"""

from __future__ import annotations

import dataclasses
import re
import string
import tomllib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sitegen.content.html_repair import clean_config_html
from sitegen.content.html_text import strip_html
from sitegen.models import MenuEntry, Page, Pager, Release, Rendered, pack_text
from sitegen.releases import newest_release
from sitegen.render.cached_partials import CachedPartials
from sitegen.render.filters import menu_current
from sitegen.render.i18n import load_translations
from sitegen.render.theme_partials import add_macro_libraries
from sitegen.safe.urls import safe_url

THEME = Path(__file__).resolve().parents[1] / "sitegen" / "themes" / "default"
BASE_URL = "https://blog.example.org"
TZ = timezone(timedelta(hours=2))


# --- a stand-in for the lead's template environment -----------------------------------


def load_i18n(lang: str) -> dict:
    return tomllib.loads((THEME / "i18n" / f"{lang}.toml").read_text(encoding="utf-8"))


def make_translator(lang: str):
    translations = load_translations([THEME / "i18n"], ["en", "de"], "en", None)
    return lambda key, count=None, **values: translations.translate(lang, key, count, **values)


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(THEME / "layouts")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # stricter than the build's, to catch typos
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.loopcontrols", "jinja2.ext.do", CachedPartials],  # as the build's
    )
    months = {"en": "January", "de": "Januar"}
    env.filters.update(
        date_format=lambda dt, style="long": f"{dt.day} {months['en']} {dt.year}",
        iso8601=lambda dt: dt.isoformat(),
        number=lambda n: f"{n:,}",
        absurl=lambda path: BASE_URL + path,
        relurl=lambda path: path,
        lang_url=lambda path: path,
        plainify=lambda html: strip_html(str(html)),
        truncate_words=lambda text, n: " ".join(str(text).split()[:n]),
        urlencode_term=lambda name: quote(name.lower().replace(" ", "-")),
        config_html=clean_config_html,
        newest_release=newest_release,
        safe_url=safe_url,
        menu_current=menu_current,
    )
    env.globals.update(
        now=lambda: datetime(2024, 1, 5, tzinfo=TZ),
        sitegen_version="0.1.0",
        static_url=lambda path: "/" + path,
    )
    add_macro_libraries(
        env
    )  # the theme's `helpers` and `icons`, as the build's environment has them
    return env


def make_site(lang: str, params: dict | None = None, menus: dict | None = None):
    languages = [
        SimpleNamespace(
            code="en", name="English", locale="en", title="Blog", weight=1, params={}, home_url="/"
        ),
        SimpleNamespace(
            code="de",
            name="Deutsch",
            locale="de",
            title="Blog",
            weight=2,
            params={},
            home_url="/de/",
        ),
    ]
    language = next(item for item in languages if item.code == lang)
    return SimpleNamespace(
        title="Example Blog",
        base_url=BASE_URL,
        params=params if params is not None else {},
        language=language,
        languages=languages,
        is_multilingual=True,
        home_url=language.home_url,
        menus=menus or {},
        taxonomies={},
        author={"name": "Moohoo"},
        copyright="",
        rss_url=language.home_url + "index.xml",
        build_date=datetime(2024, 1, 5, tzinfo=TZ),
        generator="sitegen 0.1.0",
    )


def render(template: str, page: Page, site=None, paginator=None) -> str:
    site = site or make_site(page.lang)
    return (
        make_env()
        .get_template(template)
        .render(page=page, site=site, paginator=paginator, T=make_translator(page.lang))
    )


RENDERED_PARTS = {part.name for part in dataclasses.fields(Rendered)}


def post(lang="en", slug="hello", title="Hello", **fields) -> Page:
    prefix = "" if lang == "en" else f"/{lang}"
    if "content" in fields:  # the HTML as a test writes it: trusted where it is Markup
        content = fields.pop("content")
        fields.update(packed_content=pack_text(content), trusted=isinstance(content, Markup))
    body = Rendered(**{name: fields.pop(name) for name in RENDERED_PARTS & fields.keys()})
    page = Page(kind="page", lang=lang, title=title, section="posts", rendered=body, **fields)
    page.rel_permalink = f"{prefix}/posts/{slug}/"
    page.permalink = BASE_URL + page.rel_permalink
    page.date = page.date or datetime(2023, 12, 19, 10, 0, tzinfo=TZ)
    return page


def listing(kind: str, lang: str, rel: str, title: str, pages: list[Page]) -> Page:
    page = Page(kind=kind, lang=lang, title=title, pages=pages)
    page.rel_permalink = rel
    page.permalink = BASE_URL + rel
    return page


class Outline(HTMLParser):
    """Collects tags with attributes and the visible text of a rendered page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


# --- strings ---------------------------------------------------------------------------


def used_keys() -> set[str]:
    pattern = re.compile(r"""\bT\(\s*["']([A-Za-z]+)["']""")
    keys = set()
    for template in (THEME / "layouts").rglob("*.html"):
        if "shortcodes" not in template.parts:
            keys.update(pattern.findall(template.read_text(encoding="utf-8")))
    return keys | {"tags", "categories"}  # also looked up as T(page.taxonomy)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_string_the_theme_uses_is_translated(lang):
    table = load_i18n(lang)
    missing = sorted(used_keys() - table.keys())
    assert not missing, f"{lang}.toml lacks {missing}"


def test_english_and_german_tables_have_the_same_keys_forms_and_placeholders():
    english, german = load_i18n("en"), load_i18n("de")
    assert english.keys() == german.keys()
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}
    for key in english:
        assert english[key].keys() == german[key].keys(), key
        for form in english[key]:
            assert fields(english[key][form]) == fields(german[key][form]), (key, form)


def test_plural_strings_follow_the_count():
    assert make_translator("en")("readingTime", count=1) == "1 minute read"
    assert make_translator("en")("readingTime", count=7) == "7 minutes read"
    assert make_translator("de")("subReleases", count=3) == "3 Releases in diesem Beitrag"


# --- a post ----------------------------------------------------------------------------


def release_post() -> Page:
    page = post(
        slug="release-2023-12",
        title="Update 2023-12",
        content=Markup('<h2 id="2023-12a">2023-12a</h2><p>Fixes.</p><h2 id="2023-12">2023-12</h2>'),
        toc=Markup(
            '<nav id="TableOfContents"><ul><li><a href="#2023-12a">2023-12a</a></li></ul></nav>'
        ),
        toc_enabled=True,
        word_count=1234,
        reading_time=6,
        taxonomies={"tags": ["update", "SOGo"], "categories": ["Updates"]},
        params={
            "featuredimage": "images/cover.png",
            "author": "Niklas",
            "authorlink": "https://github.com/x",
        },
    )
    page.rendered = replace(
        page.rendered,
        releases=(
            Release(
                "2023-12a",
                "2023-12a",
                "2023-12a",
                datetime(2023, 12, 29, tzinfo=TZ),
                "2023-12a",
                2,
                17,
            ),
            Release(
                "2023-12", "2023-12", "2023-12", datetime(2023, 12, 19, tzinfo=TZ), "2023-12", 2, 29
            ),
        ),
    )
    german = post(lang="de", slug="release-2023-12", title="Update 2023-12")
    page.translations = [german]
    german.translations = [page]
    page.prev = post(slug="newer", title="A newer post")
    page.next = post(slug="older", title="An older post")
    return page


def test_a_post_has_landmarks_a_skip_link_and_its_language():
    html = render("_default/single.html", release_post())
    outline = Outline(html)
    assert '<html lang="en"' in html
    for landmark in ("header", "nav", "main", "footer", "article", "aside"):
        assert outline.find(landmark) or outline.find(landmark.lower()), landmark
    skip = outline.tags[[t for t, _ in outline.tags].index("a")]
    assert skip[1]["href"] == "#main" and outline.find("main", id="main")
    assert "Skip to content" in outline.text
    # Buttons that need the script stay hidden until it runs: no dead controls without JS.
    assert "hidden" in outline.find("button", class_="theme-toggle")[0]
    assert "hidden" in outline.find("button", class_="menu-toggle")[0]


def test_a_post_links_its_translations_canonical_and_feed():
    outline = Outline(render("_default/single.html", release_post()))
    alternates = {
        a["hreflang"]: a["href"] for a in outline.find("link", rel="alternate") if "hreflang" in a
    }
    assert alternates == {
        "en": BASE_URL + "/posts/release-2023-12/",
        "de": BASE_URL + "/de/posts/release-2023-12/",
        "x-default": BASE_URL + "/posts/release-2023-12/",
    }
    assert outline.find("link", rel="canonical")[0]["href"] == BASE_URL + "/posts/release-2023-12/"
    assert (
        outline.find("link", rel="alternate", type="application/rss+xml")[0]["href"] == "/index.xml"
    )
    assert outline.find("meta", property="og:locale")[0]["content"] == "en"
    assert (
        outline.find("meta", property="og:image")[0]["content"]
        == BASE_URL + "/posts/release-2023-12/images/cover.png"
    )


def test_a_post_shows_its_meta_toc_image_tags_and_neighbours():
    outline = Outline(render("_default/single.html", release_post()))
    text = " ".join(outline.text)
    assert "6 minutes read" in text and "1,234 words" in text
    assert "Release 2023-12a" in text and "2 releases in this post" in text
    assert outline.find("aside", class_="toc") and outline.find("a", href="#2023-12a")
    image = outline.find("img", src="/posts/release-2023-12/images/cover.png")
    assert image and image[0]["alt"] == "Update 2023-12"
    assert outline.find("a", href="/tags/sogo/", rel="tag")
    assert outline.find("a", href="/categories/updates/")
    assert outline.find("a", href="/posts/newer/", rel="prev") and outline.find(
        "a", href="/posts/older/", rel="next"
    )
    assert outline.find("a", href="https://github.com/x", rel="author")


def test_a_post_without_toc_or_releases_shows_neither():
    page = post(content=Markup("<p>Short.</p>"), reading_time=1)
    html = render("_default/single.html", page)
    assert 'class="toc"' not in html and "release-badge" not in html
    assert "1 minute read" in html


def test_the_newest_dated_release_is_shown_whatever_its_position():
    page = release_post()
    page.rendered = replace(page.rendered, releases=page.releases[::-1])
    assert "Release 2023-12a" in render("_default/single.html", page)


def test_without_dates_the_first_release_in_the_post_is_shown():
    page = release_post()
    for release in page.releases:
        release.date = None
    assert "Release 2023-12a" in render("_default/single.html", page)
    page.rendered = replace(page.rendered, releases=page.releases[::-1])
    assert "Release 2023-12<" in render("_default/single.html", page)


def test_rendered_html_is_shown_as_html_even_as_a_plain_string():
    page = post(
        content='<p class="release-meta">x</p>',
        summary="<p>s</p>",
        toc='<nav id="TableOfContents"></nav>',
    )
    page.toc_enabled = True
    html = render("_default/single.html", page)
    assert '<p class="release-meta">x</p>' in html and '<nav id="TableOfContents">' in html


def test_titles_from_content_are_escaped():
    page = post(title="<script>alert(1)</script>")
    html = render("_default/single.html", page)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# --- languages -------------------------------------------------------------------------


def test_german_page_speaks_german_and_switches_to_its_english_version():
    german = release_post().translations[0]
    german.rendered = replace(german.rendered, reading_time=3)
    outline = Outline(render("_default/single.html", german))
    text = " ".join(outline.text)
    assert "Zum Inhalt springen" in text and "3 Minuten Lesezeit" in text
    assert outline.find("a", hreflang="en", lang="en")[0]["href"] == "/posts/release-2023-12/"
    assert outline.find("meta", property="og:locale")[0]["content"] == "de"


def test_language_switcher_falls_back_to_the_other_languages_home():
    outline = Outline(render("_default/single.html", post(slug="only-english")))
    assert outline.find("a", hreflang="de")[0]["href"] == "/de/"
    assert not [a for a in outline.find("link", rel="alternate") if "hreflang" in a]


# --- lists, home, menus, footer ---------------------------------------------------------

MAILCOW_PARAMS = {
    "description": "The mailserver suite",
    "header": {
        "title": {"logo": "/images/cow.svg", "name": "mailcow Blog", "pre": "", "post": "📰"}
    },
    "home": {
        "profile": {
            "enable": True,
            "avatarURL": "/images/cow.svg",
            "title": "Moo",
            "subtitle": "News",
            "social": True,
        }
    },
    "social": {
        "GitHub": "mailcow/mailcow-dockerized",
        "Mastodon": "@doncow@mailcow.social",
        "Email": "info@example.org",
        "Telegram": {
            "weight": 0,
            "id": "mailcow",
            "prefix": "https://t.me/",
            "title": "Telegram (Community)",
        },
        "telegram-offtopic": {"weight": 7, "id": "mailcowOffTopic", "title": "Telegram (Offtopic)"},
        "community": {"weight": 12, "title": "Community (Forum)"},
        "rss": {"weight": 64, "title": "RSS Feed"},
    },
    "footer": {
        "enable": True,
        "since": 2016,
        "license": '<a rel="license" href="https://tinc.gmbh">TINC</a>',
        "icp": '<a href="/imprint/">Imprint</a> | <a href="/policy/">Privacy Policy</a>',
    },
}


def mailcow_menu() -> dict:
    demos = MenuEntry(
        "demos", " Demos", "https://demo.example.org", weight=7, pre="<i class='fa fa-play'></i>"
    )
    demos.children = [
        MenuEntry("demo-stable", "Stable Demo", "https://demo.example.org", pre="✅ "),
        MenuEntry("demo-nightly", "Nightly Demo", "https://nightly.example.org", pre="🛠️ "),
    ]
    return {"main": [MenuEntry("posts", "Posts", "/posts/", weight=1), demos]}


def home_page() -> tuple[Page, Pager]:
    posts = [
        release_post(),
        post(slug="other", title="Other", summary=Markup("<p>Short <em>summary</em>.</p>")),
    ]
    home = listing("home", "en", "/", "Example Blog", posts)
    pager = Pager(2, 5, posts, "/page/2/", "/", "/page/5/", "/", "/page/3/")
    return home, pager


def test_home_shows_profile_social_links_posts_and_pagination():
    home, pager = home_page()
    site = make_site("en", MAILCOW_PARAMS, mailcow_menu())
    outline = Outline(render("index.html", home, site, pager))
    text = " ".join(outline.text)
    assert outline.find("h1", id="profile-title") and "Moo" in text and "News" in text
    social = [a["href"] for t, a in outline.tags if t == "a" and "me" in a.get("rel", "").split()]
    assert social[: len(social) // 2] == social[len(social) // 2 :]  # profile and footer
    assert social[: len(social) // 2] == [
        "https://t.me/mailcow",
        "https://github.com/mailcow/mailcow-dockerized",
        "https://mailcow.social/@doncow",
        "https://t.me/mailcowOffTopic",
    ]
    assert outline.find("a", href="mailto:info@example.org") and outline.find(
        "a", href="/index.xml", title="RSS Feed"
    )
    assert text.count("Read more") == 2 and "<em>summary</em>" in render(
        "index.html", home, site, pager
    )
    assert "Page 2 of 5" in text
    assert outline.find("a", href="/", rel="prev") and outline.find(
        "a", href="/page/3/", rel="next"
    )


def test_menu_renders_sub_menus_nested_and_marks_the_current_page():
    section = listing("section", "en", "/posts/", "Posts", [post()])
    site = make_site("en", MAILCOW_PARAMS, mailcow_menu())
    html = render("_default/list.html", section, site)
    nav = html[
        html.index('<nav class="site-nav"') : html.index(
            "</nav>", html.index('<nav class="site-nav"')
        )
    ]
    assert re.search(
        r'<li class="menu-item has-children">\s*<a href="https://demo.example.org"', nav
    )
    assert re.search(
        r'<ul class="submenu">\s*<li class="menu-item"><a href="https://demo.example.org"[^>]*>✅ Stable Demo</a>',
        nav,
    )
    assert '<a href="/posts/" aria-current="page">Posts</a>' in nav


def test_footer_renders_the_owners_html_and_copyright_years():
    home, pager = home_page()
    html = render("index.html", home, make_site("en", MAILCOW_PARAMS), pager)
    footer = html[html.index('<footer class="site-footer"') :]
    assert '<a rel="license" href="https://tinc.gmbh">TINC</a>' in footer
    assert '<a href="/imprint/">Imprint</a>' in footer
    assert "2016–2024" in footer and "Powered by sitegen 0.1.0" in footer


def test_site_without_any_theme_params_still_renders():
    home, _ = home_page()
    html = render("index.html", home, make_site("en", {}))
    assert "Example Blog" in html and "Read more" in html and "social-links" not in html


def test_term_taxonomy_404_and_release_index_render():
    posts = [release_post()]
    term = listing("term", "en", "/tags/update/", "Update", posts)
    term.term, term.taxonomy = "update", "tags"
    assert "1 post" in render("_default/list.html", term)
    tags = listing("taxonomy", "de", "/de/tags/", "Tags", [term])
    tags.taxonomy = "tags"
    assert 'href="/tags/update/"' in render("_default/taxonomy.html", tags)
    missing = listing("404", "de", "/404.html", "404", [])
    assert "Seite nicht gefunden" in render("404.html", missing)
    for release in posts[0].releases:
        release.page = posts[0]
    releases = listing("section", "en", "/releases/", "Releases", posts)
    outline = Outline(render("_default/releases.html", releases))
    assert outline.find("a", href="/posts/release-2023-12/#2023-12a")
    assert "2 releases" in " ".join(outline.text)


# --- self-contained ---------------------------------------------------------------------


def test_theme_loads_nothing_from_other_hosts():
    home, pager = home_page()
    html = render("index.html", home, make_site("en", MAILCOW_PARAMS, mailcow_menu()), pager)
    outline = Outline(html)
    loaded = [a.get("src", "") for t, a in outline.tags if t in ("script", "img")]
    loaded += [
        a["href"] for a in outline.find("link") if a.get("rel") in ("stylesheet", "icon", "preload")
    ]
    assert loaded and not [url for url in loaded if "://" in url or url.startswith("//")]
    for asset in (THEME / "static").rglob("*"):
        if asset.suffix in (".css", ".js"):
            text = asset.read_text(encoding="utf-8")
            assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import|https?://", text), asset


def test_the_icon_macro_offers_exactly_the_symbols_of_the_sprite():
    """icons.html lists the names it draws; the sprite (static/icons.svg) holds the symbols.
    A name on one side only would draw an empty icon or hide one that exists."""
    sprite = (THEME / "static" / "icons.svg").read_text(encoding="utf-8")
    symbols = set(re.findall(r'<symbol id="([^"]+)"', sprite))
    icons = (
        make_env()
        .get_template("partials/icons.html")
        .make_module({"static_url": lambda path: "/" + path})
    )
    drawn = {name for name in symbols if f'href="/icons.svg#{name}"' in str(icons.svg(name))}
    assert drawn == symbols
    assert str(icons.svg("no-such-icon")) == ""
    used = set()
    for template in (THEME / "layouts").rglob("*.html"):
        used.update(
            re.findall(r"""icons\.svg\(["']([^"']+)["']\)""", template.read_text(encoding="utf-8"))
        )
    assert used <= symbols, used - symbols
