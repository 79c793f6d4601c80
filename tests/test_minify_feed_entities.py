"""A feed's escaped item HTML, minified into CDATA, reads the same to an XML parser whatever
entities the feed's own template wrote (sitegen's escape only &, < and >; a site's RSS
template may write &quot;, &#39; or &nbsp; too)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from sitegen.write.minify import minify_html_text, minify_xml

ITEM_HTML = [
    "&lt;p&gt;Fixed &lt;code&gt;a &amp;amp;&amp;amp; b&lt;/code&gt; &amp;lt;3&lt;/p&gt;",
    "&lt;p title=&quot;x&quot;&gt;It&#39;s&amp;nbsp;done &amp;amp; shipped&lt;/p&gt;",
    "&lt;p&gt;&lt;a href=&quot;https://example.org/?a=1&amp;amp;b=2&quot;&gt;link&lt;/a&gt;&lt;/p&gt;",
    "&lt;p&gt;R&amp;eacute;sum&amp;eacute; &amp;copy; &amp;#169;&lt;/p&gt;",
]


def feed(descriptions: list[str]) -> str:
    items = "".join(
        f"<item>\n  <title>t{n}</title>\n  <description>{d}</description>\n</item>\n"
        for n, d in enumerate(descriptions)
    )
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n{items}</channel></rss>\n'


def descriptions(xml_text: str) -> list[str]:
    return [e.text or "" for e in ElementTree.fromstring(xml_text).iter("description")]


@pytest.mark.parametrize("item", ITEM_HTML)
def test_minified_item_html_is_the_minified_html_the_parser_read_before(item):
    before = descriptions(feed([item]))
    after = descriptions(minify_xml(feed([item])))
    assert after == [minify_html_text(html) for html in before]
    assert "<![CDATA[" in minify_xml(feed([item]))  # made smaller, not left as it was
