"""Hugo's built-in shortcodes the default theme adds for issue 16: comment and qr (compared
with real Hugo, which renders both without network), and the third-party embeds gist, vimeo,
instagram and x/twitter/tweet, which load nothing from the service before the reader clicks."""

from __future__ import annotations

import base64
import io
import re
from html import unescape
from pathlib import Path

import pytest
import zxingcpp  # a test dependency (pyproject.toml), decodes the QR images
from PIL import Image

from conftest import chromium_page, run_sitegen
from hugo_reference import run_hugo

CONFIG = 'baseURL = "https://example.org/"\ntitle = "T"\n'
IMG = re.compile(r"<img\b([^>]*)>")
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def make_site(tmp_path: Path, body: str, config: str = CONFIG) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "config.toml").write_text(config, encoding="utf-8")
    (site / "content/a.md").write_text(f"---\ntitle: A\n---\n{body}\n", encoding="utf-8")
    return site


def sitegen_content(site: Path) -> str:
    result = run_sitegen("build", "-s", site, "--ignoreCache")
    assert result.returncode == 0, result.stderr
    html = (site / "public/a/index.html").read_text(encoding="utf-8")
    return html.split('<div class="content">', 1)[1].split("</article>", 1)[0]


def hugo_content(site: Path, tmp_path: Path) -> tuple[str, Path]:
    out = run_hugo(site, tmp_path / "hugo")
    html = (out / "a/index.html").read_text(encoding="utf-8")
    return html.split("<ref-content>", 1)[1].split("</ref-content>", 1)[0], out


def build_error(tmp_path: Path, body: str) -> str:
    result = run_sitegen("build", "-s", make_site(tmp_path, body), "--ignoreCache")
    assert result.returncode == 1, (result.returncode, result.stderr)
    return result.stderr


def images(html: str) -> list[dict[str, str]]:
    return [{k: unescape(v) for k, v in ATTR.findall(tag)} for tag in IMG.findall(html)]


def decode(image_bytes: bytes):
    image = Image.open(io.BytesIO(image_bytes))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "no QR code found in the image"
    return image.size, found[0].text, found[0].ec_level


# ---------------------------------------------------------------- comment


def test_comment_renders_nothing_as_in_hugo(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        "Before {{< comment >}}a **note** for [authors](https://x.org){{< /comment >}} after.\n\n"
        "{{< comment >}}\nWhole paragraphs\n\nof notes.\n{{< /comment >}}\n\nEnd.",
    )
    ours = sitegen_content(site)
    theirs, _ = hugo_content(site, tmp_path)
    for html in (ours, theirs):
        assert "note" not in html and "authors" not in html and "Whole" not in html
    text = lambda html: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    assert text(ours) == text(theirs) == "Before after. End."


def test_an_unclosed_comment_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    stderr = build_error(tmp_path, "Text.\n\n{{< comment >}} never closed")
    assert "a.md:6" in stderr and "never closed" in stderr


# ---------------------------------------------------------------- qr

QR_CALLS = [
    '{{< qr text="https://gohugo.io" />}}',
    '{{< qr level="high" scale=3 alt="Hugo & more" class="qrcode" id="code" title="Scan me" loading="lazy" >}}\nhttps://gohugo.io\n{{< /qr >}}',
    '{{< qr text="HTTPS://EXAMPLE.ORG/ALPHANUMERIC" level="low" scale=2 />}}',
    '{{< qr text="0123456789012345678901234567890" level="quartile" />}}',
    '{{< qr text="Grüße aus Köln – 東京" scale=5 />}}',
    '{{< qr level="low" scale=2 >}}\nBEGIN:VCARD\nVERSION:2.1\nFN:Dr. John R. Smith\nTEL;TYPE=WORK:+12065550101\nEND:VCARD\n{{< /qr >}}',
]


def test_qr_images_decode_to_hugos_text_size_and_attributes(tmp_path: Path) -> None:
    site = make_site(tmp_path, "\n\n".join(QR_CALLS))
    ours = images(sitegen_content(site))
    theirs_html, out = hugo_content(site, tmp_path)
    theirs = images(theirs_html)
    assert len(ours) == len(theirs) == len(QR_CALLS)
    for mine, hugo in zip(ours, theirs):
        assert mine["src"].startswith("data:image/png;base64,")
        my_size, my_text, my_level = decode(base64.b64decode(mine["src"].split(",", 1)[1]))
        hugo_size, hugo_text, hugo_level = decode((out / hugo["src"].lstrip("/")).read_bytes())
        assert (my_text, my_level, my_size) == (hugo_text, hugo_level, hugo_size)
        assert (
            (mine["width"], mine["height"])
            == (hugo["width"], hugo["height"])
            == tuple(map(str, my_size))
        )
        for name in ("class", "id", "title", "loading", "alt"):
            assert mine.get(name) == hugo.get(name) or (name == "alt" and "alt" not in hugo), name
    assert (
        ours[1]["alt"] == "Hugo & more" and ours[1]["class"] == "qrcode" and ours[1]["id"] == "code"
    )
    assert decode(base64.b64decode(ours[4]["src"].split(",", 1)[1]))[1] == "Grüße aus Köln – 東京"


def test_qr_without_alt_gets_a_localized_one(tmp_path: Path) -> None:
    html = sitegen_content(
        make_site(tmp_path, '{{< qr text="x" />}}', CONFIG + 'defaultContentLanguage = "de"\n')
    )
    assert images(html)[0]["alt"] == "QR-Code"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("{{< qr />}}", "qr needs a text"),
        (
            '{{< qr text="x" level="extreme" />}}',
            "qr level extreme is not one of low, medium, quartile, high",
        ),
        ('{{< qr text="x" scale=1 />}}', "qr scale must be an integer of 2 or more"),
        ('{{< qr text="x" scale="big" />}}', "qr scale must be an integer of 2 or more"),
        ('{{< qr text="%s" level="high" />}}' % ("x" * 1300), "too long for a QR code"),
        ('{{< qr text="x" >}}', "is never closed"),  # Hugo: must be closed or self-closed
    ],
)
def test_qr_bad_arguments_are_errors_with_file_and_line(
    tmp_path: Path, call: str, message: str
) -> None:
    stderr = build_error(tmp_path, f"Intro.\n\n{call}")
    assert "a.md:6" in stderr and message in stderr, stderr


# ---------------------------------------------------------------- embeds

EMBEDS = {  # call -> (the original's address, the host the frame loads from on a click)
    "{{< vimeo 55073825 >}}": ("https://vimeo.com/55073825", "player.vimeo.com"),
    '{{< vimeo id="146022717" class="wide" title="Launch" loading="eager" >}}': (
        "https://vimeo.com/146022717",
        "player.vimeo.com",
    ),
    "{{< instagram CxOWiQNP2MO >}}": (
        "https://www.instagram.com/p/CxOWiQNP2MO/",
        "www.instagram.com",
    ),
    '{{< x user="SanDiegoZoo" id="1453110110599868418" >}}': (
        "https://x.com/SanDiegoZoo/status/1453110110599868418",
        "platform.twitter.com",
    ),
    '{{< twitter user="SanDiegoZoo" id="1453110110599868418" >}}': (
        "https://x.com/SanDiegoZoo/status/1453110110599868418",
        "platform.twitter.com",
    ),
    "{{< tweet 877500564405444608 >}}": (
        "https://x.com/i/status/877500564405444608",
        "platform.twitter.com",
    ),
    "{{< gist spf13 7896402 >}}": ("https://gist.github.com/spf13/7896402", "gist.github.com"),
    '{{< gist spf13 7896402 "img.html" >}}': (
        "https://gist.github.com/spf13/7896402",
        "gist.github.com",
    ),
}


def frames(html: str) -> list[str]:
    return re.findall(r"<iframe\b[^>]*>", html)


def test_each_embed_is_a_local_card_with_a_plain_link_to_the_original(tmp_path: Path) -> None:
    html = sitegen_content(make_site(tmp_path, "\n\n".join(EMBEDS)))
    cards = re.findall(r'<figure class="embed (\w+)[^"]*">(.*?)</figure>', html, re.S)
    assert [kind for kind, _ in cards] == [
        "vimeo",
        "vimeo",
        "instagram",
        "x",
        "x",
        "x",
        "gist",
        "gist",
    ]
    for (_, card), (original, host) in zip(cards, EMBEDS.values()):
        frame = frames(card)[0]
        assert (
            " src=" not in frame and "srcdoc=" in frame
        )  # nothing but local content until a click
        assert f'<figcaption><a href="{original}">' in card
        assert host in unescape(unescape(frame))
    assert "<script" not in html
    assert (
        'title="Launch"' in cards[1][1]
        and 'loading="eager"' in cards[1][1]
        and "embed vimeo wide" in html
    )
    assert "img.html" in unescape(frames(cards[7][1])[0])


def test_embeds_request_nothing_until_the_reader_clicks(tmp_path: Path) -> None:
    site = make_site(tmp_path, "\n\n".join(EMBEDS))
    sitegen_content(site)
    page_file = site / "public/a/index.html"
    with chromium_page() as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        assert [url for url in requested if not url.startswith("file://")] == []
        for index, (_, host) in enumerate(EMBEDS.values()):
            frame = page.frame_locator("iframe").nth(index)
            frame.locator("a").click()
            page.wait_for_timeout(300)
            assert any(f"://{host}/" in url for url in requested), (host, requested)


def test_embed_texts_come_from_the_page_language(tmp_path: Path) -> None:
    html = sitegen_content(
        make_site(
            tmp_path,
            "{{< vimeo 1 >}}\n\n{{< instagram abc >}}",
            CONFIG + 'defaultContentLanguage = "de"\n',
        )
    )
    assert (
        ">Auf Vimeo öffnen</a>" in html
        and 'title="Vimeo-Video"' in html
        and 'title="Instagram-Beitrag"' in html
    )
    assert "Klicken, um es von Vimeo zu laden" in unescape(html)


@pytest.mark.parametrize(
    "call",
    [
        '{{< vimeo "javascript:alert(1)" >}}',
        '{{< x user="javascript:alert(1)" id="1" >}}',
        '{{< gist "javascript:alert(1)" "x" >}}',
        '{{< instagram "javascript:alert(1)" >}}',
    ],
)
def test_javascript_is_never_rendered(tmp_path: Path, call: str) -> None:
    html = unescape(unescape(sitegen_content(make_site(tmp_path, call))))
    assert not re.search(r'(?:href|src)="\s*javascript:', html, re.I), html


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("{{< vimeo >}}", "vimeo needs a video id"),
        ("{{< instagram >}}", "instagram needs the post's id"),
        ('{{< x user="SanDiegoZoo" >}}', "x needs the post's user and id"),
        ('{{< twitter id="1" >}}', "twitter needs the post's user and id"),
        ('{{< x user="a" id="not-a-number" >}}', "x id must be the post's number"),
        ("{{< gist spf13 >}}", "gist needs a user and a gist id"),
    ],
)
def test_missing_embed_arguments_are_errors_with_file_and_line(
    tmp_path: Path, call: str, message: str
) -> None:
    stderr = build_error(tmp_path, f"Intro.\n\n{call}")
    assert "a.md:6" in stderr and message in stderr, stderr


def test_privacy_disable_renders_nothing_as_in_hugo(tmp_path: Path) -> None:
    config = (
        CONFIG
        + "[privacy.vimeo]\ndisable = true\n[privacy.Twitter]\nDisable = true\n[privacy.x]\ndisable = false\n"
    )
    site = make_site(
        tmp_path,
        'A {{< vimeo 1 >}} B {{< tweet user="u" id="2" >}} C {{< x user="u" id="3" >}} D {{< instagram p >}}',
        config,
    )
    html = sitegen_content(site)
    assert re.findall(r'<figure class="embed (\w+)', html) == ["x", "instagram"]
    assert "vimeo.com" not in html and "/status/2" not in html
    # Hugo (without network, so only a disabled one) leaves it out the same way
    hugo_site = make_site(
        tmp_path / "hugo-site", "A {{< vimeo 1 >}} B", config
    )  # Hugo 0.168 has no tweet any more
    text = lambda html: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    assert text(sitegen_content(hugo_site)) == text(hugo_content(hugo_site, tmp_path)[0]) == "A B"
