"""Where each prefilled field was read: a server-rendered preview of the PDF's page, and the field's box on it
while the field has the focus or its badge the pointer.

The form provides PREVIEW (the setter of the highlighted field); text inputs and badges call it on focus and
hover. The page comes from `GET /api/invoices/{id}/files/{file}/pages/{n}` (a PNG, rendered in the bounded
reading pool, for those who may see the invoice).
"""

from __future__ import annotations

from typing import Any

from reactpy import component, create_context, html, use_context, use_state

import shared.i18n_extraction  # noqa: F401
from frontend.context import use_session

PREVIEW = create_context(None)  # a callable(found | None), or None outside a form with a preview


def show_handlers(found: dict[str, Any] | None) -> dict[str, Any]:
    """on_focus/on_mouse_enter attributes that highlight `found`'s place (nothing when it has none)."""
    show = use_context(PREVIEW)
    if show is None or not found or not found.get("box") or not found.get("page"):
        return {}
    return {"on_focus": lambda _: show(found), "on_mouse_enter": lambda _: show(found),
            "on_blur": lambda _: show(None), "on_mouse_leave": lambda _: show(None)}


def _pct(value: float) -> str:
    return f"{max(0.0, min(1.0, float(value))) * 100:.2f}%"


@component
def ExtractionPreview(invoice: dict, highlight: dict | None):
    t = use_session().t
    attempt, set_attempt = use_state(0)  # a preview that failed (the first of a cold reading pool) is asked again
    extraction = invoice.get("extraction") or {}
    main = next((f for f in invoice.get("files") or [] if f["role"] == "principal"), None)
    if main is None or extraction.get("kind") not in ("text", "ocr"):
        return html.div({"id": "extraction-preview-none"})
    page = int((highlight or {}).get("page") or 1)
    box = (highlight or {}).get("box")
    marker = ""
    if box:
        x0, top, x1, bottom = box
        marker = html.div({"id": "extraction-highlight", "class_name": "preview-box", "data-page": str(page),
                           "style": {"left": _pct(x0 - 0.004), "top": _pct(top - 0.004), "width": _pct(x1 - x0 + 0.008),
                                     "height": _pct(bottom - top + 0.008)}})
    return html.figure(
        {"class_name": "extraction-preview", "id": "extraction-preview", "data-page": str(page)},
        html.div({"class_name": "preview-page"},
                 html.img({"src": f"/api/invoices/{invoice['id']}/files/{main['id']}/pages/{page}" + (f"?try={attempt}" if attempt else ""),
                           "id": "extraction-preview-img", "alt": t("extraction.preview_alt", page=page),
                           "on_error": lambda _: set_attempt(lambda n: n + 1 if n < 3 else n)}),
                 marker),
        html.figcaption(t("extraction.preview_caption")),
    )


def ocr_notice(invoice: dict):
    """The form says when the fields were read by OCR (each then of low confidence)."""
    if (invoice.get("extraction") or {}).get("kind") != "ocr":
        return ""
    return html.div({"class_name": "alert alert-warning", "role": "status", "id": "extraction-ocr"},
                    use_session().t("extraction.ocr"))
