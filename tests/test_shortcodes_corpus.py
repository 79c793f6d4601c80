"""Every shortcode the real mailcow blog (and the seed post) uses parses and renders, and a
thousand random mutations of shortcode-heavy posts never crash the expander."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from shortcode_helpers import SHARED, make_renderer, render_page
from sitegen.errors import BuildFailed, SiteError

CORPUS = SHARED / "corpus" / "mailcow-blog" / "content"
SEED = SHARED / "seed" / "000_7e6f5bbde1a89b62.txt"
TAG = re.compile(r"\{\{[<%]")


def split_front_matter(text: str) -> tuple[str, int]:
    """The body after `---` front matter and the file line it starts on."""
    lines = text.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return "".join(lines[end + 1 :]), end + 2


def posts_with_shortcodes() -> list[Path]:
    files = sorted(
        path for path in CORPUS.rglob("*.md") if TAG.search(path.read_text(encoding="utf-8"))
    )
    return files + [SEED]


def test_corpus_has_the_forms_the_brief_names():
    text = "".join(path.read_text(encoding="utf-8") for path in posts_with_shortcodes())
    for form in (
        "{{< admonition info >}}",
        '{{< admonition type=warning title="Wichtig" open=true >}}',
        "{{< youtube QiDDczFSeKQ >}}",
        '    {{< admonition type=danger title="Vorsicht">}}',
    ):
        assert form in text


@pytest.mark.parametrize(
    "path",
    posts_with_shortcodes(),
    ids=lambda path: path.name if path == SEED else str(path.relative_to(CORPUS)),
)
def test_every_corpus_post_expands(path: Path):
    body, first_line = split_front_matter(path.read_text(encoding="utf-8"))
    lang = "de" if ".de." in path.name or path == SEED else "en"
    html = render_page(body, make_renderer(lang), path=str(path), first_line=first_line)
    assert not TAG.search(html) and "HAHAHUGOSHORTCODE" not in html
    assert html.count('<details class="admonition') == len(re.findall(r"\{\{< admonition", body))


def test_seed_admonition_inside_its_list_item():
    body, first_line = split_front_matter(SEED.read_text(encoding="utf-8"))
    html = render_page(body, make_renderer("de"), path="seed.md", first_line=first_line)
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert any('<details class="admonition danger" open>' in item for item in items)


HEAVY = """Intro {{< youtube abc >}} and `code {{</* x */>}}`.

{{< admonition type=warning title="Wichtig" open=true >}}
Text with **bold** and {{< admonition tip "Inner `x`" false >}}inner{{< /admonition >}}
```
{{< inl >}} {{</* shown */>}}
```
{{< /admonition >}}

+ item

    {{< admonition type=danger title="Vorsicht">}}
**careful**
    {{< /admonition >}}

{{% details summary="more" %}}
## Heading
{{< figure src="/a.png" caption=`multi
line` >}}
{{% /details %}}

{{< highlight go "linenos=table" >}}
package main
{{< /highlight >}}
"""

MUTATION_ALPHABET = [
    "{",
    "}",
    "<",
    ">",
    "%",
    "/",
    '"',
    "`",
    "=",
    " ",
    "\n",
    "*",
    "\\",
    "{{<",
    ">}}",
    "{{%",
    "%}}",
    "/*",
    "*/",
    "ä",
]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            break
        at = rng.randrange(len(text))
        action = rng.choice(["insert", "delete", "duplicate", "truncate", "swap"])
        if action == "insert":
            text = text[:at] + rng.choice(MUTATION_ALPHABET) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + rng.randint(1, 12) :]
        elif action == "duplicate":
            text = text[:at] + text[at : at + rng.randint(1, 40)] + text[at:]
        elif action == "truncate":
            text = text[:at]
        else:
            other = rng.randrange(len(text))
            text = (
                text[: min(at, other)]
                + text[max(at, other) :]
                + text[min(at, other) : max(at, other)]
            )
    return text


def test_a_thousand_mutations_expand_or_fail_with_a_location():
    rng = random.Random(20240208)
    seed_body = split_front_matter(SEED.read_text(encoding="utf-8"))[0]
    sources = [HEAVY, seed_body]
    outcomes = {"expanded": 0, "failed": 0}
    renderer = make_renderer("de")  # one environment, so templates compile once
    for number in range(1000):
        text = mutate(sources[number % 2], rng)
        line_count = text.count("\n") + 1
        try:
            html = render_page(text, renderer, path="fuzz.md", first_line=10)
        except BuildFailed as failure:
            assert failure.errors, f"mutation {number}: BuildFailed without errors"
            for error in failure.errors:
                assert error.path == "fuzz.md" and error.line is not None, (
                    f"mutation {number}: {error!r}"
                )
                assert 10 <= error.line < 10 + line_count, (
                    f"mutation {number}: line {error.line} outside the file"
                )
            outcomes["failed"] += 1
        except SiteError as error:
            assert error.path and error.line, f"mutation {number}: {error!r}"
            outcomes["failed"] += 1
        else:
            assert "HAHAHUGOSHORTCODE" not in html, f"mutation {number}: a placeholder was left"
            outcomes["expanded"] += 1
    # Both outcomes must really occur, or the mutations test nothing.
    assert outcomes["expanded"] > 100 and outcomes["failed"] > 100, outcomes
