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
FIRST_DATE = datetime(2016, 1, 4, 9, 0, tzinfo=timezone(timedelta(hours=1)))

TAGS = [
    "update", "changelog", "security", "sogo", "dovecot", "postfix", "rspamd", "docker",
    "nextcloud", "clamav", "acme", "tls", "ipv6", "dkim", "spam", "webmail", "api",
    "backup", "arm64", "mysql", "redis", "nginx", "php", "quarantine", "oauth2",
    "sicherheit", "änderungen", "25.x", "bugfix", "performance",
]
CATEGORIES = ["Updates", "Security", "Announcements", "Releases", "Community", "What's up?"]
COMPONENTS = ["Dovecot", "Postfix", "SOGo", "Rspamd", "ClamAV", "Nginx", "PHP-FPM", "MariaDB",
              "Redis", "Unbound", "Watchdog", "ACME", "Netfilter", "Olefy", "Solr"]
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
    ("bash", ["cd /opt/mailcow-dockerized", "./update.sh --check", "./update.sh",
              "docker compose pull", "docker compose up -d --remove-orphans"]),
    ("yaml", ["services:", "  dovecot-mailcow:", "    image: mailcow/dovecot:{v}",
              "    restart: always", "    environment:", "      - SKIP_SOLR=y"]),
    ("ini", ["[global]", "SKIP_CLAMD=n", "WATCHDOG_NOTIFY_EMAIL=admin@example.org",
             "ACME_CONTACT=admin@example.org", "ENABLE_IPV6=true"]),
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


def make_posts(count: int, seed: int = DEFAULT_SEED) -> list[Post]:
    """The same `count` posts for the same seed, on every machine and Python version."""
    rng = random.Random(seed)
    return [_make_post(rng, index) for index in range(count)]


def _make_post(rng: random.Random, index: int) -> Post:
    date = FIRST_DATE + timedelta(hours=9 * index, minutes=rng.randrange(60))
    release = f"{date.year}-{date.month:02d}{'abcdefgh'[index % 8]}"
    german = rng.random() < 0.5
    topic = rng.choice(COMPONENTS)
    title = (f"{release} Update: {topic} und weitere Fehlerbehebungen" if german
             else f"{release} update: {topic} and more fixes")
    return Post(
        index=index,
        title=title,
        slug=f"release-{release}-{index:05d}",
        date=date,
        tags=tuple(rng.sample(TAGS, rng.randint(1, 3))),
        categories=tuple(rng.sample(CATEGORIES, rng.randint(1, 3))),
        body=_make_body(rng, date, german, target_words=rng.randint(MIN_WORDS, MAX_WORDS)),
    )


def _sentence(rng: random.Random, words: list[str]) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(8, 18))]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "!"])


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 5)))


def _make_body(rng: random.Random, date: datetime, german: bool, target_words: int) -> str:
    words = WORDS_DE if german else WORDS_EN
    blocks = [_paragraph(rng, words), "<!--more-->"]
    blocks += _release_section(rng, words, date, 0, german)
    blocks += [_code_fence(rng), _table(rng)]  # an upgrade snippet and a version table
    section_date, letter = date, 1
    while _count_words(blocks) < target_words:
        section_date -= timedelta(days=rng.randint(3, 20))
        section = _release_section(rng, words, section_date, letter, german)
        if _count_words(blocks + section) > MAX_WORDS:
            break
        blocks += section
        letter += 1
    return "\n\n".join(blocks) + "\n"


def _release_section(rng: random.Random, words: list[str], when: datetime, letter: int,
                     german: bool) -> list[str]:
    name = f"{when.year}-{when.month:02d}{'abcdefghijklmnopqrstuvwxyz'[letter % 26]}"
    label = "Release vom" if german else "Release of"
    heading = f"## {name} ({label} {when.day:02d}.{when.month:02d}.{when.year})"
    fixes = "### Fehlerbehebungen" if german else "### Fixes"
    items = "\n".join(f"- {rng.choice(COMPONENTS)}: {_sentence(rng, words)}"
                      for _ in range(rng.randint(2, 5)))
    return [heading, _paragraph(rng, words), fixes, items, _paragraph(rng, words)]


def _code_fence(rng: random.Random) -> str:
    language, lines = rng.choice(CODE_SNIPPETS)
    version = f"{rng.randint(1, 3)}.{rng.randint(0, 30)}"
    code = "\n".join(line.replace("{v}", version) for line in lines)
    return f"```{language}\n{code}\n```"


def _table(rng: random.Random) -> str:
    rows = ["| Component | Old | New |", "| --- | --- | --- |"]
    for component in rng.sample(COMPONENTS, rng.randint(3, 6)):
        major, minor = rng.randint(1, 3), rng.randint(0, 30)
        rows.append(f"| {component} | {major}.{minor}.{rng.randint(0, 9)} | {major}.{minor + 1}.0 |")
    return "\n".join(rows)


def _count_words(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


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
        front = (f'---\ntitle: "{post.title}"\ndate: {post.date.isoformat()}\ndraft: false\n'
                 f"author: Bench Author\ntoc: true\ntags: {_toml_list(post.tags)}\n"
                 f"categories: {_toml_list(post.categories)}\n---\n\n")
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
        meta = (f"Title: {post.title}\nDate: {post.date.strftime('%Y-%m-%d %H:%M')}\n"
                f"Slug: {post.slug}\nAuthor: Bench Author\nCategory: {post.categories[0]}\n"
                f"Tags: {', '.join(post.tags)}\n\n")
        (content / f"{post.slug}.md").write_text(meta + post.body, encoding="utf-8")
    return project


def write_corpus(out: Path, count: int, seed: int = DEFAULT_SEED) -> tuple[Path, Path]:
    """Write `out/hugo` and `out/pelican` for `count` posts; return both folders."""
    posts = make_posts(count, seed)
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
    "home.html": _list_layout("(where site.RegularPages \"Section\" \"posts\")"),
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
    args = parser.parse_args(argv)
    hugo, pelican = write_corpus(args.out, args.posts, args.seed)
    print(f"wrote {args.posts} posts to {hugo} and {pelican}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
