"""Markdown rendering matches Hugo 0.168 on fixture files whose expected HTML Hugo wrote
(`tests/fixtures/markdown/fixtures.py FILE` regenerates them with the real Hugo)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sitegen.content.markdown.parser import MarkdownOptions, render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
sys.path.insert(0, str(FIXTURES))
from fixtures import markup_for, read_cases  # noqa: E402


def _cases():
    for path in sorted(FIXTURES.glob("*.md")):
        for case in read_cases(path):
            yield pytest.param(path, case, id=f"{path.stem}:{case.line}:{case.title}")


@pytest.mark.parametrize(("path", "case"), list(_cases()))
def test_renders_like_hugo(path, case):
    options = MarkdownOptions.from_markup(markup_for(path))
    html = render_markdown(case.source, options).html
    assert html.rstrip("\n") == case.expected
