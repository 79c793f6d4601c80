"""Hugo compatibility of paths, URLs and page kinds: many tiny sites, each built by the real
Hugo (the `hugo` package, with tests/hugo_theme recording every page) and by sitegen, and
compared: the URL set, each page's kind, title, date, heading ids, text and main menu, and
the items of every feed.

Each site holds several cases at once, so one Hugo run covers many. Where sitegen differs
from Hugo on purpose, the difference is listed in DELIBERATE_DIFFERENCES with its reason.
Errors Hugo does not raise (sitegen's "no page lost" checks) are tested at the end through
the real command line.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_sitegen, write_site
from hugo_reference import Reference, hugo_reference
from site_checks import (
    SitegenBuild,
    built_files,
    feed_item_links,
    normalise_url,
    plain_text,
    sitegen_build,
    sitemap_locations,
)
from sitegen.site.urls import base_path

BASE = 'baseURL = "https://example.org/"\ntitle = "Compat"\n'
# The reference theme's home pages by params.home.posts.paginate (LoveIt's key), default 10.
HOME_PAGER_OF_TWO = "[pagination]\npagerSize = 2\n[params.home.posts]\npaginate = 2\n[params]\n"
SECURE_HTML = '[security]\nallowContent = [".*"]\n'


def page(title: str, body: str = "", **fields: str) -> str:
    """A content file with YAML front matter (values written as given)."""
    lines = [f"title: {title!r}"] + [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


SITES: dict[str, dict[str, str]] = {
    # File names: every dot but the suffix's and a configured language's stays in the URL.
    "dotted-names": {
        "hugo.toml": BASE,
        "content/blog/2017-04-11-2.1.4-released.md": page(
            "Two one four", "## Notes\n\ntext\n", date="2017-04-11"
        ),
        "content/blog/2017-04-11-2.1.5-released.md": page(
            "Two one five", "## Notes\n\nother\n", date="2017-04-12"
        ),
        "content/blog/v1.2.md": page("Version", "# v1.2\n\ntext\n"),
        "content/blog/file.fr.md": page("Not French", "fr is no language of this site\n"),
        "content/blog/UPPER.Case.md": page("Upper", "lower-cased\n"),
        "content/blog/my  file.md": page("Spaces", "two spaces\n"),
        "content/blog/a & b.md": page("Ampersand", "and\n"),
        "content/blog/release.v2/index.md": page("Bundle", "## In a bundle\n\nx\n"),
        "content/other.markdown": page("Markdown suffix", "## Heading\n\nmarkdown\n"),
        "content/third.mdown": page("Mdown suffix", "mdown\n"),
    },
    # Region language codes: in config keys (any case), file suffixes, URL prefixes, hreflang.
    "region-languages": {
        "hugo.toml": BASE + 'defaultContentLanguage = "en-US"\n'
        "[languages.en-US]\nweight = 1\n[languages.zh-CN]\nweight = 2\n"
        "[languages.pt-BR]\nweight = 3\n[languages.fr]\ndisabled = true\n",
        "content/posts/a.md": page("A", "## English\n\nx\n", date="2024-01-01"),
        "content/posts/a.zh-cn.md": page("A zh", "## 中文\n\nx\n", date="2024-01-01"),
        "content/posts/a.pt-BR.md": page("A pt", "## Português\n\nx\n", date="2024-01-01"),
        "content/posts/b.de.md": page("B", "de is no language here: a page named b.de\n"),
        "content/posts/bundle/index.md": page("Bundle", "x\n"),
        "content/posts/bundle/index.zh-CN.md": page("Bundle zh", "x\n"),
        "content/posts/a.fr.md": page("A fr", "French is configured but disabled: no page\n"),
        "i18n/zh-CN.toml": '[rss]\nother = "订阅源"\n',
        "i18n/pt.toml": '[rss]\nother = "Feed em português"\n',
    },
    # The default language in its folder: Hugo redirects the root there.
    "default-language-in-subdir": {
        "hugo.toml": BASE + 'defaultContentLanguage = "en"\ndefaultContentLanguageInSubdir = true\n'
        "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n",
        "content/posts/a.md": page("A", "x\n", date="2024-01-01"),
        "content/posts/a.de.md": page("A de", "x\n", date="2024-01-01"),
    },
    # One language, in its folder all the same.
    "single-language-in-subdir": {
        "hugo.toml": BASE
        + 'defaultContentLanguage = "pt-br"\ndefaultContentLanguageInSubdir = true\n',
        "content/posts/a.md": page("A", "## Olá\n\nx\n", date="2024-01-01", aliases="[/velho/]"),
    },
    # `url` on list pages: a section at the site root, another elsewhere, in a subdir site.
    "list-urls": {
        "hugo.toml": BASE + 'defaultContentLanguage = "en"\ndefaultContentLanguageInSubdir = true\n'
        "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n",
        "content/docs/_index.md": page("Docs", "The docs\n", url='"/"'),
        "content/docs/d1.md": page("D1", "x\n"),
        "content/posts/_index.de.md": page("Beiträge", "", url="/custom/list/"),
        "content/posts/p.de.md": page("P", "x\n"),
    },
    # HTML content with front matter: a page in the layout, listed in feeds and sitemaps.
    "html-content": {
        "hugo.toml": BASE + SECURE_HTML,
        "content/about.html": page(
            "About", "<h2>About us</h2>\n<p>We <b>write</b> software.</p>\n"
        ),
        "content/posts/_index.md": page("Posts"),
        "content/posts/news.html": page("News", "<p>News in HTML</p>\n", date="2024-03-01"),
        "content/posts/plain.md": page("Plain", "## Markdown\n\ntext\n", date="2024-03-02"),
        "content/posts/bundle/index.html": page(
            "HTML bundle", "<p>bundle</p>\n", date="2024-03-03"
        ),
        "content/docs/_index.html": page("Docs in HTML", "<p>The <em>docs</em> list</p>\n"),
        "content/docs/md-bundle/index.markdown": page(
            "Markdown bundle", "## Inside\n\nx\n", date="2024-03-04"
        ),
        "content/docs/old.htm": page("HTM suffix", "<p>old style</p>\n", date="2024-03-05"),
    },
    # Sections at any depth, with pagers, feeds and aliases; folders without _index.md are not.
    "nested-sections": {
        "hugo.toml": BASE + HOME_PAGER_OF_TWO + 'mainSections = ["blog"]\n',
        "content/blog/_index.md": page("Blog"),
        "content/blog/top.md": page("Top", "x\n", date="2024-01-01"),
        "content/blog/alice/_index.md": page("Alice", "Posts by Alice\n", aliases="[/alice/]"),
        **{
            f"content/blog/alice/a{n}.md": page(
                f"Alice {n}", f"## Part {n}\n\nx\n", date=f"2024-02-0{n}"
            )
            for n in range(1, 6)
        },
        "content/blog/alice/deep/_index.md": page("Deep"),
        "content/blog/alice/deep/d1.md": page("Deep one", "x\n", date="2024-03-01"),
        "content/blog/alice/deep/deeper/_index.md": page("Deeper"),
        "content/blog/alice/deep/deeper/x.md": page("Deepest", "x\n", date="2024-03-02"),
        "content/blog/alice/plain-folder/p.md": page("In a plain folder", "x\n", date="2024-03-03"),
        "content/blog/bob/_index.md": page("Bob"),
        "content/blog/bob/b1/index.md": page("Bob bundle", "x\n", date="2024-04-01"),
        "content/blog/bob/b1/image.png": "not really a png",
        "content/news/deep/_index.md": page("Deep without a top _index"),
        "content/news/deep/n.md": page("N", "x\n", date="2024-05-01"),
    },
    # Every date layout Hugo accepts (also seen through :year/:month/:day).
    "date-formats": {
        "hugo.toml": BASE + '[permalinks]\nposts = "/:year/:month/:day/:contentbasename/"\n',
        "content/posts/offset-one-digit-hour.md": page("A", "x\n", date="2024-02-13 4:30:00-04:00"),
        "content/posts/zulu.md": page("B", "x\n", date="2024-02-14T04:30:00Z"),
        "content/posts/day-only.md": page("C", "x\n", date="2024-02-15"),
        "content/posts/late-offset.md": page("D", "x\n", date="2024-02-16T23:30:00-05:00"),
        "content/posts/no-zone.md": page("E", "x\n", date="2024-02-17T10:00:00"),
        "content/posts/space-no-zone.md": page("F", "x\n", date='"2024-02-18 10:00:00"'),
        "content/posts/day-month-year.md": page("G", "x\n", date='"19 Feb 2024"'),
        "content/posts/rfc1123z.md": page("H", "x\n", date='"Tue, 20 Feb 2024 15:04:05 -0700"'),
        "content/posts/fraction.md": page("I", "x\n", date="2024-02-21T04:30:00.123456789+02:00"),
        "content/posts/space-offset.md": page("J", "x\n", date='"2024-02-22 04:30:00 -0700"'),
        "content/posts/toml.md": '+++\ntitle = "K"\ndate = 2024-02-23T08:00:00+01:00\n+++\nx\n',
        "content/posts/toml-local.md": '+++\ntitle = "L"\ndate = 2024-02-24\n+++\nx\n',
    },
    # Dotted names and language suffixes together, any case of the suffix.
    "dots-and-languages": {
        "hugo.toml": BASE + "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n",
        "content/posts/v1.2.3.md": page("v1.2.3", "x\n", date="2024-01-01"),
        "content/posts/v1.2.3.de.md": page("v1.2.3 de", "x\n", date="2024-01-01"),
        "content/posts/notes.v2.DE.md": page("Notes de", "x\n", date="2024-01-02"),
        "content/posts/only.en.md": page("Only en", "x\n", date="2024-01-03"),
        "content/posts/b.1/index.de.md": page("Bundle de", "x\n", date="2024-01-04"),
    },
    # timeZone: dates without an offset are local there (seen in :day and in .Date).
    "time-zone": {
        "hugo.toml": BASE
        + 'timeZone = "America/New_York"\n[permalinks]\nposts = "/:year/:month/:day/:filename/"\n',
        "content/posts/late.md": page("Late", "x\n", date="2024-02-16T23:30:00"),
        "content/posts/day.md": page("Day", "x\n", date="2024-07-01"),
        "content/posts/offset.md": page("Offset", "x\n", date="2024-02-16T23:30:00+09:00"),
        "content/posts/toml.md": '+++\ntitle = "TOML local"\ndate = 2024-03-10T01:30:00\n+++\nx\n',
    },
    # Front matter after blank lines and spaces is read, as Hugo's parser skips them.
    "front-matter-placement": {
        "hugo.toml": BASE,
        "content/posts/blank-line.md": "\n---\ntitle: Blank line\ntags: [one]\n---\n## Body\n\ntext\n",
        "content/posts/blank-lines.md": "\n\n\n---\ntitle: Three blank lines\ntags: [two]\n---\nbody\n",
        "content/posts/toml.md": "\n  \n+++\ntitle = 'TOML after blanks'\n+++\nbody\n",
        "content/posts/json.md": '\n{\n  "title": "JSON after a blank"\n}\nbody\n',
    },
    # url, slug and permalinks tokens, for pages, sections and terms.
    "url-slug-permalinks": {
        "hugo.toml": BASE
        + (
            '[permalinks.page]\nposts = "/:year/:month/:slug/"\nnotes = "/:sections/:filename/"\n'
            'docs = "/d/:title/"\n[permalinks.section]\nnotes = "/all/:sections/"\n'
            '[permalinks.term]\ntags = "/topic/:slug/"\n'
        ),
        "content/posts/first.md": page(
            "First post", "x\n", date="2023-05-06", slug="hello-world", tags="[Go]"
        ),
        "content/posts/second.md": page(
            "Second: Ünïcode & more", "x\n", date="2023-07-08", tags='["A & B", "Foo  Bar"]'
        ),
        "content/posts/custom.md": page("Custom", "x\n", url="/elsewhere/page.html"),
        "content/posts/custom-dir.md": page("Custom dir", "x\n", url="/Mixed Case/Dir/"),
        "content/notes/_index.md": page("Notes"),
        "content/notes/sub/n1.md": page("N1", "x\n"),
        "content/notes/inner/_index.md": page("Inner"),
        "content/notes/inner/n2.md": page("N2", "x\n"),
        "content/docs/guide.md": page("The Guide & More", "x\n"),
        "content/misc/slugged.md": page("Slugged", "x\n", slug='"Foo & Bar  baz"'),
        "content/misc/bundle/index.md": page("Bundle", "x\n", slug="new-name"),
    },
    # Taxonomy terms are folded as Hugo folds them: case, `&`, spaces.
    "taxonomy-folding": {
        "hugo.toml": BASE
        + '[taxonomies]\ntag = "tags"\ncategory = "categories"\nseries = "series"\n',
        "content/posts/a.md": page(
            "A",
            "x\n",
            date="2024-01-01",
            tags='[Drivers, "A & B", "Foo Bar", "C++"]',
            series="[Intro]",
        ),
        "content/posts/b.md": page(
            "B",
            "x\n",
            date="2024-01-02",
            tags='[drivers, "a & b", "foo  bar", "25.x"]',
            categories='["What\'s up?"]',
        ),
        "content/posts/c.md": page(
            "C",
            "x\n",
            date="2024-01-03",
            tags='["Änderungen", "日本語 テスト", "C#"]',
            categories='["what\'s up?"]',
            series="[intro]",
        ),
    },
    # Taxonomy and term pages with their own content files.
    "taxonomy-content": {
        "hugo.toml": BASE,
        "content/tags/_index.md": page("All the tags", "## Tag cloud\n\nEvery tag.\n"),
        "content/tags/go/_index.md": page("The Go language", "## About Go\n\nA language.\n"),
        "content/tags/no-posts/_index.md": page("A term without posts", "Nothing tagged.\n"),
        "content/categories/News/_index.md": "---\ndescription: no title\n---\nFolder name with capitals.\n",
        "content/posts/a.md": page(
            "A", "x\n", date="2024-01-01", tags="[Go, rust]", categories="[news]"
        ),
    },
    # disableKinds: disabled outputs are not written.
    "disable-outputs": {
        "hugo.toml": BASE
        + 'enableRobotsTXT = true\ndisableKinds = ["sitemap", "RSS", "404", "robotsTXT"]\n',
        "content/posts/a.md": page("A", "x\n", date="2024-01-01", tags="[t]"),
    },
    "disable-lists": {
        "hugo.toml": BASE + 'disableKinds = ["taxonomy", "term", "section"]\n',
        "content/posts/a.md": page("A", "x\n", date="2024-01-01", tags="[t]"),
        "content/posts/b.md": page("B", "## B\n\nx\n", date="2024-01-02", categories="[c]"),
    },
    "disable-home-and-pages": {
        "hugo.toml": BASE + 'disableKinds = ["home", "page"]\n',
        "content/posts/_index.md": page("Posts", "## Listed\n\nstill a list\n"),
        "content/posts/a.md": page("A", "x\n", date="2024-01-01", tags="[t]"),
    },
    # Menus from the config and from front matter, nested by parent.
    "menus": {
        "hugo.toml": BASE
        + (
            '[[menus.main]]\nname = "Home"\nurl = "/"\nweight = 1\n'
            '[[menus.main]]\nname = "External"\nurl = "https://example.com/"\nweight = 4\n'
            '[[menus.main]]\nname = "Docs"\nidentifier = "docs"\nurl = "/docs/"\nweight = 2\n'
        ),
        "content/about.md": page("About", "x\n", menu="main", weight="3"),
        "content/docs/_index.md": page("Docs"),
        "content/docs/guide.md": page(
            "Guide", "x\n", menus='{"main": {"parent": "docs", "weight": 1}}'
        ),
    },
    # Pagination paths for the home, sections and terms.
    "pagination": {
        "hugo.toml": BASE + HOME_PAGER_OF_TWO,
        **{
            f"content/posts/p{n}.md": page(
                f"Post {n}", "x\n", date=f"2024-01-{n:02d}", tags="[many]"
            )
            for n in range(1, 8)
        },
        "content/posts/few/_index.md": page("Few"),
        "content/posts/few/f.md": page("F", "x\n", date="2024-02-01", tags="[once]"),
    },
    # Aliases: absolute, relative, with .html, on pages and sections, per language.
    "aliases": {
        "hugo.toml": BASE + "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n",
        "content/posts/a.md": page(
            "A", "x\n", date="2024-01-01", aliases="[/old/a/, relative/a, /old/a.html]"
        ),
        "content/posts/a.de.md": page(
            "A de", "x\n", date="2024-01-01", aliases="[/alt/a-de/, rel-de]"
        ),
        "content/posts/_index.md": page("Posts", aliases="[/articles/]"),
        # A dotted alias is a folder unless it ends in .html: /p.txt -> p.txt/index.html.
        "content/posts/b.md": page("B", "x\n", aliases="[/v/1.2, /old.d/x, /p.txt, /b.htm]"),
    },
    # A map of terms gives no term, as in Hugo.
    "map-terms": {
        "hugo.toml": BASE,
        "content/posts/map.md": page("Map", "x\n", date="2024-01-01", tags="{}"),
        "content/posts/go.md": page("Go", "x\n", date="2024-01-02", tags="[go]"),
    },
    # Front matter `url`: with a dot and no closing slash a file as written (humans.txt),
    # else a folder.
    "front-matter-urls": {
        "hugo.toml": BASE,
        "content/humans.md": page("Humans", "We are\n", url="/humans.txt"),
        "content/version.md": page("Version", "x\n", url="/v/1.2"),
        "content/dotted-folder.md": page("Dotted folder", "x\n", url="/dot.d/e"),
        "content/dotted-slash.md": page("Dotted slash", "x\n", url="/a.b/c/"),
        "content/plain.md": page("Plain", "x\n", url="/plain"),
        "content/ugly.md": page("Ugly", "x\n", url="/q.html"),
        "content/feed.md": page("Feed", "x\n", url="/y.xml"),
    },
    # Bundles: leaf bundles with resources in nested folders, branch bundles with resources.
    "bundles": {
        "hugo.toml": BASE,
        "content/posts/2024/leaf/index.md": page(
            "Leaf", "![pic](images/pic.png)\n", date="2024-01-01"
        ),
        "content/posts/2024/leaf/images/pic.png": "png",
        "content/posts/2024/leaf/data.v1.json": "{}",
        "content/posts/2024/leaf/notes.md": page("A page resource, not a page"),
        "content/posts/_index.md": page("Posts"),
        "content/posts/branch-file.txt": "beside a branch bundle",
        "content/loose/readme.txt": "a loose file",
        # A leaf bundle owns everything below it: an index.md inside is a resource, no page.
        "content/posts/outer/index.md": page("Outer", "x\n", date="2024-02-01"),
        "content/posts/outer/inner/index.md": page("Inner"),
        "content/posts/outer/inner/pic.png": "png",
        # A leaf bundle in a section's subfolder, with a language suffix on a resource.
        "content/posts/2024/q1/report/index.md": page("Report", "x\n", date="2024-03-01"),
        "content/posts/2024/q1/report/chart.en.svg": "<svg/>",
    },
}

SITES.update(
    {
        # A base URL with a path: every URL, alias and pager under it.
        "base-path": {
            "hugo.toml": 'baseURL = "https://example.org/blog/"\ntitle = "Sub"\n[pagination]\npagerSize = 1\n'
            "[params.home.posts]\npaginate = 1\n",
            "content/posts/a.md": page(
                "A", "x\n", date="2024-01-01", aliases="[/old-a/]", tags="[t]"
            ),
            "content/posts/b.md": page("B", "x\n", date="2024-01-02", url="/custom/b/"),
        },
        # Folder and file names in capitals and non-ASCII letters.
        "names-case-unicode": {
            "hugo.toml": BASE,
            "content/Blog/My-Post.md": page("Capitals", "## Überschrift\n\nx\n"),
            "content/Blog/über-uns.md": page("Umlaut", "x\n"),
            "content/Blog/日本語.md": page("Japanese", "x\n"),
            "content/Blog/Bundle.V2/index.md": page("Bundle", "x\n"),
            "content/Blog/_index.md": page("Blog list"),
        },
        # Per-language content folders with region codes, translationKey across them.
        "language-content-dirs": {
            "hugo.toml": BASE + 'defaultContentLanguage = "en-gb"\n'
            '[languages.en-GB]\ncontentDir = "content/en"\nweight = 1\n'
            '[languages.de-AT]\ncontentDir = "content/de"\nweight = 2\n',
            "content/en/posts/hello.md": page(
                "Hello", "## Hi\n\nx\n", date="2024-01-01", translationKey="hello"
            ),
            "content/de/posts/hallo.md": page(
                "Hallo", "## Servus\n\nx\n", date="2024-01-01", translationKey="hello"
            ),
            "content/de/posts/nur-deutsch.2.0.md": page("Nur deutsch", "x\n", date="2024-01-02"),
        },
        # Drafts, future and expired pages are left out, as by Hugo without -D/-F/-E.
        "publication-state": {
            "hugo.toml": BASE,
            "content/posts/draft.md": page("Draft", "x\n", draft="true"),
            "content/posts/future.md": page("Future", "x\n", date="2999-01-01"),
            "content/posts/expired.md": page(
                "Expired", "x\n", date="2020-01-01", expiryDate="2021-01-01"
            ),
            "content/posts/published.md": page(
                "Published", "x\n", date="2020-01-01", publishDate="2020-02-01"
            ),
            "content/posts/tagged-draft.md": page(
                "Tagged draft", "x\n", draft="true", tags="[only-draft]"
            ),
        },
        # A section with a `url`, paginated under it; a leaf bundle with a slug and a language.
        "section-url-pagers": {
            "hugo.toml": BASE + "[pagination]\npagerSize = 1\n[params.home.posts]\npaginate = 1\n"
            "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n",
            "content/posts/_index.md": page("Posts", url="/news/"),
            **{
                f"content/posts/p{n}.md": page(f"P{n}", "x\n", date=f"2024-01-0{n}")
                for n in range(1, 4)
            },
            "content/posts/b/index.fr.md": page(
                "Bundle fr", "x\n", date="2024-02-01", slug="paquet"
            ),
            "content/posts/b/index.md": page("Bundle en", "x\n", date="2024-02-01", slug="bundle"),
        },
        # Permalink tokens beyond year/month/slug.
        "permalink-tokens": {
            "hugo.toml": BASE + '[permalinks]\nposts = "/:year/:monthname/:day/:slugorfilename/"\n'
            'notes = "/n/:yearday/:weekday/:filename/"\nlogs = "/l/:section/:title/"\n',
            "content/posts/first.md": page("First", "x\n", date="2024-03-05"),
            "content/posts/second.md": page(
                "Second", "x\n", date="2024-11-30", slug="Zweiter Beitrag"
            ),
            "content/notes/n.md": page("N", "x\n", date="2024-02-10"),
            "content/logs/l.md": page("Log: Day One!", "x\n", date="2024-02-10"),
        },
        # Corner cases of slug and url.
        "slug-url-corners": {
            "hugo.toml": BASE,
            "content/docs/_index.md": page("Docs", slug="documentation"),
            "content/docs/no-slash.md": page("No slash", "x\n", url="relative/path"),
            "content/docs/deep-url.md": page("Deep", "x\n", url="/a/b/c/d/"),
            "content/docs/with-query.md": page("Slug with dots", "x\n", slug="v1.2.3"),
            "content/docs/slug-unicode.md": page("Slug unicode", "x\n", slug='"Ärger über Öl"'),
            "content/docs/bundle/index.md": page("Bundle url", "x\n", url="/bundled/"),
            "content/docs/bundle/pic.png": "png",
        },
    }
)

# Sites whose results differ from Hugo's on purpose: URL -> reason.
DELIBERATE_DIFFERENCES: dict[str, str] = {
    "/releases/": "sitegen's release index (issue 5); Hugo has none",
    "/releases/index.xml": "sitegen's release feed",
    "/releases/releases.json": "sitegen's releases.json",
}
# Hugo publishes a bundle's resources only when a template uses them; sitegen publishes them all.
RESOURCE_REASON = "sitegen publishes every resource of a bundle; Hugo only those a template uses"
# Section titles without an _index.md: Hugo pluralizes the folder name (`blog` -> `Blogs`).
PLURAL_TITLE_REASON = (
    "Hugo's pluralizeListTitles (go-inflect) is not ported: sitegen title-cases the name"
)


class Builds:
    """Each site written out and built by both, once per session, when a test first asks."""

    def __init__(self, root: Path):
        self.root = root
        self.done: dict[str, tuple[Reference, SitegenBuild]] = {}

    def __getitem__(self, name: str) -> tuple[Reference, SitegenBuild]:
        if name not in self.done:
            site = write_site(self.root / name / "site", SITES[name])
            self.done[name] = (hugo_reference(site, self.root / name / "hugo"), sitegen_build(site))
        return self.done[name]


# (site, URL) whose title differs on purpose.
DELIBERATE_TITLES = {
    ("taxonomy-content", "/categories/news/"): (
        "a term's content file without a title: Hugo's term page gets an empty title, sitegen's "
        "the term's name, so that no page has an empty <title> and heading"
    ),
}

# (site, URL) where Hugo's redirect differs from sitegen's on purpose.
DELIBERATE_REDIRECTS = {
    ("list-urls", "/"): (
        'a section with url "/" and Hugo\'s redirect to the default language meet at /: Hugo writes '
        "one or the other from run to run; sitegen gives the path to the site's page, always"
    ),
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp("compat"))


def _theme_files(sitegen: SitegenBuild) -> set[str]:
    found = set()
    for theme in sitegen.result.themes:
        static = theme.path / "static"
        found |= {"/" + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    return found


def _release_urls(sitegen: SitegenBuild) -> set[str]:
    """sitegen's release outputs, in every language."""
    return {
        url
        for url in built_files(sitegen.out_dir)
        if any(url.endswith(suffix) for suffix in DELIBERATE_DIFFERENCES)
    }


@pytest.mark.parametrize("name", SITES)
def test_urls_match_hugo(built, name: str) -> None:
    hugo, sitegen = built[name]
    ours = set(built_files(sitegen.out_dir)) - _theme_files(sitegen) - _release_urls(sitegen)
    root = base_path(sitegen.result.site.config.base_url)
    resources = {
        normalise_url(r.rel_permalink).removeprefix(root)
        for p in sitegen.pages
        for r in p.resources
    }
    missing = set(hugo.urls) - ours
    extra = ours - set(hugo.urls) - resources
    assert not missing and not extra, (
        f"{name}: Hugo publishes but sitegen does not: {sorted(missing)}\n"
        f"sitegen publishes but Hugo does not: {sorted(extra)}"
    )


def _site_url(sitegen: SitegenBuild, page) -> str:
    """A page's URL as a file of the build folder: without the base URL's path."""
    return normalise_url(page.rel_permalink).removeprefix(
        base_path(sitegen.result.site.config.base_url)
    )


def _pairs(hugo: Reference, sitegen: SitegenBuild):
    ours = {_site_url(sitegen, p): p for p in sitegen.pages}
    return [
        (ref, ours[url])
        for url, ref in sorted(hugo.pages.items())
        if ref.pager <= 1 and url in ours
    ]


def _without_release_lines(html: str) -> str:
    """sitegen's own line under a release (its date and compare link, README: Release posts),
    which Hugo has not: a post named `2.1.4-released` is a release."""
    return re.sub(r'<p class="release-meta">.*?</p>', "", html, flags=re.S)


@pytest.mark.parametrize("name", SITES)
def test_pages_match_hugo(built, name: str) -> None:
    """Each page's kind, language, title, heading ids and text are Hugo's."""
    hugo, sitegen = built[name]
    differences = []
    for ref, ours in _pairs(hugo, sitegen):
        if ref.kind == "404":
            continue
        title_ok = ours.title == ref.title or (
            ref.kind == "section" and ours.source is None
        )  # PLURAL_TITLE_REASON
        facts = [
            ("kind", ours.kind, ref.kind),
            ("lang", ours.lang, ref.lang),
            ("heading ids", [h.id for h in ours.headings], list(ref.heading_ids)),
            ("text", plain_text(_without_release_lines(str(ours.content))), ref.text),
        ]
        if not title_ok and (name, ref.url) not in DELIBERATE_TITLES:
            facts.append(("title", ours.title, ref.title))
        differences += [
            f"{ref.url} {what}: sitegen {a!r}, Hugo {b!r}" for what, a, b in facts if a != b
        ]
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", SITES)
def test_every_hugo_page_has_a_sitegen_page(built, name: str) -> None:
    hugo, sitegen = built[name]
    ours = {_site_url(sitegen, p) for p in sitegen.pages}
    lost = sorted(url for url, ref in hugo.pages.items() if ref.pager <= 1 and url not in ours)
    assert not lost, f"{name}: no sitegen page at {lost}"


@pytest.mark.parametrize(
    "name", ["date-formats", "front-matter-placement", "nested-sections", "time-zone"]
)
def test_dates_match_hugo(built, name: str) -> None:
    hugo, sitegen = built[name]
    differences = [
        f"{ref.url}: sitegen {ours.date}, Hugo {ref.date}"
        for ref, ours in _pairs(hugo, sitegen)
        if ref.kind == "page" and _ours(ours.date) != _iso(ref.date)
    ]
    assert not differences, "\n".join(differences)


def _ours(moment) -> str:
    return moment.replace(microsecond=0).isoformat() if moment else ""


def _iso(go_date: str) -> str:
    return "" if go_date.startswith("0001-01-01") else go_date


@pytest.mark.parametrize("name", SITES)
def test_feeds_list_what_hugo_lists(built, name: str) -> None:
    hugo, sitegen = built[name]
    ours = built_files(sitegen.out_dir)
    differences = []
    for url in sorted(u for u in hugo.urls if u.endswith("index.xml") and u in ours):
        theirs, mine = (
            set(feed_item_links(hugo.output_dir / url.lstrip("/"))),
            set(feed_item_links(ours[url])),
        )
        if theirs != mine:
            differences.append(
                f"{url}: missing {sorted(theirs - mine)}, extra {sorted(mine - theirs)}"
            )
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", SITES)
def test_sitemaps_list_what_hugo_lists(built, name: str) -> None:
    """HTML content pages, nested sections and terms are in the sitemaps; disabled kinds are not."""
    hugo, sitegen = built[name]
    ours = built_files(sitegen.out_dir)
    differences = []
    for url in sorted(u for u in hugo.urls if u.endswith("sitemap.xml")):
        assert url in ours, f"{name}: no {url}"
        theirs = {
            normalise_url(loc) for loc in sitemap_locations(hugo.output_dir / url.lstrip("/"))
        }
        mine = {normalise_url(loc) for loc in sitemap_locations(ours[url])} - _release_urls(sitegen)
        mine -= {normalise_url(loc) for loc in sitemap_locations(ours[url]) if "/releases/" in loc}
        if theirs != mine:
            differences.append(
                f"{url}: missing {sorted(theirs - mine)}, extra {sorted(mine - theirs)}"
            )
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", SITES)
def test_redirects_go_where_hugo_sends_them(built, name: str) -> None:
    """Aliases, /page/1/ and the language redirects point at the same page as Hugo's."""
    hugo, sitegen = built[name]
    ours = built_files(sitegen.out_dir)
    differences = []
    for url in sorted(hugo.redirects):
        if (name, url) in DELIBERATE_REDIRECTS:
            continue
        theirs = _refresh_target(
            hugo.output_dir
            / url.lstrip("/").removesuffix("/")
            / ("" if url.endswith(".html") else "index.html")
        )
        mine = _refresh_target(ours[url]) if url in ours else None
        if theirs != mine:
            differences.append(f"{url}: sitegen to {mine}, Hugo to {theirs}")
    assert not differences, "\n".join(differences)


def _refresh_target(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    match = re.search(r'http-equiv="refresh" content="0; ?url=([^"]+)"', text)
    assert match, f"{path} is no redirect"
    return normalise_url(html.unescape(match[1]))


def test_main_menu_matches_hugo(built) -> None:
    hugo, sitegen = built["menus"]
    theirs = hugo.pages["/"].menu
    ours = tuple(
        (entry.name, entry.url, len(entry.children))
        for entry in sitegen.result.site.languages[0].menus["main"]
    )
    assert ours == theirs


def test_region_languages_in_html_lang_hreflang_i18n_and_dates(built) -> None:
    """zh-CN in the config is zh-cn everywhere: html lang, hreflang, its i18n/zh-CN.toml (pt-br
    falls back to i18n/pt.toml), and Babel's Chinese dates."""
    _hugo, sitegen = built["region-languages"]
    text = (sitegen.out_dir / "zh-cn" / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-cn"' in text
    assert 'hreflang="pt-br"' in text and 'hreflang="en-us"' in text
    assert "订阅源" in text and "2024年1月1日" in text
    portuguese = (sitegen.out_dir / "pt-br" / "posts" / "a" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Feed em português" in portuguese and "de janeiro de 2024" in portuguese
    warnings = [w.message for w in sitegen.result.diagnostics.warnings]
    assert not [w for w in warnings if "zh-cn" in w or "pt-br" in w], warnings


# ---------------------------------------------------------------- no page lost

COLLISIONS = {
    "alias over a page": (
        {"content/a.md": page("A", "x\n"), "content/b.md": page("B", "x\n", aliases="[/a/]")},
        ["content/a.md", "an alias of content/b.md"],
    ),
    "pager over a page": (
        {
            "hugo.toml": BASE + "[pagination]\npagerSize = 1\n",
            **{f"content/posts/p{n}.md": page(f"P{n}", "x\n") for n in range(3)},
            "content/posts/page/2.md": page("Two", "x\n"),
        },
        ["content/posts/page/2.md", "a pager of"],
    ),
    "static file over a page": (
        {"content/about.md": page("About", "x\n"), "static/about/index.html": "<p>old</p>"},
        ["content/about.md", "static/about/index.html"],
    ),
    "static file over a feed": (
        {"content/posts/a.md": page("A", "x\n"), "static/posts/index.xml": "<rss/>"},
        ["the RSS feed of", "static/posts/index.xml"],
    ),
    "bundle resource over a static file": (
        {
            "content/x/index.md": page("X", "x\n"),
            "content/x/logo.png": "a",
            "static/x/logo.png": "b",
        },
        ["content/x/logo.png", "static/x/logo.png"],
    ),
    "content file over a static file": (
        {"content/a.md": page("A", "x\n"), "content/img/a.png": "one", "static/img/a.png": "two"},
        ["content/img/a.png", "static/img/a.png"],
    ),
    "page over a taxonomy term": (
        {"content/a.md": page("A", "x\n", tags="[go]"), "content/tags/go.md": page("Go", "x\n")},
        ["content/tags/go.md"],
    ),
    # Hugo keeps one of the two sections and drops the other without a word.
    "section permalink giving two sections one URL": (
        {
            "hugo.toml": BASE + '[permalinks.section]\nnotes = "/all-notes/"\n',
            "content/notes/_index.md": page("N"),
            "content/notes/inner/_index.md": page("I"),
            "content/notes/inner/x.md": page("X", "x\n"),
        },
        ["content/notes/_index.md", "content/notes/inner/_index.md"],
    ),
    # sitegen's own release index (README, Release posts) against a section of the site.
    "a releases section against sitegen's release index": (
        {
            "content/releases/_index.md": page("Releases"),
            "content/releases/v1.md": page("v1.0.0", "## v1.0.0\n\nfirst\n", date="2024-01-01"),
        },
        ["content/releases/_index.md", "sitegen's release", "enable = false"],
    ),
    "two aliases at one path": (
        {
            "content/a.md": page("A", "x\n", aliases="[/old/]"),
            "content/b.md": page("B", "x\n", aliases="[/old/]"),
        },
        ["an alias of content/a.md", "an alias of content/b.md"],
    ),
    "url over another page": (
        {"content/a.md": page("A", "x\n"), "content/b.md": page("B", "x\n", url="/a/")},
        ["content/a.md", "content/b.md"],
    ),
}


@pytest.mark.parametrize("case", COLLISIONS)
def test_two_outputs_at_one_path_are_an_error_naming_both(tmp_path: Path, case: str) -> None:
    files, named = COLLISIONS[case]
    site = write_site(tmp_path / "site", {"hugo.toml": BASE, **files})
    run = run_sitegen("build", "-s", site)
    assert run.returncode == 1, run.stdout + run.stderr
    for text in named:
        assert text in run.stderr, run.stderr
    assert not (site / "public").exists()


def test_names_differing_after_the_first_dot_are_two_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "blog").mkdir(parents=True)
    (site / "hugo.toml").write_text(BASE)
    for version in ("2.1.4", "2.1.5"):
        (site / "content" / "blog" / f"{version}-released.md").write_text(page(version, "x\n"))
    run = run_sitegen("build", "-s", site)
    assert run.returncode == 0, run.stderr
    assert (site / "public" / "blog" / "2.1.4-released" / "index.html").is_file()
    assert (site / "public" / "blog" / "2.1.5-released" / "index.html").is_file()


def test_html_content_without_security_permission_is_an_error_as_in_hugo(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(BASE)
    (site / "content" / "about.html").write_text(page("About", "<p>x</p>\n"))
    run = run_sitegen("build", "-s", site)
    assert run.returncode == 1
    assert "about.html:1" in run.stderr and "allowContent" in run.stderr


def test_a_bad_date_names_file_and_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(BASE)
    (site / "content" / "a.md").write_text("\n\n---\ntitle: A\ndate: someday\n---\n")
    run = run_sitegen("build", "-s", site)
    assert run.returncode == 1
    assert "a.md:5" in run.stderr and "date" in run.stderr


def test_unknown_disable_kinds_are_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(BASE + 'disableKinds = ["sitemap", "nonsense"]\n')
    (site / "content" / "a.md").write_text(page("A", "x\n"))
    run = run_sitegen("build", "-s", site)
    assert run.returncode == 0, run.stderr
    assert "nonsense" in run.stderr
    assert not (site / "public" / "sitemap.xml").exists()
    shutil.rmtree(site / "public")


def test_an_unknown_time_zone_is_an_error(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"hugo.toml": BASE + 'timeZone = "Mars/Olympus"\n', "content/a.md": page("A", "x\n")},
    )
    run = run_sitegen("build", "-s", site)
    assert run.returncode == 1
    assert (
        "hugo.toml" in run.stderr and "Mars/Olympus" in run.stderr and "Europe/Berlin" in run.stderr
    )


def test_a_term_of_punctuation_only_is_left_out(tmp_path: Path) -> None:
    """`tags: ["{}"]` has no URL of its own: Hugo publishes it at /tags/ over the taxonomy's
    list (one page lost); sitegen leaves the term out, keeps the list and says which file
    holds the term."""
    site = write_site(
        tmp_path / "site",
        {
            "hugo.toml": BASE,
            "content/posts/a.md": page("A", "x\n", date="2024-01-01", tags='[go, "{}"]'),
        },
    )
    result = run_sitegen("build", "--source", str(site), "--destination", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    listing = (tmp_path / "out" / "tags" / "index.html").read_text()
    assert "/tags/go/" in listing
    assert (tmp_path / "out" / "tags" / "go" / "index.html").is_file()
    assert "tags term '{}' has no letter or digit" in result.stderr
    assert str(Path("content", "posts", "a.md")) in result.stderr
