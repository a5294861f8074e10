"""A data table: columns described once, rows as dicts, keyed rows, an empty state, optional caption.

Generic: invoice lists, dashboards and searches all build their tables with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reactpy import component, html


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    render: Callable[[Mapping[str, Any]], Any] | None = None  # default: str(row[key]) or an empty cell
    numeric: bool = False  # right-aligned, tabular figures

    def cell(self, row: Mapping[str, Any]) -> Any:
        if self.render is not None:
            return self.render(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


@component
def DataTable(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], *, row_key: str = "id",
              table_id: str | None = None, empty_text: str = "", caption: str | None = None, class_name: str = ""):
    """`class_name="fit"`: long headers and texts wrap so a many-column table fits the window without a sideways scroll."""
    if not rows:
        return html.p({"class_name": "empty", "id": f"{table_id or 'table'}-empty"}, empty_text)
    attrs: dict[str, Any] = {"class_name": f"data {class_name}".strip()}
    if table_id:
        attrs["id"] = table_id
    return html.table(
        attrs,
        html.caption({"class_name": "visually-hidden"}, caption) if caption else "",
        html.thead(html.tr(*[
            html.th({"key": c.key, "scope": "col", "class_name": "num" if c.numeric else ""}, c.label) for c in columns])),
        html.tbody(*[
            html.tr({"key": str(row[row_key]), "data-key": str(row[row_key])},
                    *[html.td({"key": c.key, "class_name": "num" if c.numeric else "", "data-col": c.key}, c.cell(row))
                      for c in columns])
            for row in rows]),
    )
