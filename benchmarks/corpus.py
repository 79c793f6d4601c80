"""Deterministic benchmark corpus: N release-note posts for sitegen, Hugo and Pelican.

The same seeded posts are written twice: once as a Hugo site (page bundles under
`content/posts/YYYY/slug/index.md`, a `config.toml`, and a small Go-template theme in
`themes/bench/` that Hugo uses only when called with `--theme bench`, so sitegen keeps its
own default theme), and once as a Pelican project (`content/*.md` + `pelicanconf.py`).

Usage: python benchmarks/corpus.py --posts 1000 OUT_DIR   (writes OUT_DIR/hugo, OUT_DIR/pelican)
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

DEFAULT_SEED = 20240208
HUGO_THEME = "bench"
MIN_WORDS, MAX_WORDS = 600, 1300
REPO_URL = "https://github.com/mailcow/mailcow-dockerized"
# Features per KB of Markdown the posts are written to, as densities.py counts them: those
# of ../shared/corpus/mailcow-blog (run.py measures it again and prints both); `--dense`
# multiplies them by DENSE_FACTOR.
TARGET_DENSITIES = {
    "links": 0.8,
    "bare_urls": 0.5,
    "github_refs": 0.9,
    "list_items": 2.5,
    "headings": 1.1,
}
DENSE_FACTOR = 3
CONTRIBUTORS = [
    "DerLinkman",
    "FreddleSpl0it",
    "andryyy",
    "mkuron",
    "patschi",
    "milkmaker",
    "Braintelligence",
    "MAGICCC",
    "ntimo",
    "lars-net",
    "esackbauer",
    "thomasleplus",
]
FIRST_DATE = datetime(2016, 1, 4, 9, 0, tzinfo=timezone(timedelta(hours=1)))

TAGS = [
    "update",
    "changelog",
    "security",
    "sogo",
    "dovecot",
    "postfix",
    "rspamd",
    "docker",
    "nextcloud",
    "clamav",
    "acme",
    "tls",
    "ipv6",
    "dkim",
    "spam",
    "webmail",
    "api",
    "backup",
    "arm64",
    "mysql",
    "redis",
    "nginx",
    "php",
    "quarantine",
    "oauth2",
    "sicherheit",
    "änderungen",
    "25.x",
    "bugfix",
    "performance",
]
CATEGORIES = ["Updates", "Security", "Announcements", "Releases", "Community", "What's up?"]
COMPONENTS = [
    "Dovecot",
    "Postfix",
    "SOGo",
    "Rspamd",
    "ClamAV",
    "Nginx",
    "PHP-FPM",
    "MariaDB",
    "Redis",
    "Unbound",
    "Watchdog",
    "ACME",
    "Netfilter",
    "Olefy",
    "Solr",
]
WORDS_DE = (
    "das Update behebt einen Fehler im Container beim Start der Datenbank und verbessert die "
    "Leistung der Weboberfläche deutlich außerdem wurde die Konfiguration für neue "
    "Installationen vereinfacht bitte prüft eure Einstellungen nach dem Update sorgfältig "
    "wir danken allen Mitwirkenden für ihre Hilfe bei der Fehlersuche und beim Testen der "
    "neuen Funktionen die Änderungen betreffen vor allem Postfächer Domains und Aliase "
    "sowie die Synchronisation von Kalendern und Kontakten über mehrere Geräte hinweg"
).split()
WORDS_EN = (
    "this release fixes a bug in the container startup and improves the performance of the "
    "web interface considerably the configuration for new installations was simplified "
    "please review your settings after updating we thank all contributors for their help "
    "with debugging and testing the new features the changes mostly affect mailboxes "
    "domains and aliases as well as syncing calendars and contacts across several devices"
).split()
CODE_SNIPPETS = [
    (
        "bash",
        [
            "cd /opt/mailcow-dockerized",
            "./update.sh --check",
            "./update.sh",
            "docker compose pull",
            "docker compose up -d --remove-orphans",
        ],
    ),
    (
        "yaml",
        [
            "services:",
            "  dovecot-mailcow:",
            "    image: mailcow/dovecot:{v}",
            "    restart: always",
            "    environment:",
            "      - SKIP_SOLR=y",
        ],
    ),
    (
        "ini",
        [
            "[global]",
            "SKIP_CLAMD=n",
            "WATCHDOG_NOTIFY_EMAIL=admin@example.org",
            "ACME_CONTACT=admin@example.org",
            "ENABLE_IPV6=true",
        ],
    ),
]


@dataclass(frozen=True)
class Post:
    """One generated post, independent of the target format."""

    index: int
    title: str
    slug: str
    date: datetime
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    body: str  # Markdown with `<!--more-->` after the intro


def make_posts(count: int, seed: int = DEFAULT_SEED, dense: bool = False) -> list[Post]:
    """The same `count` posts for the same seed, on every machine and Python version;
    `dense` posts carry DENSE_FACTOR times the links, references, list items and headings."""
    rng = random.Random(seed)
    targets = {
        name: value * (DENSE_FACTOR if dense else 1) for name, value in TARGET_DENSITIES.items()
    }
    return [_make_post(rng, index, targets) for index in range(count)]


def _make_post(rng: random.Random, index: int, targets: dict[str, float]) -> Post:
    date = FIRST_DATE + timedelta(hours=9 * index, minutes=rng.randrange(60))
    release = f"{date.year}-{date.month:02d}{'abcdefgh'[index % 8]}"
    german = rng.random() < 0.5
    topic = rng.choice(COMPONENTS)
    title = (
        f"{release} Update: {topic} und weitere Fehlerbehebungen"
        if german
        else f"{release} update: {topic} and more fixes"
    )
    return Post(
        index=index,
        title=title,
        slug=f"release-{release}-{index:05d}",
        date=date,
        tags=tuple(rng.sample(TAGS, rng.randint(1, 3))),
        categories=tuple(rng.sample(CATEGORIES, rng.randint(1, 3))),
        body=_make_body(rng, date, german, rng.randint(MIN_WORDS, MAX_WORDS - 60), targets),
    )


def _sentence(rng: random.Random, words: list[str], shortest: int = 8, longest: int = 18) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(shortest, longest))]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "!"])


def _paragraph(rng: random.Random, words: list[str], most: int = 5) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(2, most)))


class _Body:
    """Markdown blocks written so that each feature keeps up with its density per KB:
    before each block, the structural feature furthest behind its target (a release
    heading or a list item) is written, else a paragraph; inline features (links, bare
    URLs, GitHub references) are added to a block while they are behind."""

    def __init__(self, rng: random.Random, german: bool, targets: dict[str, float]):
        self.rng, self.german, self.targets = rng, german, targets
        self.words = WORDS_DE if german else WORDS_EN
        self.blocks: list[str] = []
        self.counts = dict.fromkeys(targets, 0)
        self.size = 0
        self.in_list = False

    def behind(self, name: str) -> float:
        return self.targets[name] * self.size / 1024 - self.counts[name]

    def add(self, block: str, in_list: bool = False, **counts: int) -> None:
        if in_list and self.in_list:
            self.blocks[-1] += "\n" + block
            self.size += len(block.encode("utf-8")) + 1
        else:
            self.blocks.append(block)
            self.size += len(block.encode("utf-8")) + 2
        self.in_list = in_list
        for name, count in counts.items():
            self.counts[name] += count

    def inline(self, text: str) -> str:
        """`text` with the links, bare URLs and references that are behind their targets."""
        rng, extra = self.rng, []
        if self.behind("links") > 0:
            number = rng.randint(1000, 6500)
            extra.append(f"([{rng.choice(COMPONENTS)} changes]({REPO_URL}/pull/{number}))")
            self.counts["links"] += 1
        if self.behind("bare_urls") > 0:
            extra.append(
                f"Details: {REPO_URL}/releases/tag/{rng.randint(2016, 2025)}-{rng.randint(1, 12):02d}"
            )
            self.counts["bare_urls"] += 1
        while self.behind("github_refs") > 0.5:
            ref = (
                f"#{rng.randint(1000, 6500)}"
                if rng.random() < 0.6
                else f"@{rng.choice(CONTRIBUTORS)}"
            )
            extra.append(f"(thanks {ref})" if ref[0] == "@" else f"({ref})")
            self.counts["github_refs"] += 1
        return " ".join([text, *extra])

    def text_words(self) -> int:
        return sum(len(block.split()) for block in self.blocks)


def _make_body(
    rng: random.Random, date: datetime, german: bool, target_words: int, targets: dict[str, float]
) -> str:
    body = _Body(rng, german, targets)
    body.add(_paragraph(rng, body.words))
    body.add("<!--more-->")
    _release_heading(body, date, 0)
    body.add(_code_fence(rng))  # an upgrade snippet and a version table
    body.add(_table(rng))
    section_date, letter = date, 1
    while body.text_words() < target_words:
        heading, item = body.behind("headings"), body.behind("list_items")
        if heading > 0 and heading >= item:
            section_date -= timedelta(days=rng.randint(3, 20))
            _release_heading(body, section_date, letter)
            letter += 1
        elif item > 0:
            # Far behind (the dense corpus), items get shorter so the text keeps up.
            sentence = _sentence(rng, body.words, *((2, 5) if item > 1 else (4, 12)))
            body.add(
                body.inline(f"- {rng.choice(COMPONENTS)}: {sentence}"), in_list=True, list_items=1
            )
        else:
            body.add(body.inline(_paragraph(rng, body.words, most=3)))
    return "\n\n".join(body.blocks) + "\n"


def _release_heading(body: _Body, when: datetime, letter: int) -> None:
    """A release heading (`## 2024-01e (Release vom 08.02.2024)`), a paragraph unless
    headings are still behind, and a `### Fixes` heading when they are."""
    name = f"{when.year}-{when.month:02d}{'abcdefghijklmnopqrstuvwxyz'[letter % 26]}"
    label = "Release vom" if body.german else "Release of"
    body.add(f"## {name} ({label} {when.day:02d}.{when.month:02d}.{when.year})", headings=1)
    if body.behind("headings") <= 1:
        body.add(body.inline(_paragraph(body.rng, body.words, most=3)))
    if body.behind("headings") > 0:
        body.add("### Fehlerbehebungen" if body.german else "### Fixes", headings=1)


def _code_fence(rng: random.Random) -> str:
    language, lines = rng.choice(CODE_SNIPPETS)
    version = f"{rng.randint(1, 3)}.{rng.randint(0, 30)}"
    code = "\n".join(line.replace("{v}", version) for line in lines)
    return f"```{language}\n{code}\n```"


def _table(rng: random.Random) -> str:
    rows = ["| Component | Old | New |", "| --- | --- | --- |"]
    for component in rng.sample(COMPONENTS, rng.randint(3, 6)):
        major, minor = rng.randint(1, 3), rng.randint(0, 30)
        rows.append(
            f"| {component} | {major}.{minor}.{rng.randint(0, 9)} | {major}.{minor + 1}.0 |"
        )
    return "\n".join(rows)


def _toml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def hugo_post_path(post: Post) -> Path:
    """Where a post lives inside the Hugo site (relative to the site root)."""
    return Path("content", "posts", str(post.date.year), post.slug, "index.md")


def hugo_post_url(post: Post) -> str:
    """The URL path Hugo (and sitegen) publish the post at."""
    return f"/posts/{post.date.year}/{post.slug}/"


def write_hugo_site(posts: list[Post], site: Path) -> Path:
    """Write config.toml, the posts as page bundles and the Go-template theme."""
    (site / "config.toml").parent.mkdir(parents=True, exist_ok=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for post in posts:
        path = site / hugo_post_path(post)
        path.parent.mkdir(parents=True, exist_ok=True)
        front = (
            f'---\ntitle: "{post.title}"\ndate: {post.date.isoformat()}\ndraft: false\n'
            f"author: Bench Author\ntoc: true\ntags: {_toml_list(post.tags)}\n"
            f"categories: {_toml_list(post.categories)}\n---\n\n"
        )
        path.write_text(front + post.body, encoding="utf-8")
    layouts = site / "themes" / HUGO_THEME / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    return site


def write_pelican_site(posts: list[Post], project: Path) -> Path:
    """Write the same posts as Pelican articles (one category each: Pelican allows one)."""
    content = project / "content"
    content.mkdir(parents=True, exist_ok=True)
    (project / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for post in posts:
        meta = (
            f"Title: {post.title}\nDate: {post.date.strftime('%Y-%m-%d %H:%M')}\n"
            f"Slug: {post.slug}\nAuthor: Bench Author\nCategory: {post.categories[0]}\n"
            f"Tags: {', '.join(post.tags)}\n\n"
        )
        (content / f"{post.slug}.md").write_text(meta + post.body, encoding="utf-8")
    return project


def write_corpus(
    out: Path, count: int, seed: int = DEFAULT_SEED, dense: bool = False
) -> tuple[Path, Path]:
    """Write `out/hugo` and `out/pelican` for `count` posts; return both folders."""
    posts = make_posts(count, seed, dense)
    return write_hugo_site(posts, out / "hugo"), write_pelican_site(posts, out / "pelican")


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
defaultContentLanguage = "en"
title = "Release notes benchmark"
summaryLength = 70

[taxonomies]
  tag = "tags"
  category = "categories"

[pagination]
  pagerSize = 10

[markup.goldmark.renderer]
  unsafe = true

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

PELICAN_CONFIG = """\
AUTHOR = "Bench Author"
SITENAME = "Release notes benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
DEFAULT_PAGINATION = 10
ARTICLE_URL = "posts/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "posts/{date:%Y}/{slug}/index.html"
# Feeds like Hugo's: RSS for the whole site, each category and each tag (no Atom).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_DOMAIN = "https://bench.example.org"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
TAG_FEED_RSS = "feeds/tag-{slug}.rss.xml"
"""

_PAGED_SUMMARIES = """\
  {{- $pager := .Paginate PAGES }}
  {{- range $pager.Pages }}
  <article>
    <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
    <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "02.01.2006" }}</time>
    <div class="summary">{{ .Summary }}</div>
    {{- if .Truncated }}<a href="{{ .RelPermalink }}">Read more</a>{{ end }}
  </article>
  {{- end }}
  <nav class="pager">
    {{- with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
    {{- with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}
  </nav>
"""


def _list_layout(pages: str) -> str:
    body = _PAGED_SUMMARIES.replace("PAGES", pages)
    return '{{ define "main" }}\n  <h1>{{ .Title }}</h1>\n' + body + "{{ end }}\n"


HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
  <meta charset="utf-8">
  <title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
  {{- range .AlternativeOutputFormats }}
  <link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">
  {{- end }}
</head>
<body>
  <header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
    <nav>{{ range site.Taxonomies.categories.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
  </header>
  <main>{{ block "main" . }}{{ end }}</main>
  <footer>{{ site.Title }}</footer>
</body>
</html>
""",
    "single.html": """\
{{ define "main" }}
  <article>
    <h1>{{ .Title }}</h1>
    <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "02.01.2006" }}</time>
    <p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>
    <p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
    {{ if .Params.toc }}<aside>{{ .TableOfContents }}</aside>{{ end }}
    {{ .Content }}
  </article>
  <nav>
    {{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
    {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
  </nav>
{{ end }}
""",
    "home.html": _list_layout('(where site.RegularPages "Section" "posts")'),
    "list.html": _list_layout(".Pages"),
    "term.html": _list_layout(".Pages"),
    "taxonomy.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>
  <ul>
  {{- range .Data.Terms.Alphabetical }}
    <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
  {{- end }}
  </ul>
{{ end }}
""",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write hugo/ and pelican/ into")
    parser.add_argument("--posts", type=int, default=100, help="number of posts (default 100)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--dense", action="store_true", help=f"{DENSE_FACTOR} times the real blog's densities"
    )
    args = parser.parse_args(argv)
    hugo, pelican = write_corpus(args.out, args.posts, args.seed, args.dense)
    print(f"wrote {args.posts} posts to {hugo} and {pelican}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
