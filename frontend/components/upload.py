"""A file field that uploads as soon as a file is chosen or dropped, with real progress and Cancel.

The bytes go from the browser straight to an upload route (XMLHttpRequest in chorale.js's FileUpload),
never through the ReactPy socket; the component hears back `on_start`, `on_progress`, `on_done` and
`on_error` as events. Generic: any screen that uploads (invoice PDF, attachments, lots) uses it with
its own route.
"""

from __future__ import annotations

from collections.abc import Callable

from reactpy import component, html, use_state

import shared.i18n_invoices  # noqa: F401
from frontend.context import use_session
from frontend.js import FileUpload
from shared.i18n import message_of, t

DEFAULT_MAX_BYTES = 30 * 1024 * 1024


def _error_text(body: dict, lang: str) -> str:
    return message_of(body, lang) or t("fileupload.failed", lang)


@component
def UploadField(url: str, *, input_id: str, label: str, on_done: Callable[[dict], None],
                on_error: Callable[[dict], None] | None = None, on_start: Callable[[dict], None] | None = None,
                hint: str | None = None, accept: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                disabled: bool = False, required: bool = False, params_from: dict[str, str] | None = None,
                submit_id: str | None = None, on_chosen: Callable[[dict], None] | None = None):
    """`on_done` receives the route's JSON answer; errors (refused, too large, cancelled) are shown here
    and also passed to `on_error` when given. `params_from` ({query name: element id}): fields whose
    value the browser adds to the query when it sends (see chorale.js). `submit_id`: the file is only chosen
    (`on_chosen({name, size})`) and sent when the element of that id is clicked (a « Continuer » button)."""
    session = use_session()
    error, set_error = use_state(None)
    progress, set_progress = use_state(None)  # {"loaded", "total"} as last reported, None when idle

    def handle_start(info):
        set_error(None)
        set_progress({"loaded": 0, "total": (info or {}).get("size", 0)})
        if on_start:
            on_start(info or {})

    def handle_progress(info):
        set_progress(info)

    def handle_done(body):
        set_progress(None)
        on_done(body or {})

    def handle_error(body):
        body = body or {}
        set_progress(None)
        set_error(_error_text(body, session.lang))
        if on_error:
            on_error(body)

    status_id = f"{input_id}-status"
    status = ""
    if progress is not None:
        status = session.t("fileupload.sending")
    return html.div(
        {"class_name": "field upload-field", "id": f"{input_id}-field",
         "data-state": "error" if error else ("sending" if progress is not None else "idle")},
        FileUpload({
            "url": url, "input_id": input_id, "label": label, "hint": hint or session.t("fileupload.drop_hint"),
            "accept": accept or "", "max_bytes": max_bytes, "disabled": disabled, "required": required,
            "described_by": status_id, "params_from": params_from or {}, "submit_id": submit_id or "",
            "on_chosen": on_chosen or (lambda _info: None),
            "cancel_label": session.t("fileupload.cancel"), "unit_label": session.t("fileupload.unit"),
            "small_unit_label": session.t("fileupload.small_unit"),
            "too_large_message": session.t("fileupload.too_large"),
            "network_message": session.t("fileupload.network"), "cancelled_message": session.t("fileupload.cancelled"),
            "error_message": session.t("fileupload.failed"),
            "on_start": handle_start, "on_progress": handle_progress, "on_done": handle_done, "on_error": handle_error,
        }),
        html.div({"id": status_id, "class_name": "upload-status" + (" error" if error else ""),
                  "role": "alert" if error else "status", "aria-live": "polite"}, error or status),
    )
