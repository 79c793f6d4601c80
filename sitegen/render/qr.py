"""QR codes for the default theme's `qr` shortcode, drawn as Hugo's `images.QR` draws them:
black modules on white, a quiet zone of four modules, `scale` pixels a module, the smallest
version that holds the text (numeric, alphanumeric or UTF-8 byte mode, as Hugo picks).

The image is a PNG data URI, so a page carries its own code and no file is published for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

LEVELS = {"low": "l", "medium": "m", "quartile": "q", "high": "h"}  # Hugo's names -> segno's
QUIET_ZONE = 4


@dataclass(frozen=True, slots=True)
class QrImage:
    src: str  # data:image/png;base64,…
    width: int
    height: int


def qr_image(text: str, level: str = "medium", scale: int = 4) -> QrImage | None:
    """The QR code of `text`; None when the text is too long for any QR code at `level`."""
    # Non-ASCII text as UTF-8 bytes (what Hugo writes), never Latin-1 or Kanji mode.
    mode, encoding = (None, None) if str(text).isascii() else ("byte", "utf-8")
    try:
        code = segno.make_qr(
            str(text), error=LEVELS[level], boost_error=False, mode=mode, encoding=encoding
        )
    except segno.DataOverflowError:
        return None
    width, height = code.symbol_size(scale=scale, border=QUIET_ZONE)
    return QrImage(code.png_data_uri(scale=scale, border=QUIET_ZONE), width, height)
