"""Keyset pages: lists read `limit + 1` rows past a cursor; the extra row says whether there is more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

MAX_PAGE = 100


def page_size(limit: int) -> int:
    return max(1, min(int(limit), MAX_PAGE))


def keyset_page(rows: Sequence[Any], limit: int, view: Callable[[Any], dict],
                cursor: Callable[[Any], Any] = lambda row: row["id"]) -> dict[str, Any]:
    """{items, next}: the first `limit` rows (read with `limit + 1`) as views, and the cursor after the
    last one shown when more follow (None at the end)."""
    shown = rows[:limit]
    return {"items": [view(row) for row in shown], "next": cursor(shown[-1]) if len(rows) > limit else None}
