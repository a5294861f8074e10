from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from backend.domain.invoices.rules import (
    InvoiceLine, InvoiceRuleError, RecipientRequirements, check_amounts, check_invoice_number, check_recipient,
    compute_totals, deposit_number, invoice_number_key, validate_lines,
)


def line(qty, price, rate, discount="0", reason=None):
    return InvoiceLine("Article", D(qty), D(price), D(rate), discount=D(discount), exemption_reason=reason)


def test_each_line_is_rounded_half_up_to_the_cent():
    assert line("3", "0.335", "20").net_amount == D("1.01")   # 1.005 → 1.01 (half-up, not banker's)
    assert line("1", "10.00", "20", discount="2.50").net_amount == D("7.50")


def test_vat_is_computed_per_rate_on_the_rate_base_not_per_line():
    # Three lines of 0.05 € at 20 %: per line, VAT 0.01 each → 0.03; on the base 0.15 → 0.03. Same here,
    # but with 0.025 € lines rounded to 0.03: per-line VAT 0.006 → 0.01 each = 0.03; base 0.09 × 20 % = 0.018 → 0.02.
    totals = compute_totals([line("1", "0.025", "20")] * 3)
    assert totals.total_ht == D("0.09") and totals.total_tva == D("0.02")
    # Two lines of 1.15 € at 5.5 %: per line VAT 0.06325 → 0.06 each = 0.12; on the base 2.30 → 0.1265 → 0.13.
    totals = compute_totals([line("1", "1.15", "5.5")] * 2)
    assert totals.total_tva == D("0.13") and totals.total_ttc == D("2.43")


def test_several_rates_give_one_breakdown_line_each_and_consistent_totals():
    totals = compute_totals([line("2", "100", "20"), line("1", "50", "10"), line("4", "12.50", "5.5"),
                             line("1", "9.99", "2.1"), line("1", "30", "0", reason="Exonération de TVA, article 261 du CGI")])
    rates = [b.rate for b in totals.vat_breakdown]
    assert rates == [D("20.00"), D("10.00"), D("5.50"), D("2.10"), D("0.00")]
    assert totals.total_ht == D("339.99")
    assert totals.total_tva == D("40.00") + D("5.00") + D("2.75") + D("0.21")
    assert totals.total_ttc == totals.total_ht + totals.total_tva
    exempt = totals.vat_breakdown[-1]
    assert exempt.category == "E" and exempt.exemption_reason.startswith("Exonération")


@pytest.mark.parametrize("lines,code", [
    ([], "ligne_obligatoire"),
    ([line("0", "10", "20")], "quantite_invalide"),
    ([line("-1", "10", "20")], "quantite_invalide"),
    ([line("1", "-10", "20")], "prix_negatif"),
    ([line("1", "10", "19.6")], "taux_tva_inconnu"),
    ([line("1", "10", "0")], "motif_exoneration"),
    ([line("1", "10", "20", discount="11")], "remise_invalide"),
    ([line("100000", "999999999", "20")], "montant_trop_grand"),
])
def test_bad_lines_are_refused_with_a_code(lines, code):
    with pytest.raises(InvoiceRuleError) as refused:
        validate_lines(lines)
    assert refused.value.code == code and refused.value.message_fr


def test_totals_typed_by_hand_must_add_up_to_the_cent():
    check_amounts("100.00", "20.00", "120.00", "120.00")
    with pytest.raises(InvoiceRuleError) as refused:
        check_amounts("100.00", "20.00", "120.01")
    assert refused.value.code == "montants_incoherents" and refused.value.field == "total_ttc"
    with pytest.raises(InvoiceRuleError):
        check_amounts("100.00", "20.00", "120.00", "130.00")
    with pytest.raises(InvoiceRuleError):
        check_amounts("-1", "0", "-1")
    check_amounts("100.00", "20.00", "120.00", "20.00", prepaid=D("100"))


def test_invoice_numbers_are_compared_without_case_or_extra_spaces():
    assert invoice_number_key("  F-2026   001 ") == invoice_number_key("f-2026 001")
    assert check_invoice_number(" F-2026/001 ") == "F-2026/001"
    with pytest.raises(InvoiceRuleError):
        check_invoice_number("F" * 21)
    with pytest.raises(InvoiceRuleError):
        check_invoice_number("F#1")


def test_a_recipient_may_require_an_engagement_and_a_service_code():
    strict = RecipientRequirements(requires_engagement=True, requires_service_code=True, active=True, is_public=True)
    with pytest.raises(InvoiceRuleError, match="engagement"):
        check_recipient(strict, None, "SERV")
    with pytest.raises(InvoiceRuleError, match="code service"):
        check_recipient(strict, "EJ1", "")
    check_recipient(strict, "EJ1", "SERV")
    with pytest.raises(InvoiceRuleError, match="publique active"):
        check_recipient(RecipientRequirements(False, False, active=False, is_public=True), None, None)


def test_the_deposit_number_is_stable_for_the_same_deposit_and_differs_otherwise():
    at = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    first = deposit_number("ab" * 32, "73282932000074", "F-1", at)
    assert first == deposit_number("ab" * 32, "73282932000074", "f-1", at)
    assert first != deposit_number("cd" * 32, "73282932000074", "F-1", at)
    assert first.startswith("DEP-2026-") and len(first) == 21
