"""`sitegen new content`: a new content file from an archetype, as `hugo new content` makes it.

Hugo archetypes are Go templates; the few actions they use in practice (.Name, .Date,
.File.ContentBaseName, .Site.Title, replace, title, upper, lower, now.Format) are read here.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path, PurePosixPath

from babel.dates import format_datetime

from sitegen.errors import Diagnostics, SiteError
from sitegen.load.config import load_config
from sitegen.locale import go_layout_to_babel

ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
DEFAULT_ARCHETYPE = (
    '---\ntitle: "{{ replace .Name "-" " " | title }}"\ndate: {{ .Date }}\ndraft: true\n---\n\n'
)


def new_content(source: Path, target: str, kind: str | None = None) -> Path:
    config = load_config(source, Diagnostics())
    destination = _inside_content(source / config.content_dir, target)
    rel = PurePosixPath(destination.relative_to((source / config.content_dir).resolve()).as_posix())
    if destination.exists():
        raise SiteError(
            "the file exists already; sitegen does not overwrite content",
            destination,
            hint="choose another name or edit the file",
        )
    archetype_path = _find_archetype(source / config.archetype_dir, rel, kind)
    template = archetype_path.read_text(encoding="utf-8") if archetype_path else DEFAULT_ARCHETYPE
    name = (
        rel.parent.name if rel.stem.split(".")[0] in ("index", "_index") else rel.stem.split(".")[0]
    )
    values = {
        ".Name": name,
        ".File.ContentBaseName": name,
        ".Date": datetime.now().astimezone().isoformat(timespec="seconds"),
        ".Site.Title": config.title,
        ".Type": rel.parts[0] if len(rel.parts) > 1 else "",
        ".Section": rel.parts[0] if len(rel.parts) > 1 else "",
    }
    text = ACTION.sub(
        lambda m: _evaluate(m[1], values, archetype_path, template, m.start()), template
    )
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(text, encoding="utf-8")
    return destination


def _inside_content(content: Path, target: str) -> Path:
    """The new file's path (relative to the content folder, `content/` in front or not, or
    absolute), which must lie inside the content folder."""
    given = Path(target)
    if not given.is_absolute():
        given = content / target.removeprefix(content.name + "/")
    destination = given.resolve()
    if not destination.is_relative_to(content.resolve()) or destination == content.resolve():
        raise SiteError(
            f"{target!r} is outside the site's content folder; new content goes inside it",
            content,
            hint="give a path relative to the content folder, e.g. posts/2024/release-2024-03/index.md",
        )
    return destination


def _find_archetype(folder: Path, rel: PurePosixPath, kind: str | None = None) -> Path | None:
    """archetypes/KIND.md for `-k KIND` (an error if missing), else the section's, else default.md."""
    if kind:
        for candidate in (folder / f"{kind}.md", folder / kind / "index.md"):
            if candidate.is_file():
                return candidate
        raise SiteError(
            f"no archetype {kind!r}",
            folder,
            hint=f"create {folder / (kind + '.md')} or leave -k out",
        )
    section = rel.parts[0] if len(rel.parts) > 1 else ""
    for candidate in (
        folder / f"{section}.md",
        folder / section / "index.md",
        folder / "default.md",
    ):
        if section or candidate.name == "default.md":
            if candidate.is_file():
                return candidate
    return None


def _evaluate(
    action: str, values: dict[str, str], path: Path | None, template: str, offset: int
) -> str:
    """Evaluate a pipeline such as `replace .Name "-" " " | title`."""
    result = None
    for stage in (s.strip() for s in action.split("|")):
        words = re.findall(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+', stage)
        if not words:
            continue
        head, args = words[0], [_value(w, values) for w in words[1:]]
        if result is not None:
            args.append(result)
        if head in values:
            result = values[head]
        elif head == "replace" and len(args) == 3:
            result = args[0].replace(args[1], args[2])
        elif head in ("title", "upper", "lower") and args:
            result = {"title": _title, "upper": str.upper, "lower": str.lower}[head](args[-1])
        elif head == "now.Format" and args:
            result = format_datetime(datetime.now(), go_layout_to_babel(args[0]), locale="en")
        else:
            line = template[:offset].count("\n") + 1
            raise SiteError(
                f"archetype action not understood: {{{{ {action} }}}}",
                path,
                line,
                hint="use .Name, .Date, .File.ContentBaseName, .Site.Title, replace, title, upper, lower",
            )
    return "" if result is None else str(result)


def _value(word: str, values: dict[str, str]) -> str:
    if word[:1] in '"`':
        return word[1:-1].encode().decode("unicode_escape") if word[0] == '"' else word[1:-1]
    return values.get(word, word)


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
