"""Property-based fuzzing of whole builds (issue 19).

Hypothesis generates sites: config files (TOML, YAML, JSON) with wrongly typed and hostile
values, posts with YAML/TOML/JSON front matter (path fields full of `..`, `%2e%2e`,
backslashes, absolute paths, control characters, script URLs; YAML anchors), and bodies of
Markdown and shortcode calls (deep lists and quotes, repeated headings, unclosed, nested and
unknown shortcodes). Every build must succeed or fail with exit 1 and errors naming a file:
never a traceback (exit 70), never past its time limit, never a file outside the output folder.

Builds run in-process through the real command line (`sitegen.cli.main`), one worker, no
cache. CI runs the "ci" profile; HYPOTHESIS_PROFILE=long runs many more examples locally.
The figures of the last run are printed at the end (pytest -s shows them).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import tempfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sitegen.cli import main  # noqa: E402

SECONDS_PER_BUILD = 20
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIGURES: Counter = Counter()

# --- what a hostile author writes ---------------------------------------------------------

HOSTILE_TEXT = st.sampled_from(
    [
        "../../../../../../tmp/escaped",
        "/../../../../etc/x.html",
        "..",
        ".",
        "/",
        "",
        "%2e%2e/%2e%2e/x",
        "..\\..\\..\\x",
        "C:\\Windows\\x",
        "/tmp/abs/",
        "a/\x00b",
        "a\x01b\x7f",
        "javascript:alert(1)",
        " java\tscript:x",
        "data:text/html,<b>",
        "https://example.org/a b",
        "ä/ö/ü",
        "#frag",
        "?q=1",
        "x" * 300,
        "{{< figure >}}",
        "<script>x</script>",
        "*alias",
        "&anchor",
        "2024-01-01T25:61:00",
        "2024-02-30",
        "yes",
        "null",
        "1e999",
        "-1",
    ]
)
TEXT = st.one_of(
    HOSTILE_TEXT,
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30),
)
SCALAR = st.one_of(
    TEXT,
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["a", "b", "url", "name"]), inner, max_size=3),
    ),
    max_leaves=8,
)
FRONT_KEYS = st.sampled_from(
    [
        "title",
        "url",
        "slug",
        "aliases",
        "tags",
        "categories",
        "weight",
        "draft",
        "authorLink",
        "author",
        "featuredImage",
        "summary",
        "description",
        "layout",
        "type",
        "toc",
        "releases",
        "translationKey",
        "params",
        "menu",
    ]
)
DATES = st.dictionaries(
    st.sampled_from(["date", "lastmod", "publishDate", "expiryDate"]),
    st.one_of(
        st.sampled_from(
            ["2024-01-01", "2024-02-08T11:19:02+02:00", "2024-13-01", "01.02.2024", "", "soon"]
        ),
        st.datetimes(),
        st.dates(),
        VALUE,
    ),
    max_size=2,
)
FRONT_MATTER = st.tuples(
    st.dictionaries(FRONT_KEYS, VALUE, max_size=8), st.one_of(st.just({}), DATES)
).map(lambda parts: {**parts[0], **parts[1]})

SHORTCODE_NAMES = st.sampled_from(
    [
        "figure",
        "admonition",
        "details",
        "highlight",
        "param",
        "ref",
        "relref",
        "youtube",
        "nope",
        "box",
    ]
)


@st.composite
def shortcode_call(draw) -> str:
    name = draw(SHORTCODE_NAMES)
    params = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["src", "link", "attrlink", "title", "caption", "type", "id", "0"]),
                TEXT,
            ),
            max_size=3,
        )
    )
    rendered = " ".join(f"{key}={json.dumps(value)}" for key, value in params)
    markup = draw(st.sampled_from(["<", "%"]))
    right = ">}}" if markup == "<" else "%}}"
    opening = f"{{{{{markup} {name} {rendered} {right}"
    form = draw(st.sampled_from(["open", "closed", "self", "nested", "unclosed-run"]))
    if form == "closed":
        return f"{opening}inner *text*{{{{{markup} /{name} {right}"
    if form == "self":
        return f"{{{{{markup} {name} {rendered} /{right}"
    if form == "nested":
        depth = draw(st.integers(1, 150))
        return "{{< box >}}" * depth + "deep" + "{{< /box >}}" * depth
    if form == "unclosed-run":
        return opening * draw(st.integers(1, 200))
    return opening


@st.composite
def markdown_block(draw) -> str:
    kind = draw(
        st.sampled_from(
            ["heading", "list", "quote", "shortcode", "html", "link", "code", "text", "table"]
        )
    )
    if kind == "heading":
        return "\n".join(f"## {draw(TEXT)}" for _ in range(draw(st.integers(1, 30))))
    if kind == "list":
        depth = draw(st.integers(1, 120))
        return "".join("  " * level + f"- item {level}\n" for level in range(depth))
    if kind == "quote":
        return ">" * draw(st.integers(1, 150)) + " quoted"
    if kind == "shortcode":
        return draw(shortcode_call())
    if kind == "html":
        depth = draw(st.integers(1, 300))
        return "<div>" * depth + draw(TEXT) + "</div>" * draw(st.integers(0, depth))
    if kind == "link":
        return f"[link]({draw(HOSTILE_TEXT).replace(' ', '')}) ![img]({draw(HOSTILE_TEXT).replace(' ', '')})"
    if kind == "code":
        return f"```{draw(st.sampled_from(['', 'python', 'nope', 'go {hl_lines=[1]}']))}\n{draw(TEXT)}\n```"
    if kind == "table":
        return "| a | b |\n|---|---|\n" + "\n".join(
            f"| {draw(TEXT)} | x |" for _ in range(draw(st.integers(1, 5)))
        )
    return draw(TEXT)


BODY = st.lists(markdown_block(), max_size=6).map("\n\n".join)

BILLION_LAUGHS = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)
)


def _toml_value(value) -> str | None:
    """Scalars and lists of scalars in TOML (JSON's string, number and array syntax is TOML's)."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list):
        items = [_toml_value(v) for v in value]
        return None if None in items else "[" + ", ".join(items) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()  # TOML's own date and local date-time
    if isinstance(value, float):
        return repr(value) if "e" not in repr(value) and "inf" not in repr(value) else None
    return json.dumps(value)


def as_toml(data: dict) -> str:
    lines = []
    for key, value in data.items():
        text = _toml_value(value)
        if text is not None:
            lines.append(f"{json.dumps(key)} = {text}")
    return "\n".join(lines) + "\n"


@st.composite
def post(draw) -> str:
    meta = draw(FRONT_MATTER)
    fmt = draw(st.sampled_from(["yaml", "toml", "json", "none", "yaml-raw"]))
    body = draw(BODY)
    if fmt == "yaml":
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    if (
        fmt == "yaml-raw"
    ):  # shapes yaml.safe_dump never writes: anchors, aliases, bad timestamps, tabs
        raw = draw(
            st.sampled_from(
                [
                    BILLION_LAUGHS,
                    "x: &x\n  y: *x\n",
                    "date: 2024-01-01T25:61:00\n",
                    "title: [unclosed\n",
                    "\ttitle: tab\n",
                    "title: a\ntitle: b\n",
                    "aliases: *nowhere\n",
                    "? [a, b]\n: complex key\n",
                ]
            )
        )
        return f"---\ntitle: raw\n{raw}---\n" + body
    if fmt == "toml":
        return "+++\n" + as_toml(meta) + "+++\n" + body
    if fmt == "json":
        return "{\n" + json.dumps(meta, ensure_ascii=False, default=str)[1:-1] + "\n}\n" + body
    return body


CONFIG_KEYS = st.sampled_from(
    [
        "title",
        "baseURL",
        "paginate",
        "params",
        "taxonomies",
        "permalinks",
        "sitemap",
        "menu",
        "languages",
        "summaryLength",
        "theme",
        "defaultContentLanguage",
        "enableRobotsTXT",
        "markup",
        "services",
        "mainSections",
        "author",
        "copyright",
    ]
)


@st.composite
def config_file(draw) -> tuple[str, str]:
    data = {"baseURL": "https://example.org/", "title": "fuzz", "taxonomies": {"tag": "tags"}}
    # Mostly a good config, so that most examples get as far as the content.
    data.update(
        draw(st.one_of(st.just({}), st.just({}), st.dictionaries(CONFIG_KEYS, VALUE, max_size=3)))
    )
    if draw(st.booleans()):
        data["permalinks"] = {
            "posts": draw(
                st.sampled_from(
                    [
                        "/:year/:slug/",
                        "/../../../:slug/",
                        "/:sections/:title/",
                        "/%2e%2e/:filename/",
                        ":slug",
                    ]
                )
            )
        }
    fmt = draw(st.sampled_from(["toml", "yaml", "json"]))
    if fmt == "yaml":
        return "config.yaml", yaml.safe_dump(data, allow_unicode=True)
    if fmt == "json":
        return "config.json", json.dumps(data)
    return "config.toml", as_toml(data)


@st.composite
def site_files(draw) -> dict[str, str]:
    name, text = draw(config_file())
    files = {name: text, "layouts/shortcodes/box.html": "<div>{{ shortcode.inner }}</div>"}
    for number in range(draw(st.integers(1, 3))):
        where = draw(
            st.sampled_from(
                [
                    f"posts/p{number}.md",
                    f"posts/b{number}/index.md",
                    f"p{number}.md",
                    "posts/_index.md",
                ]
            )
        )
        files[f"content/{where}"] = draw(post())
    return files


# --- the property -------------------------------------------------------------------------


class BuildTimedOut(Exception):
    pass


def _alarm(signum, frame):
    raise BuildTimedOut()


def build_in_process(site: Path) -> tuple[int, str]:
    stderr = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_BUILD)
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["build", "-s", str(site), "--quiet", "--ignoreCache", "--workers", "1"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return code, stderr.getvalue()


def files_outside(root: Path, site: Path) -> list[str]:
    return [
        str(p)
        for p in root.rglob("*")
        if not p.is_dir() and not p.resolve().is_relative_to(site.resolve())
    ]


@given(site_files())
def test_every_build_succeeds_or_fails_cleanly_naming_a_file(files):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site = root / "a" / "b" / "c" / "site"
        for rel, text in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        FIGURES["tried"] += 1
        try:
            code, stderr = build_in_process(site)
        except BuildTimedOut:
            FIGURES["hangs"] += 1
            raise AssertionError(f"the build took more than {SECONDS_PER_BUILD} s")
        escaped = files_outside(root, site)
        FIGURES["escapes"] += bool(escaped)
        FIGURES["crashes"] += code not in (0, 1)
        assert code in (0, 1), stderr
        assert not escaped, escaped
        if code == 1:
            errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
            assert errors, stderr
            for line in errors:
                assert str(site) in line, f"an error without its file: {line}"
            FIGURES["clean errors"] += 1
        else:
            FIGURES["successes"] += 1


def teardown_module(module):
    if FIGURES:
        print(
            "\nfuzz figures:",
            ", ".join(
                f"{key} {FIGURES[key]}"
                for key in ("tried", "successes", "clean errors", "crashes", "hangs", "escapes")
            ),
        )
