"""Icons as inline SVG: they draw on any machine (emoji need an emoji font, and render as empty boxes
without one) and take the text colour. Outline paths on a 24-unit grid, stroked with currentColor.

`icon(name)` is decorative (hidden from assistive technologies: the control around it carries the name);
`icon(name, label="…")` stands alone and is announced as an image with that name.
"""

from __future__ import annotations

from reactpy import html
from reactpy.core.vdom import make_vdom_constructor

_path = make_vdom_constructor("path")
_title = make_vdom_constructor("title")

_PATHS: dict[str, tuple[str, ...]] = {
    "bell": ("M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9", "M10.3 21a1.94 1.94 0 0 0 3.4 0"),
    "file": ("M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z", "M14 2v6h6", "M8 13h8", "M8 17h5"),
    "close": ("M18 6 6 18", "M6 6l12 12"),
    "check": ("M20 6 9 17l-5-5",),
    "note": ("M9 18V5l12-2v13", "M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0z", "M21 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z"),
    "refresh": ("M21 12a9 9 0 1 1-2.64-6.36L21 8", "M21 3v5h-5"),
}
NAMES = tuple(_PATHS)


def icon(name: str, *, label: str | None = None, size: str = "1.1em", class_name: str = "icon"):
    attrs = {"class_name": class_name, "viewBox": "0 0 24 24", "width": size, "height": size, "fill": "none",
             "stroke": "currentColor", "strokeWidth": "2", "strokeLinecap": "round", "strokeLinejoin": "round",
             "focusable": "false", "data-icon": name}
    children = [_path({"d": d, "key": str(i)}) for i, d in enumerate(_PATHS[name])]
    if label:
        attrs.update({"role": "img", "aria-label": label})
        children.insert(0, _title({"key": "title"}, label))
    else:
        attrs["aria-hidden"] = "true"
    return html.svg(attrs, *children)
