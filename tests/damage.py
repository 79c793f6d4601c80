"""A damaged corpus, built at test time from the real posts in ../shared (never committed).

Every clean post is damaged the way real tools damage text: its UTF-8 bytes decoded with
a wrong charset (`text.encode("utf-8").decode("mac_roman")`), once or twice, over the
whole file, a pasted block, some lines or a few words; or the post saved in a legacy
charset. A damage the charset cannot produce (Python's cp1252 has no character for
0x81, 0x8D, 0x8F, 0x90, 0x9D; cp1252 cannot store an emoji) is recorded as impossible,
not faked. Run `python tests/damage.py` for the restore table.
"""

from __future__ import annotations

import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", the browsers' Windows-1252

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "mailcow-blog" / "content"

MISREADS = {  # how a tool showed UTF-8 bytes
    "Mac Roman": ("mac_roman",),
    "cp1252": ("cp1252",),
    "latin-1": ("latin-1",),
    "cp1252 (browser)": ("sloppy-windows-1252",),
    "double cp1252": ("cp1252", "cp1252"),
    "cp1252 then Mac Roman": ("cp1252", "mac_roman"),
}
PARTIAL = ("Mac Roman", "cp1252", "latin-1")
SAVED_AS = {"cp1252": "cp1252", "Mac Roman": "mac_roman"}


@dataclass(frozen=True)
class Sample:
    post: str
    kind: str
    original: str
    data: bytes | None  # the file as sitegen reads it; None when the damage cannot occur


def clean_posts() -> list[tuple[str, str]]:
    """(relative path, text) of every Markdown file of the corpus."""
    return [
        (str(path.relative_to(CORPUS)), path.read_bytes().decode("utf-8"))
        for path in sorted(CORPUS.rglob("*.md"))
    ]


def misread(text: str, charsets: tuple[str, ...]) -> str | None:
    """`text` after its UTF-8 bytes were decoded with each charset in turn."""
    for charset in charsets:
        try:
            text = text.encode("utf-8").decode(charset)
        except UnicodeDecodeError:
            return None
    return text


def damage_spans(text: str, spans: list[tuple[int, int]], charsets: tuple[str, ...]) -> str | None:
    parts, last = [], 0
    for start, end in sorted(spans):
        damaged = misread(text[start:end], charsets)
        if damaged is None:
            return None
        parts += [text[last:start], damaged]
        last = end
    return "".join(parts + [text[last:]])


def _body_start(text: str) -> int:
    match = re.match(r"(?s)(---|\+\+\+)\n.*?\n\1\n", text)
    return match.end() if match else 0


def pasted_block(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """One to four consecutive paragraphs of the body, at least one with non-ASCII text."""
    body = _body_start(text)
    paragraphs = [m.span() for m in re.finditer(r"(?s).+?(?:\n\n+|$)", text[body:]) if m.group()]
    paragraphs = [(a + body, b + body) for a, b in paragraphs]
    firsts = [i for i, (a, b) in enumerate(paragraphs) if not text[a:b].isascii()]
    if not firsts:
        return []
    first = rng.choice(firsts)
    last = min(len(paragraphs), first + rng.randint(1, 4)) - 1
    return [(paragraphs[first][0], paragraphs[last][1])]


def some_lines(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """About a third of the lines that hold non-ASCII text (at least one)."""
    lines = [m.span() for m in re.finditer(r"[^\n]+", text) if not m.group().isascii()]
    if not lines:
        return []
    return rng.sample(lines, max(1, len(lines) // 3))


def few_words(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """One to three non-ASCII words of one line, as a chat tool mangles a quote."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if not m.group().isascii()]
    if not lines:
        return []
    line = rng.choice(lines)
    words = [m.span() for m in re.finditer(r"\S+", line.group()) if not m.group().isascii()]
    chosen = rng.sample(words, min(len(words), rng.randint(1, 3)))
    return [(line.start() + a, line.start() + b) for a, b in chosen]


PICKERS: dict[str, Callable[[str, random.Random], list[tuple[int, int]]]] = {
    "pasted block": pasted_block,
    "some lines": some_lines,
    "a few words": few_words,
}


def samples(posts: list[tuple[str, str]] | None = None) -> Iterator[Sample]:
    """Every post damaged in every way; `data` is None where the damage cannot occur."""
    for post, text in posts if posts is not None else clean_posts():
        for name, charsets in MISREADS.items():
            yield _sample(post, f"whole file as {name}", text, misread(text, charsets))
        for picker_name, picker in PICKERS.items():
            for name in PARTIAL:
                rng = random.Random(f"{post}/{picker_name}/{name}")
                spans = picker(text, rng)
                damaged = damage_spans(text, spans, MISREADS[name]) if spans else None
                yield _sample(post, f"{picker_name} as {name}", text, damaged)
        for name, charset in SAVED_AS.items():
            try:
                data = text.encode(charset) if not text.isascii() else None
            except UnicodeEncodeError:
                data = None
            yield Sample(post, f"saved as {name} bytes", text, data)


def _sample(post: str, kind: str, text: str, damaged: str | None) -> Sample:
    if damaged is None or damaged == text:
        return Sample(post, kind, text, None)
    return Sample(post, kind, text, damaged.encode("utf-8"))


@dataclass
class Tally:
    restored: int = 0
    damaged: int = 0
    impossible: int = 0

    @property
    def rate(self) -> float:
        return self.restored / self.damaged if self.damaged else 1.0


def restore_table(decode: Callable[[bytes, str], str]) -> tuple[dict[str, Tally], list[str]]:
    """Tallies per damage kind and the samples that were not restored exactly."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    failures = []
    for sample in samples():
        tally = tallies[sample.kind]
        if sample.data is None:
            tally.impossible += 1
            continue
        tally.damaged += 1
        if decode(sample.data, sample.post) == sample.original:
            tally.restored += 1
        else:
            failures.append(f"{sample.kind}: {sample.post}")
    return dict(tallies), failures


def format_table(tallies: dict[str, Tally]) -> str:
    rows = [f"{'damage':38} {'restored':>9} {'damaged':>8} {'rate':>8} {'cannot occur':>13}"]
    for kind, t in tallies.items():
        rows.append(f"{kind:38} {t.restored:9} {t.damaged:8} {t.rate:8.2%} {t.impossible:13}")
    restored = sum(t.restored for t in tallies.values())
    damaged = sum(t.damaged for t in tallies.values())
    rows.append(f"{'overall':38} {restored:9} {damaged:8} {restored / damaged:8.2%}")
    return "\n".join(rows)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sitegen.load.encoding import decode_source

    posts = clean_posts()
    changed = [p for p, text in posts if decode_source(text.encode("utf-8"), p).changed]
    print(f"clean posts: {len(posts)}, changed by decoding: {len(changed)} {changed}")
    tallies, failures = restore_table(lambda data, path: decode_source(data, path).text)
    print(format_table(tallies))
    for failure in failures:
        print("not restored:", failure)


if __name__ == "__main__":
    main()
