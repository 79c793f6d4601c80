"""What decoding a source file found: the text, how it was read, what was repaired."""

from __future__ import annotations

from dataclasses import dataclass

UNICODE_CHARSETS = frozenset(
    {"ascii", "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}
)


@dataclass(frozen=True)
class Repair:
    """One kind of damage found in a file, e.g. "UTF-8 read as Mac Roman" on 57 lines."""

    kind: str
    lines: int

    def describe(self) -> str:
        return f"{self.kind}, {self.lines} line{'s' if self.lines != 1 else ''}"


@dataclass(frozen=True)
class DecodedText:
    """A source file's text as sitegen reads it."""

    text: str
    charset: str  # how the bytes were decoded: "utf-8", "utf-8-sig", "utf-16-le", "cp1252", ...
    repairs: tuple[Repair, ...] = ()

    @property
    def legacy_charset(self) -> bool:
        return self.charset not in UNICODE_CHARSETS

    @property
    def changed(self) -> bool:
        """True when the text differs from what a plain UTF-8 reading would give."""
        return bool(self.repairs) or self.legacy_charset

    def describe(self) -> str:
        """The damage in words, e.g. "UTF-8 read as Mac Roman, 57 lines"."""
        parts = [f"saved as {self.charset}, not UTF-8"] if self.legacy_charset else []
        parts += [repair.describe() for repair in self.repairs]
        return "; ".join(parts)
