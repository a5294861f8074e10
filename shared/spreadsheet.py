"""Spreadsheet cells that cannot become formulas (CSV / formula injection, OWASP).

A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` (or a tab / carriage return, which some
strip first) as a formula: an invoice number such as `=HYPERLINK(...)` typed by a supplier would run in
the recipient's spreadsheet. OWASP's advice: prefix such text with a single quote. Numbers stay numbers,
including display strings of negative amounts (« -1 234,50 »), which no spreadsheet runs.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed amount as the exports write it: digits grouped by spaces (U+202F, U+00A0), decimal comma or point.
_NUMBER = re.compile(r"[+-]?\d[\d\u202f\u00a0 ]*(?:[.,]\d+)?")


def safe_cell(value: object) -> object:
    """The value to write in a CSV or XLSX cell: text that a spreadsheet would run gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
