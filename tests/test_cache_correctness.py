"""The build cache is never wrong: after any edit, a cached build writes the same bytes as a
build with --ignoreCache into a fresh folder. Each case is one a user meets (serve then
build, a new baseURL, New Year, inputs outside the site, edits that keep size and mtime,
pages that show other pages, a damaged or planted cache, killed builds), built through the
real command line and compared file by file."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import CORPUS, run_sitegen, tree_bytes, write_post

NEW_YEARS_EVE = str(int(datetime(2025, 12, 31, 12, tzinfo=timezone.utc).timestamp()))
NEW_YEAR = str(int(datetime(2026, 1, 1, 12, tzinfo=timezone.utc).timestamp()))


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch) -> Path:
    """The user's cache folder (the cache's secret, the built-in theme's compiled templates)
    in the test's folder; the build date is the clock's unless a test sets it."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("SITEGEN_CACHE_DIR", raising=False)
    return folder


class Differential:
    """A site built twice after every edit: with its cache into one folder, as a user
    rebuilds, and with --ignoreCache into a fresh folder, as from nothing."""

    def __init__(self, site: Path, work: Path, cache: Path | None = None):
        self.site, self.work, self.cold_builds = site, work, 0
        self.cache = cache

    def build(self, *args: str, env: dict[str, str] | None = None) -> dict[str, bytes]:
        cache = ["--cacheDir", str(self.cache)] if self.cache else []
        cached = _sitegen("build", "-s", self.site, "-d", self.work / "cached", *cache, *args, env=env)
        assert cached.returncode == 0, cached.stderr
        self.cold_builds += 1
        cold_dir = self.work / f"cold-{self.cold_builds}"
        cold = _sitegen("build", "-s", self.site, "-d", cold_dir, "--ignoreCache", *args, env=env)
        assert cold.returncode == 0, cold.stderr
        cached_tree, cold_tree = tree_bytes(self.work / "cached"), tree_bytes(cold_dir)
        assert cached_tree.keys() == cold_tree.keys()
        assert [rel for rel in cold_tree if cached_tree[rel] != cold_tree[rel]] == []
        shutil.rmtree(cold_dir)
        return cached_tree


def _sitegen(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    if not env:
        return run_sitegen(*args)
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **env})


CONFIG = """baseURL = "{base}"
title = "Cache test"
languageCode = "en"
{extra}
[params.footer]
  since = 2016
"""

LOGO_LAYOUT = """{% extends "_default/baseof.html" %}
{% block main %}<p class="logo">{{ "/logo.png"|absurl }} {{ "/logo.png"|relurl }}</p>{{ page.content }}{% endblock %}
"""


def small_site(root: Path, base: str = "https://example.org/", extra: str = "", posts: int = 3) -> Path:
    site = root / "site"
    (site / "static").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG.format(base=base, extra=extra), encoding="utf-8")
    (site / "static/logo.png").write_bytes(b"\x89PNG logo one")
    for n in range(posts):
        write_post(site, f"posts/post-{n}/index.md",
                   f"---\ntitle: Post {n}\ndate: 2024-{n % 12 + 1:02d}-{n // 12 + 1:02d}T10:00:00Z\nauthor: Author {n}\n---\n"
                   f"Summary of post {n}.\n\n<!--more-->\n\nText of post {n}.\n")
    (site / "content/posts/post-0/photo.jpg").write_bytes(b"JPEG one")
    return site


def _set_config(site: Path, old: str, new: str) -> None:
    path = site / "config.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rewrite_keeping_stamp(path: Path, data: bytes) -> None:
    """New bytes of the same size with the old mtime, as `cp -p`, `rsync -a` or `tar x` leave them."""
    before = path.stat()
    assert len(data) == before.st_size
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


# --- base URL ---------------------------------------------------------------------------------

def test_serve_then_build_publishes_no_preview_urls(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    serve = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 120
        for line in serve.stdout:
            if "Web server available" in line or time.monotonic() > deadline:
                break
        assert "Web server available" in line
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
    tree = Differential(site, tmp_path).build()
    page = tree["posts/post-1/index.html"].decode()
    assert "https://example.org/logo.png /logo.png" in page
    assert not [rel for rel, data in tree.items() if b"127.0.0.1" in data]


def test_a_new_base_url_in_the_config_or_from_b_reaches_every_page(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    check = Differential(site, tmp_path)
    check.build()
    _set_config(site, 'baseURL = "https://example.org/"', 'baseURL = "https://example.org/blog/"')
    tree = check.build()
    assert b"https://example.org/blog/logo.png /blog/logo.png" in tree["posts/post-1/index.html"]
    assert b'href="/blog/favicon.ico"' in tree["index.html"]
    tree = check.build("-b", "https://other.example/sub/")
    assert b"https://other.example/sub/logo.png /sub/logo.png" in tree["posts/post-1/index.html"]
    assert b'href="/sub/favicon.ico"' in tree["index.html"]


# --- the build date ---------------------------------------------------------------------------

def test_new_year_reaches_every_footer(tmp_path):
    site = small_site(tmp_path)
    check = Differential(site, tmp_path)
    assert "©&nbsp;2016–2025" in check.build(env={"SOURCE_DATE_EPOCH": NEW_YEARS_EVE})["index.html"].decode()
    tree = check.build(env={"SOURCE_DATE_EPOCH": NEW_YEAR})
    assert [rel for rel, data in tree.items() if rel.endswith(".html") and b"2016\xe2\x80\x932025" in data] == []
    assert "©&nbsp;2016–2026" in tree["posts/post-2/index.html"].decode()


def test_a_template_showing_more_of_the_build_date_than_its_year(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(
        '{% extends "_default/baseof.html" %}{% block main %}<p class="built">{{ site.build_date.month }}'
        ' {{ now()|date_format("short") }}</p>{% endblock %}', encoding="utf-8")
    check = Differential(site, tmp_path)
    check.build(env={"SOURCE_DATE_EPOCH": NEW_YEAR})
    later = str(int(NEW_YEAR) + 40 * 86400)
    assert b'<p class="built">2 2/10/26</p>' in check.build(env={"SOURCE_DATE_EPOCH": later})["posts/post-0/index.html"]


def test_a_bad_source_date_epoch_is_a_clear_error(tmp_path):
    result = _sitegen("build", "-s", small_site(tmp_path), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH" in result.stderr


# --- inputs ----------------------------------------------------------------------------------

def test_content_and_static_folders_outside_the_site_are_watched_like_the_site(tmp_path):
    site = small_site(tmp_path, extra='contentDir = "../outside/content"\nstaticDir = "../outside/static"')
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(str(site / "content"), outside / "content")
    shutil.move(str(site / "static"), outside / "static")
    check = Differential(site, tmp_path / "builds")
    check.build()
    post = outside / "content/posts/post-1/index.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Text of post 1.", "Edited outside."), encoding="utf-8")
    (outside / "static/extra.txt").write_text("an outside static file\n", encoding="utf-8")
    tree = check.build()
    assert b"Edited outside." in tree["posts/post-1/index.html"]
    assert tree["extra.txt"] == b"an outside static file\n"


@pytest.mark.parametrize("rel", ["static/logo.png", "content/posts/post-0/photo.jpg", "content/posts/post-2/index.md"],
                         ids=["static file", "bundle image", "post"])
def test_an_edit_that_keeps_size_and_mtime_is_published(tmp_path, rel):
    site = small_site(tmp_path)
    check = Differential(site, tmp_path)
    check.build()
    path = site / rel
    data = path.read_bytes()
    new = data.replace(b"one", b"two") if b"one" in data else data.replace(b"Text of post 2.", b"Text of post X.")
    assert new != data
    _rewrite_keeping_stamp(path, new)
    tree = check.build()
    published = {"static/logo.png": "logo.png", "content/posts/post-0/photo.jpg": "posts/post-0/photo.jpg"}
    if rel in published:
        assert tree[published[rel]] == new
    else:
        assert b"Text of post X." in tree["posts/post-2/index.html"]


def test_a_second_edit_in_the_same_tick_is_seen_by_a_builder_that_keeps_its_stamps(tmp_path):
    """`sitegen serve` and other long-lived builders remember files by their stamps."""
    from sitegen.build import BuildOptions, Builder, build_site

    site = small_site(tmp_path)
    builder = Builder(BuildOptions(source=site, destination=tmp_path / "out", cache_dir=tmp_path / "cache"))
    builder.build()
    post = site / "content/posts/post-1/index.md"
    _rewrite_keeping_stamp(post, post.read_bytes().replace(b"Text of post 1.", b"Text of post Y."))
    result, changed = builder.rebuild([])
    cold = build_site(BuildOptions(source=site, destination=tmp_path / "cold", ignore_cache=True))
    assert "posts/post-1/index.html" in changed
    assert b"Text of post Y." in result.outputs["posts/post-1/index.html"]
    assert dict(result.outputs) == dict(cold.outputs)


# --- pages that show other pages -------------------------------------------------------------

CROSS_PAGE_LAYOUT = """{% extends "_default/baseof.html" %}
{% block main %}{{ page.content }}
<aside>newest: {{ site.regular_pages[0].summary }}
bundle of the first post: {% for r in site.regular_pages[-1].resources %}{{ r.name }} {% endfor %}</aside>
{% endblock %}
"""


def test_pages_that_show_other_pages_follow_those_pages(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(CROSS_PAGE_LAYOUT, encoding="utf-8")
    (site / "layouts/shortcodes").mkdir(parents=True)
    (site / "layouts/shortcodes/first-author.html").write_text(
        "<em>{{ site.regular_pages[-1].params.author }}</em>", encoding="utf-8")
    write_post(site, "posts/post-1/index.md", "---\ntitle: Post 1\ndate: 2024-02-01T10:00:00Z\n---\n"
                                              "Summary of post 1.\n\nBy {{< first-author >}}.\n")
    check = Differential(site, tmp_path)
    check.build()

    newest = site / "content/posts/post-2/index.md"
    newest.write_text(newest.read_text(encoding="utf-8").replace("Summary of post 2.", "A new summary."),
                      encoding="utf-8")
    first = site / "content/posts/post-0/index.md"
    first.write_text(first.read_text(encoding="utf-8").replace("author: Author 0", "author: Someone Else"),
                     encoding="utf-8")
    (site / "content/posts/post-0/diagram.svg").write_text("<svg/>", encoding="utf-8")
    tree = check.build()
    page = tree["posts/post-1/index.html"].decode()
    assert "A new summary." in page
    assert "<em>Someone Else</em>" in page
    assert "diagram.svg photo.jpg" in page


# --- a damaged or planted cache ---------------------------------------------------------------

def _entries(cache: Path) -> Path:
    return next(cache.glob("entries-v*.sqlite3"))


def _update_entries(cache: Path, change) -> int:
    with closing(sqlite3.connect(_entries(cache))) as db, db:
        rows = db.execute("SELECT kind, key, value FROM entries").fetchall()
        for kind, key, value in rows:
            db.execute("UPDATE entries SET value = ? WHERE kind = ? AND key = ?", (change(kind, key, value), kind, key))
    return len(rows)


class Planted:
    """A pickle that, when loaded, leaves a file behind."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _flip_bytes(kind, key, value):
    middle = len(value) // 2
    return value[:middle] + bytes([value[middle] ^ 0x55]) + value[middle + 1:]


def _sealed_wrong_type(kind, key, value):
    from sitegen.signing import seal

    return seal(kind, key, pickle.dumps(("not", "what", "was", "stored", 42)))


def _zlib_garbage(kind, key, value):
    import zlib

    data = bytearray(zlib.compress(value))
    data[len(data) // 2] ^= 0xFF
    return bytes(data)


CORRUPTIONS = {
    "wrong type": lambda kind, key, value: pickle.dumps(42),
    "sealed wrong type": _sealed_wrong_type,
    "flipped byte": _flip_bytes,
    "flipped zlib payload": _zlib_garbage,
    "truncated": lambda kind, key, value: value[: len(value) // 3],
    "empty": lambda kind, key, value: b"",
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_damaged_cache_entries_are_misses(tmp_path, corrupt):
    site = small_site(tmp_path)
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    first = check.build()
    assert _update_entries(cache, corrupt) > 10
    (cache / "last-build.pickle").unlink()
    assert check.build() == first
    with closing(sqlite3.connect(_entries(cache))) as db:  # the damaged entries were dropped, then made again
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 10


def _bytecode_files(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*.bytecode")]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty"])
def test_damaged_compiled_templates_are_compiled_again(tmp_path, user_cache, damage):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    first = check.build()
    files = _bytecode_files(cache, user_cache)
    assert any(cache in path.parents for path in files) and any(user_cache in path.parents for path in files)
    for path in files:
        data = path.read_bytes()
        path.write_bytes({"truncated": data[: len(data) - 40], "flipped": _flip_bytes("", "", data), "empty": b""}[damage])
    (cache / "last-build.pickle").unlink()  # not "nothing changed": the templates are loaded
    assert check.build() == first


def test_a_planted_pickle_or_bytecode_in_the_site_cache_never_runs(tmp_path, user_cache):
    import marshal

    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    cache = site / ".sitegen-cache"  # the default place, inside the checkout
    check = Differential(site, tmp_path, cache)
    first = check.build()
    marker = tmp_path / "pwned"
    planted = pickle.dumps(Planted(marker))
    _update_entries(cache, lambda kind, key, value: planted)
    (cache / "last-build.pickle").write_bytes(planted)
    from jinja2.bccache import bc_magic

    code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    planted_code = list(_bytecode_files(cache))
    assert planted_code
    for path in planted_code:  # a valid Jinja bucket for the template's source, with the attacker's code
        checksum = pickle.loads(path.read_bytes()[32 + len(bc_magic):])
        path.write_bytes(os.urandom(32) + bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))
    assert check.build() == first
    assert not marker.exists()


def test_a_damaged_database_file_is_started_afresh(tmp_path):
    site = small_site(tmp_path)
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    first = check.build()
    database = _entries(cache)
    data = bytearray(database.read_bytes())
    for offset in range(200, len(data), 997):
        data[offset] ^= 0xA5
    database.write_bytes(bytes(data))
    (cache / "last-build.pickle").unlink()
    assert check.build() == first


# --- the output folder and the cache folder ---------------------------------------------------

def test_leftovers_of_killed_builds_beside_the_output_are_removed(tmp_path):
    site = small_site(tmp_path, posts=40)
    out = tmp_path / "public"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    mine = [tmp_path / f".public.sitegen-new-{dead_pid}-abc123", tmp_path / f".public.sitegen-old-{dead_pid}"]
    running = tmp_path / f".public.sitegen-new-{os.getpid()}-running"  # a build still at work
    foreign = [tmp_path / ".public.backup", tmp_path / ".other.sitegen-new-1-x", running]
    for folder in mine + foreign:
        (folder / "posts").mkdir(parents=True)
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):  # builds killed at different stages
        build = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "-s", str(site), "-d", str(out),
                                  "--ignoreCache", "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        build.kill()
        build.wait()
    result = run_sitegen("build", "-s", site, "-d", out)
    assert result.returncode == 0, result.stderr
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public.") or p.name.startswith(".other."))
    assert left == sorted(p.name for p in foreign)
    assert (out / "index.html").is_file()


def test_a_cache_folder_that_is_the_site_gets_no_gitignore(tmp_path):
    site = small_site(tmp_path)
    result = run_sitegen("build", "-s", site, "--cacheDir", site)
    assert result.returncode == 0, result.stderr
    assert not (site / ".gitignore").exists()
    (site / ".gitignore").write_text("public/\n", encoding="utf-8")
    assert run_sitegen("build", "-s", site, "--cacheDir", site).returncode == 0
    assert (site / ".gitignore").read_text(encoding="utf-8") == "public/\n"
    assert run_sitegen("build", "-s", site).returncode == 0
    assert (site / ".sitegen-cache/.gitignore").read_text(encoding="utf-8") == "*\n"


def test_the_built_in_theme_compiles_once_for_every_build_and_site(tmp_path, user_cache):
    first = small_site(tmp_path / "one")
    second = small_site(tmp_path / "two")
    assert run_sitegen("build", "-s", first, "--ignoreCache").returncode == 0
    compiled = {path: path.stat().st_mtime_ns for path in _bytecode_files(user_cache)}
    assert len(compiled) > 10
    assert run_sitegen("build", "-s", second, "--ignoreCache").returncode == 0
    assert {path: path.stat().st_mtime_ns for path in _bytecode_files(user_cache)} == compiled
    assert not (second / ".sitegen-cache").exists()


# --- the shared corpus, edit after edit ------------------------------------------------------

def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _flip_entries(site: Path) -> None:
    _update_entries(site / ".sitegen-cache", _flip_bytes)


def _serve_once(site: Path) -> None:
    serve = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = ""
        for line in serve.stdout:
            if "Web server available" in line:
                break
        assert "Web server available" in line
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)


def _move_content_outside(site: Path) -> None:
    outside = site.parent / "elsewhere"
    outside.mkdir()
    shutil.move(str(site / "content"), outside / "content")
    _replace(site / "config.toml", 'title = "mailcow', 'contentDir = "../elsewhere/content"\ntitle = "mailcow')


POST = "content/posts/2023/arm64-announcement/index.en.md"
NEWEST_SUMMARY = """{% extends "_default/baseof.html" %}
{% block main %}{{ page.content }}<aside>{{ site.regular_pages[0].title }}: {{ site.regular_pages[0].summary }}
{{ site.regular_pages[0].params.author }}</aside>{% endblock %}
"""

# (name, edit of the site folder, extra build arguments, environment); in this order, each
# followed by a cached build compared with a cold one.
CORPUS_EDITS = [
    ("first build", lambda site: None, (), NEW_YEARS_EVE),
    ("nothing changed", lambda site: None, (), NEW_YEARS_EVE),
    ("post body", lambda site: _append(site / POST, "\nOne more line.\n"), (), NEW_YEARS_EVE),
    ("post title", lambda site: _replace(site / POST, "Announcement\"", "Announcement, edited\""), (), NEW_YEARS_EVE),
    ("config title", lambda site: _replace(site / "config.toml", 'title = "mailcow: dockerized - Blog"',
                                           'title = "mailcow: dockerized - Edited"'), (), NEW_YEARS_EVE),
    ("New Year", lambda site: None, (), NEW_YEAR),
    ("config baseURL", lambda site: _replace(site / "config.toml", 'baseURL = "https://mailcow.email"',
                                             'baseURL = "https://mailcow.email/blog/"'), (), NEW_YEAR),
    ("-b", lambda site: None, ("-b", "https://preview.example/"), NEW_YEAR),
    ("static file, cp -p", lambda site: _rewrite_keeping_stamp(site / "static/favicon.ico", bytes(
        b ^ 1 for b in (site / "static/favicon.ico").read_bytes())), (), NEW_YEAR),
    ("bundle image, cp -p", lambda site: _rewrite_keeping_stamp(
        site / "content/posts/2023/mailcow-idp/images/sso_keycloak9.png",
        (site / "content/posts/2023/mailcow-idp/images/sso_keycloak9.png").read_bytes()[::-1]), (), NEW_YEAR),
    ("partial showing the newest post", lambda site: (
        (site / "layouts/_default").mkdir(parents=True, exist_ok=True),
        (site / "layouts/_default/single.html").write_text(NEWEST_SUMMARY, encoding="utf-8")), (), NEW_YEAR),
    ("newest post's summary and author", lambda site: _newest_post_edit(site), (), NEW_YEAR),
    ("new post", lambda site: write_post(site, "posts/2024/new-one/index.en.md",
                                         "---\ntitle: A new post\ndate: 2024-06-01T10:00:00Z\n---\nNew text.\n"),
     (), NEW_YEAR),
    ("deleted post", lambda site: shutil.rmtree(site / "content/posts/2023/arm64-delay"), (), NEW_YEAR),
    ("damaged cache entries", _flip_entries, (), NEW_YEAR),
    ("serve, then build", _serve_once, (), NEW_YEAR),
    ("content outside the site", _move_content_outside, (), NEW_YEAR),
    ("post outside the site", lambda site: _append(site.parent / "elsewhere" / POST, "\nEdited outside.\n"), (),
     NEW_YEAR),
]


def _newest_post_edit(site: Path) -> None:
    posts = sorted((site / "content/posts").rglob("index.en.md"),
                   key=lambda p: p.read_text(encoding="utf-8").split("date:", 1)[1][:26])
    post = posts[-1]
    text = post.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    front = front.replace("\nauthor:", "\nauthor: Edited Author\nformer_author:", 1) if "\nauthor:" in front \
        else front + "\nauthor: Edited Author"
    post.write_text(front + "\n---\n" + "An edited opening of the newest post.\n\n" + body, encoding="utf-8")


def test_cached_builds_of_the_corpus_equal_cold_builds_after_every_edit(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("needs ../shared/corpus/mailcow-blog")
    site = tmp_path / "blog" / "site"
    shutil.copytree(CORPUS, site)
    for folder in [site, *(path for path in site.rglob("*") if path.is_dir())]:
        folder.chmod(0o755)  # a checkout the user can write to (the shared copy is read-only)
    check = Differential(site, tmp_path / "builds")
    done = []
    for name, edit, args, epoch in CORPUS_EDITS:
        edit(site)
        tree = check.build(*args, env={"SOURCE_DATE_EPOCH": epoch})
        done.append(name)
        assert len(tree) > 250, name
    assert b"An edited opening of the newest post." in b"".join(
        data for rel, data in tree.items() if rel.endswith(".html"))
    assert len(done) == len(CORPUS_EDITS) == check.cold_builds


# --- what the keys are made of ---------------------------------------------------------------

def test_a_cache_from_another_sitegen_version_is_not_used(tmp_path, monkeypatch):
    import sitegen.cache
    from sitegen.build import BuildOptions, Builder

    site = small_site(tmp_path)
    options = BuildOptions(source=site, destination=tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    Builder(options).build(reuse_output=False)
    again = Builder(options)
    again.build(reuse_output=False)
    assert again._cache.hits > 10 and again._cache.misses == 0
    monkeypatch.setattr(sitegen.cache, "__version__", "99.0.0")
    other = Builder(options)
    other.build(reuse_output=False)
    assert other._cache.hits == 0


def test_url_filters_are_not_folded_into_compiled_templates(tmp_path):
    from sitegen.bytecode import environment_fingerprint
    from sitegen.config import load_config
    from sitegen.errors import Diagnostics
    from sitegen.templates import create_environment, resolve_themes

    site = small_site(tmp_path, base="https://example.org/blog/")
    config = load_config(site, Diagnostics())
    env = create_environment(config, resolve_themes(config, None, Diagnostics()))
    code = env.compile('{{ "/logo.png"|absurl }} {{ "/logo.png"|relurl }} {{ "x"|upper }}', raw=True)
    assert "example.org" not in code and "/blog/" not in code
    assert "yield ' X'" in code  # pure filters still fold

    _set_config(site, 'baseURL = "https://example.org/blog/"', 'baseURL = "http://127.0.0.1:1313/"')
    preview = create_environment(load_config(site, Diagnostics()), resolve_themes(config, None, Diagnostics()))
    assert environment_fingerprint(preview) == environment_fingerprint(env)  # nothing folded differs
    preview.filters["shout"] = lambda text, suffix=config.base_url: f"{text}{suffix}"  # folds what it holds
    env.filters["shout"] = lambda text, suffix="other": f"{text}{suffix}"
    assert environment_fingerprint(preview) != environment_fingerprint(env)


def test_nothing_changed_holds_while_the_date_parts_pages_show_are_the_same(tmp_path):
    site = small_site(tmp_path, posts=30)  # enough pages for the render to fork its workers
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(
        '{% extends "_default/baseof.html" %}{% block main %}<p class="built">{{ site.build_date.month }}</p>'
        '{% endblock %}', encoding="utf-8")
    out, hour, later = tmp_path / "out", str(int(NEW_YEAR) + 3600), str(int(NEW_YEAR) + 40 * 86400)
    assert _sitegen("build", "-s", site, "-d", out, "--workers", "2", env={"SOURCE_DATE_EPOCH": NEW_YEAR}).returncode == 0
    same_month = _sitegen("build", "-s", site, "-d", out, env={"SOURCE_DATE_EPOCH": hour})
    assert "nothing changed" in same_month.stdout
    next_month = _sitegen("build", "-s", site, "-d", out, env={"SOURCE_DATE_EPOCH": later})
    assert "nothing changed" not in next_month.stdout
    assert b'<p class="built">2</p>' in (out / "posts/post-0/index.html").read_bytes()
