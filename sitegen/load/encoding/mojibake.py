"""Repair of text that was mis-decoded once or twice: whole documents, pasted blocks,
single lines and single words.

The repair works on three levels, each guarded by the plausibility score:
1. the whole document reads back as UTF-8 through one family (a file saved after one
   wrong reading, maybe twice): undo it all at once, as that is what happened;
2. each stretch of mojibake inside a line is undone when its repair reads better than
   the damage in its context;
3. code spans and fences, where odd-looking text may be meant (`Ã¤` documenting
   mojibake), are repaired only with the whole document (level 1), never stretch by
   stretch. `fixEncoding = false` (config or front matter) turns repair off.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from sitegen.load.encoding.charsets import (
    C1_CONTROLS,
    CP1252_SIGNS,
    FAMILIES,
    FIRST_NON_ASCII,
    NON_ASCII_PAIR,
    SUSPECT_PAIR,
    WINDOWS_LATIN,
    Family,
)
from sitegen.load.encoding.model import Repair
from sitegen.load.encoding.plausibility import is_acceptable, weirdness

MAX_LAYERS = 3  # nobody mis-reads a file more often and still ships it
STRONG_GAIN = 2.0  # a repair this much less odd than the damage needs no other evidence
CONTEXT = 2  # characters either side that a stretch is judged with

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1|(`+)")


@dataclass(frozen=True)
class _Layer:
    family: Family
    damaged: str  # the text as this layer's wrong reading left it


@dataclass(frozen=True)
class _Stretch:
    """A candidate repair of text[start:end]."""

    start: int
    end: int
    repaired: str
    layers: tuple[_Layer, ...]  # outermost (last damage) first
    gain: float
    in_code: bool
    line: int


def repair_text(text: str) -> tuple[str, tuple[Repair, ...]]:
    """Undo mojibake in already-decoded text; returns the text and what was repaired."""
    if text.isascii() or not NON_ASCII_PAIR.search(text) or not SUSPECT_PAIR.search(text):
        return text, ()
    code = _code_ranges(text)
    repaired, whole_layers = _undo_whole_document(text, code)
    if whole_layers:
        lines = _changed_lines(text, repaired)
        return repaired, (Repair(_kind_name(whole_layers), lines),)
    stretches = _accepted_stretches(text, code)
    if not stretches:
        return text, ()
    return _apply(text, stretches), _summarise(stretches)


# -- level 1: the whole document -------------------------------------------------------


def _undo_whole_document(text: str, code: list[tuple[int, int]]) -> tuple[str, tuple[_Layer, ...]]:
    layers: list[_Layer] = []
    current = text
    while len(layers) < MAX_LAYERS:
        first = FIRST_NON_ASCII.search(current)
        for family in FAMILIES:
            if first is None or not family.sequence.match(current, first.start()):
                continue  # cheap refusal: damage of the whole text starts at its first non-ASCII
            undone = family.undo(current)
            if undone is not None and undone != current and _has_evidence(current, family, code):
                layers.append(_Layer(family, current))
                current = undone
                if code:
                    code = _code_ranges(current)
                break
        else:
            break
    return current, tuple(layers)


def _has_evidence(text: str, family: Family, code: list[tuple[int, int]]) -> bool:
    """Whether some stretch outside code is clearly mojibake of this family."""
    for stretch in _stretches_of(text, family, code, _line_starts(text)):
        if not stretch.in_code and stretch.gain >= STRONG_GAIN:
            return True
    return False


def _changed_lines(before: str, after: str) -> int:
    old, new = before.split("\n"), after.split("\n")
    return sum(1 for a, b in zip(old, new) if a != b) + abs(len(old) - len(new))


# -- level 2 and 3: stretches inside lines ----------------------------------------------


def _accepted_stretches(text: str, code: list[tuple[int, int]]) -> list[_Stretch]:
    starts = _line_starts(text)
    candidates = [s for family in FAMILIES for s in _stretches_of(text, family, code, starts)]
    chosen = _without_overlaps(text, candidates)
    evidence = [s for s in chosen if not s.in_code and s.gain >= STRONG_GAIN]
    # Code is left as it is: a post may quote mojibake there on purpose (`Ã¤` is what `ä`
    # looks like), and only a file misread as a whole (level 1) has damaged code for sure.
    return [s for s in chosen if not s.in_code and s.line in {e.line for e in evidence}]


def _stretches_of(
    text: str, family: Family, code: list[tuple[int, int]], starts: list[int]
) -> list[_Stretch]:
    stretches = []
    for start, end in _runs(text, family):
        damaged = text[start:end]
        before = text[max(0, start - CONTEXT) : start]
        after = text[end : end + CONTEXT]
        repaired, layers = _undo_layers(damaged, family, before, after)
        if not layers or not is_acceptable(repaired):
            continue
        gain = weirdness(before + damaged + after) - weirdness(before + repaired + after)
        if gain <= 0:
            continue
        line = bisect.bisect_right(starts, start) - 1
        stretches.append(_Stretch(start, end, repaired, layers, gain, _inside(code, start), line))
    return stretches


def _runs(text: str, family: Family) -> list[tuple[int, int]]:
    """Spans of consecutive mis-read UTF-8 sequences that read back as valid UTF-8."""
    runs: list[tuple[int, int]] = []
    for match in family.sequence.finditer(text):
        if family.undo(match.group()) is None:
            continue
        if runs and runs[-1][1] == match.start():
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append((match.start(), match.end()))
    return runs


def _undo_layers(
    damaged: str, family: Family, before: str, after: str
) -> tuple[str, tuple[_Layer, ...]]:
    """Undo one reading, then further readings while that clearly reads better in context."""
    first = family.undo(damaged)
    if first is None:
        return damaged, ()
    layers = [_Layer(family, damaged)]
    current = first
    while len(layers) < MAX_LAYERS:
        odd_now = weirdness(before + current + after)
        for candidate in FAMILIES:
            if not candidate.sequence.match(current):
                continue
            undone = candidate.undo(current)
            if undone is not None and odd_now - weirdness(before + undone + after) >= STRONG_GAIN:
                layers.append(_Layer(candidate, current))
                current = undone
                break
        else:
            break
    return current, tuple(layers)


def _without_overlaps(text: str, candidates: list[_Stretch]) -> list[_Stretch]:
    """Where two families claim overlapping text, keep the reading that is least odd."""
    chosen: list[_Stretch] = []
    for stretch in sorted(candidates, key=lambda s: (s.start, -s.end)):
        if chosen and stretch.start < chosen[-1].end:
            if _reads_better(text, stretch, chosen[-1]):
                chosen[-1] = stretch
            continue
        chosen.append(stretch)
    return chosen


def _reads_better(text: str, challenger: _Stretch, holder: _Stretch) -> bool:
    for wider, narrower in ((challenger, holder), (holder, challenger)):
        contains = wider.start <= narrower.start and narrower.end <= wider.end
        if (
            contains
            and wider.end - wider.start > narrower.end - narrower.start
            and wider.gain >= STRONG_GAIN
        ):
            return wider is challenger  # one reading explains all of the other's text and more
    start = max(0, min(challenger.start, holder.start) - CONTEXT)
    end = max(challenger.end, holder.end) + CONTEXT

    def reading(s: _Stretch) -> str:
        return text[start : s.start] + s.repaired + text[s.end : end]

    odd_challenger, odd_holder = weirdness(reading(challenger)), weirdness(reading(holder))
    if odd_challenger != odd_holder:
        return odd_challenger < odd_holder
    return challenger.end - challenger.start > holder.end - holder.start  # explains more


def _apply(text: str, stretches: list[_Stretch]) -> str:
    parts, last = [], 0
    for stretch in stretches:
        parts += [text[last : stretch.start], stretch.repaired]
        last = stretch.end
    parts.append(text[last:])
    return "".join(parts)


def _summarise(stretches: list[_Stretch]) -> tuple[Repair, ...]:
    latin1 = _reads_as_latin1([layer for s in stretches for layer in s.layers])
    lines_by_kind: dict[str, set[int]] = defaultdict(set)
    for stretch in stretches:
        lines_by_kind[_kind_name(stretch.layers, latin1)].add(stretch.line)
    return tuple(Repair(kind, len(lines)) for kind, lines in lines_by_kind.items())


# -- naming -----------------------------------------------------------------------------


def _reads_as_latin1(layers: list[_Layer]) -> bool:
    """Latin-1 shows C1 controls where Windows-1252 shows signs such as € or “."""
    damage = "".join(layer.damaged for layer in layers if layer.family is WINDOWS_LATIN)
    chars = set(damage)
    return bool(chars & C1_CONTROLS) and not chars & CP1252_SIGNS


def _kind_name(layers: tuple[_Layer, ...], latin1: bool | None = None) -> str:
    if latin1 is None:
        latin1 = _reads_as_latin1(list(layers))
    names = [
        "Latin-1" if layer.family is WINDOWS_LATIN and latin1 else layer.family.name
        for layer in reversed(layers)  # the first damage first
    ]
    if len(names) > 1 and len(set(names)) == 1:
        return f"UTF-8 read as {names[0]} {_times(len(names))}"
    return "UTF-8 read as " + ", then as ".join(names)


def _times(count: int) -> str:
    return {2: "twice", 3: "three times"}.get(count, f"{count} times")


# -- where code is ----------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks and inline code spans, as character ranges."""
    if "`" not in text and "~~~" not in text:
        return []
    ranges: list[tuple[int, int]] = []
    fence: str | None = None
    offset = 0
    for line in re.findall(r"[^\n]*\n|[^\n]+$", text):
        marker = _FENCE.match(line)
        if fence is not None:
            ranges.append((offset, offset + len(line)))
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        elif marker:
            fence = marker.group(1)
            ranges.append((offset, offset + len(line)))
        else:
            for span in _CODE_SPAN.finditer(line):
                if span.group(1):
                    ranges.append((offset + span.start(), offset + span.end()))
        offset += len(line)
    return ranges


def _inside(ranges: list[tuple[int, int]], position: int) -> bool:
    at = bisect.bisect_right(ranges, (position, float("inf"))) - 1
    return at >= 0 and ranges[at][0] <= position < ranges[at][1]
