"""The fonts every generated PDF embeds (deposit certificate, Factur-X visual, validation reports).

PDF/A-3 forbids relying on the reader's fonts, and reportlab's standard Helvetica is never embedded; its Vera
lacks the narrow no-break space French number formatting uses. One registration, shared by every producer,
so a PDF cannot print a character its font does not have.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}


_LOCK = threading.Lock()


def register() -> None:
    """Register the embedded fonts with reportlab (idempotent, cheap after the first call; the app warms it
    up in a thread at startup, hence the lock)."""
    with _LOCK:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, file in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def has_glyph(text: str, font: str = REGULAR) -> bool:
    """Whether the font can draw every character of `text` (tests and producers check before printing)."""
    register()
    face = pdfmetrics.getFont(font).face
    return all(ord(char) in face.charToGlyph for char in text if not char.isspace() or char in "\u00a0\u202f")
