"""A strip of tabs (WAI-ARIA tabs pattern): role=tablist of role=tab buttons, the selected one alone in the
Tab order (roving tabindex); Left/Right, Home/End move between them and select the one reached (chorale.js,
for every [role=tablist]); the panel is labelled by its tab."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reactpy import html


def tab_strip(tabs: Sequence[tuple[str, str]], selected: str, on_select: Callable[[str], None], *,
              id_prefix: str = "tab", label: str | None = None) -> Any:
    """`tabs`: (name, text) in order; each button is `<id_prefix>-<name>` and controls `<id_prefix>-panel`."""
    def button(name: str, text: str):
        current = name == selected
        return html.button({"type": "button", "role": "tab", "id": f"{id_prefix}-{name}", "key": name,
                            "aria-selected": "true" if current else "false", "aria-controls": f"{id_prefix}-panel",
                            "tabindex": 0 if current else -1, "class_name": "tab active" if current else "tab",
                            "on_click": lambda _: on_select(name)}, text)
    attrs = {"role": "tablist", "class_name": "tabs"} | ({"aria-label": label} if label else {})
    return html.div(attrs, *[button(name, text) for name, text in tabs])


def tab_panel(selected: str, body: Any, *, id_prefix: str = "tab") -> Any:
    return html.section({"role": "tabpanel", "id": f"{id_prefix}-panel", "aria-labelledby": f"{id_prefix}-{selected}",
                         "tabindex": 0}, body)
