"""Form fields: uncontrolled inputs (no lost keystrokes) that report each change, with errors beside them."""

from __future__ import annotations

from collections.abc import Callable

from reactpy import component, html


def field_setter(set_values: Callable, name: str) -> Callable:
    """An on_change handler storing the input's value under `name` in a dict state."""
    def handle(event):
        value = event["target"].get("value")
        set_values(lambda old: {**old, name: value})
    return handle


def checkbox_setter(set_values: Callable, name: str) -> Callable:
    """The same for a checkbox: whether it is checked. ReactPy sends an input's `value` and `checked`, not
    its `type`, so a checkbox's handler must be told (its `value` is « on », checked or not)."""
    def handle(event):
        checked = bool(event["target"].get("checked"))
        set_values(lambda old: {**old, name: checked})
    return handle


@component
def TextField(name: str, label: str, on_change: Callable, *, error: str | None = None, input_type: str = "text",
              required: bool = False, default: str | None = None, hint: str | None = None,
              autocomplete: str | None = None, id_prefix: str = "f", extra: dict | None = None):
    input_id = f"{id_prefix}-{name}"
    attrs = {"id": input_id, "name": name, "type": input_type, "on_change": on_change,
             "aria-invalid": "true" if error else "false", "required": required}
    if default is not None:
        attrs["default_value"] = default
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    described = []
    if hint:
        described.append(f"{input_id}-hint")
    if error:
        described.append(f"{input_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    attrs.update(extra or {})
    return html.div(
        {"class_name": "field"},
        html.label({"html_for": input_id, "class_name": "required" if required else ""}, label),
        html.span({"class_name": "hint", "id": f"{input_id}-hint"}, hint) if hint else "",
        html.input(attrs),
        html.span({"class_name": "error", "id": f"{input_id}-error", "role": "alert"}, error) if error else "",
    )


@component
def Checkbox(name: str, label: str, on_change: Callable, *, checked: bool = False, id_prefix: str = "f"):
    input_id = f"{id_prefix}-{name}"
    return html.div(
        {"class_name": "check"},
        html.input({"id": input_id, "name": name, "type": "checkbox", "default_checked": checked, "on_change": on_change}),
        html.label({"html_for": input_id}, label),
    )


def error_for(error, field_name: str, lang: str) -> str | None:
    """The message of a DomainError if it concerns `field_name`."""
    if error is not None and getattr(error, "field", None) == field_name:
        return error.message(lang)
    return None


def form_alert(error, lang: str, *, fields: tuple[str, ...] = ()):
    """A summary alert for errors not shown beside a field."""
    if error is None or getattr(error, "field", None) in fields:
        return ""
    return html.div({"class_name": "alert alert-error", "role": "alert"}, error.message(lang))
