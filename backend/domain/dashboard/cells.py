"""Spreadsheet cells of the exports. The formula rule (CSV / formula injection, OWASP) lives in
shared.spreadsheet, which every slice's exports use (dashboard's invoices, organisation's users); this
module adds the typed cells: amounts as numbers, days as dates, the French CSV convention."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.spreadsheet import safe_cell

PARIS = ZoneInfo("Europe/Paris")

# Typed cells of the exports: a spreadsheet sums amounts and sorts dates only when they are numbers and dates.
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"


def paris_day(value: date | datetime | None) -> date | None:
    """The day a moment falls on in Paris (the day people saw), or the date itself."""
    if isinstance(value, datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return value


def csv_value(value: object) -> object:
    """A value in the French CSV convention (with `;` between cells): a decimal comma and no thousands
    separator (« 1234,50 »), which a French-set spreadsheet reads as a number; dates as « 02/12/2026 »."""
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f").replace(".", ",")
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return "" if value is None else safe_cell(value)


def xlsx_cell(sheet, value: object):
    """A write-only cell: amounts as numbers with two decimals shown, dates as dates, text made safe."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return WriteOnlyCell(sheet, value=safe_cell(value))
