"""Small charts drawn as inline SVG on the server: no script, readable without colour (labels on bars)."""

from __future__ import annotations

from collections.abc import Sequence

from reactpy import html, svg
from reactpy.core.vdom import make_vdom_constructor

from shared import formatting
from shared.i18n import t

# reactpy.svg declares <text>, <title> and <circle> without children, but SVG labels and tooltips need them.
svg_text = make_vdom_constructor("text")
svg_title = make_vdom_constructor("title")
svg_circle = make_vdom_constructor("circle")


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, chart_id: str, width: int = 640, bar_height: int = 22):
    top = max((value for _, value in items), default=0) or 1
    label_width = 240
    height = len(items) * (bar_height + 6) + 10
    rows = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * (bar_height + 6)
        length = (width - label_width - 60) * value / top
        rows += [
            svg_text({"x": 0, "y": y + bar_height * 0.7, "font_size": 12, "key": f"l{index}"}, label),
            svg.rect({"x": label_width, "y": y, "width": max(length, 1), "height": bar_height, "fill": "#000091", "key": f"r{index}"}),
            svg_text({"x": label_width + length + 6, "y": y + bar_height * 0.7, "font_size": 12, "key": f"v{index}"}, f"{value:g}"),
        ]
    return html.figure({"class_name": "chart", "id": chart_id},
                       html.figcaption(title),
                       svg.svg({"viewBox": f"0 0 {width} {height}", "width": "100%", "role": "img", "aria-label": title}, *rows))


def line_chart(points: Sequence[tuple[str, float]], *, title: str, chart_id: str, width: int = 640, height: int = 220,
               lang: str = "fr"):
    if not points:
        return html.figure({"class_name": "chart", "id": chart_id}, html.figcaption(title), html.p({"class_name": "empty"}, "—"))
    top = max(value for _, value in points) or 1
    left, bottom = 50, height - 30
    step = (width - left - 20) / max(len(points) - 1, 1)
    coords = [(left + i * step, bottom - (bottom - 10) * value / top) for i, (_, value) in enumerate(points)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    marks = []
    for index, ((label, value), (x, y)) in enumerate(zip(points, coords)):
        marks += [svg_circle({"cx": x, "cy": y, "r": 3, "fill": "#000091", "key": f"c{index}"},
                             svg_title(t("common.label", lang, label=label) + formatting.money(value, "EUR", lang, symbol=True))),
                  svg_text({"x": x, "y": height - 10, "font_size": 10, "text_anchor": "middle", "key": f"t{index}"}, label)]
    return html.figure({"class_name": "chart", "id": chart_id},
                       html.figcaption(title),
                       svg.svg({"viewBox": f"0 0 {width} {height}", "width": "100%", "role": "img", "aria-label": title},
                               svg.line({"x1": left, "y1": bottom, "x2": width - 10, "y2": bottom, "stroke": "#999"}),
                               svg.path({"d": path, "fill": "none", "stroke": "#000091", "stroke_width": 2}), *marks))
