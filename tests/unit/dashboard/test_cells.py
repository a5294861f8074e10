from __future__ import annotations

from decimal import Decimal

import pytest

from shared.spreadsheet import safe_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"clic\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                                  "\t=1+1", "\r=1+1", "=", "-", "+33 6 12 AB"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["F-2026-001", "Mairie de Démo", "", "12/03/2026", "1\u202f234,50", "-1\u202f234,50",
                                   "-12,50", "+12.5", "-3", "a=b", 12.5, -12.5, 3, Decimal("-1.20"), None])
def test_plain_text_and_numbers_are_left_as_they_are(value) -> None:
    assert safe_cell(value) == value



def test_csv_values_follow_the_french_convention_without_thousands_separators():
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from backend.domain.dashboard.cells import csv_value, paris_day

    assert csv_value(Decimal("1234567.5")) == "1234567,50" and csv_value(Decimal("-3")) == "-3,00"
    assert csv_value(date(2026, 3, 4)) == "04/03/2026" and csv_value(None) == ""
    assert csv_value("=cmd") == "'=cmd"
    assert paris_day(datetime(2026, 12, 2, 23, 30, tzinfo=UTC)) == date(2026, 12, 3)


def test_xlsx_cells_are_typed():
    from datetime import date
    from decimal import Decimal

    from openpyxl import Workbook

    from backend.domain.dashboard.cells import xlsx_cell

    sheet = Workbook(write_only=True).create_sheet()
    amount, day, text = xlsx_cell(sheet, Decimal("1000.5")), xlsx_cell(sheet, date(2026, 1, 2)), xlsx_cell(sheet, "@SUM(1)")
    assert amount.number_format == "#,##0.00" and amount.value == Decimal("1000.5")
    assert day.number_format == "DD/MM/YYYY" and text.value == "'@SUM(1)"
