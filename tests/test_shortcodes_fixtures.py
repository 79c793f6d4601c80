"""Shortcode syntax and error cases as fixture files: a title, the page body, the HTML
(or the errors, one `error:` line each with path:line:column) that the build produces."""

from __future__ import annotations

import pytest
from markdown_it.utils import read_fixture_file

from shortcode_helpers import FIXTURES, render_page
from sitegen.errors import BuildFailed


def outcome(body: str) -> str:
    try:
        return render_page(body)
    except BuildFailed as failure:
        text = "".join(f"error: {error}\n" for error in failure.errors)
        return text.replace(f"{FIXTURES}/", "<fixtures>/")


def cases(name: str):
    return [
        pytest.param(body, expected, id=f"{line}-{title}")
        for line, title, body, expected in read_fixture_file(FIXTURES / name)
    ]


@pytest.mark.parametrize(("body", "expected"), cases("syntax.md"))
def test_syntax(body: str, expected: str):
    assert outcome(body) == expected


@pytest.mark.parametrize(("body", "expected"), cases("errors.md"))
def test_errors(body: str, expected: str):
    assert outcome(body) == expected
