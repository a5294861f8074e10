"""A modal dialog: a title, a body, a row of actions; Escape or the backdrop calls `on_close`.

It takes focus when it opens (the element marked `data-autofocus`, else its first focusable one), keeps Tab
inside, and gives focus back to what had it when it closes: the browser side is DialogFocus in chorale.js.

Generic: the deposit confirmation uses it, and so can any "are you sure" step (refusal reason, deletion).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reactpy import component, event, html

from frontend.js import DialogFocus


@component
def Dialog(title: str, *children, actions: Sequence = (), on_close: Callable[[], None] | None = None,
           dialog_id: str = "dialog", role: str = "dialog"):
    """`role="alertdialog"` for confirmations that interrupt; the first action should be the safe one."""

    def handle_key(e):
        if e.get("key") == "Escape" and on_close is not None:
            on_close()

    @event(stop_propagation=True)
    def keep_open(_):
        pass

    backdrop = {"class_name": "dialog-backdrop"}
    if on_close is not None:
        backdrop["on_click"] = lambda _: on_close()
    return html.div(
        backdrop,
        html.div(
            {"class_name": "dialog", "role": role, "aria-modal": "true", "id": dialog_id,
             "aria-labelledby": f"{dialog_id}-title", "aria-describedby": f"{dialog_id}-body",
             "on_key_down": handle_key, "on_click": keep_open, "tabindex": "-1"},
            DialogFocus({"key": "focus"}),
            html.h2({"id": f"{dialog_id}-title"}, title),
            html.div({"id": f"{dialog_id}-body", "class_name": "dialog-body"}, *children),
            html.div({"class_name": "actions"}, *actions) if actions else "",
        ),
    )
