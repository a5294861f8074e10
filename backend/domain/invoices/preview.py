"""A page of a deposited PDF as a PNG, for the form's preview where each prefilled field's place is shown.

Rendered by pypdfium2 inside the reading pool's bounded child (reading_pool.render_page), never in the app
process: a PDF that inflates to gigabytes costs the child, not the app.
"""

from __future__ import annotations

import io
from pathlib import Path

from backend.domain.invoices.extraction import MAX_PAGES

WIDTH = 900  # pixels: sharp enough for a label, small enough to send (≈100 kB)


class NoSuchPage(Exception):
    pass


def render_page_png(path: Path, number: int) -> bytes:
    import pypdfium2

    if not 1 <= number <= MAX_PAGES:
        raise NoSuchPage(number)
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        if number > len(pdf):
            raise NoSuchPage(number)
        page = pdf[number - 1]
        width, _ = page.get_size()
        image = page.render(scale=WIDTH / width).to_pil()
        page.close()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        pdf.close()
