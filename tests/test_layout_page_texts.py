"""A site's own layout reads a post's content, plain text and release sections as they were
rendered, whichever way the build keeps them in memory until the templates ask (packed, from
the content stage on), and the same from a cold build, a cached one and a build over workers."""

from __future__ import annotations

from pathlib import Path

from cache_helpers import Differential, user_cache  # noqa: F401 (an autouse fixture)
from conftest import copy_example_site

POST = "posts/2024/release-2024-01/index.html"
LAYOUT = (
    '{% extends "_default/baseof.html" %}{% block main %}'
    "<div class=content>{{ page.content }}</div>"
    "<div class=plain>{{ page.plain }}</div>"
    "{% for release in page.releases %}<section>{{ release.version }}: {{ release.html }}"
    "</section><div class=safe>{{ release.html|safe }}</div>{% endfor %}"
    "{% endblock %}\n"
)


def test_a_layout_reads_content_plain_text_and_release_sections(tmp_path: Path):
    site = copy_example_site(tmp_path / "site")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text(LAYOUT, encoding="utf-8")
    check = Differential(site, tmp_path, tmp_path / "cache")
    serial = check.build("--workers", "1")[POST].decode("utf-8")
    assert check.build("--workers", "2")[POST].decode("utf-8") == serial  # cached, then cold

    content = serial.split("<div class=content>", 1)[1].split("</div><div class=plain>", 1)[0]
    # The content is trusted HTML (not escaped), its release headings decorated.
    assert '<span class="release-anchor" id="2024-01e"></span>' in content
    assert '<p class="release-meta"><time datetime="2024-02-08">' in content
    assert "&lt;" not in content.split("<pre", 1)[0]
    plain = serial.split("<div class=plain>", 1)[1].split("</div>", 1)[0]
    assert "Fixed the isolation rule for iptables" in plain and "<li>" not in plain
    # A section's HTML is a string: escaped unless the layout trusts it, the same either way.
    escaped, trusted = serial.split("<section>2024-01e: ", 1)[1].split("</section>", 1)
    assert escaped.startswith("&lt;p&gt;&lt;strong&gt;Netfilter improvements")
    assert trusted.startswith("<div class=safe><p><strong>Netfilter improvements</strong></p>")
    assert "Relaxed IP checks in NFTables.py" in trusted
