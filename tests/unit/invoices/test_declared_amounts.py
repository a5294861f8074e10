"""The amounts a client states beside the lines of a typed-in invoice (PISTE's SAISIE_API) must be the lines'
own, as the portal's form computes them: each total, and the VAT breakdown rate by rate."""

from decimal import Decimal as D

import pytest

from backend.domain.invoices.rules import (DeclaredAmounts, DeclaredVat, InvoiceLine, InvoiceRuleError, check_declared_amounts,
                                           compute_totals)

TOTALS = compute_totals([InvoiceLine("Ramettes", D("10"), D("4.99"), D("20"), discount=D("0.90")),
                         InvoiceLine("Manuels", D("3"), D("17.35"), D("5.5"))])
RIGHT = DeclaredAmounts(D("101.05"), D("12.66"), D("113.71"), D("113.71"),
                        (DeclaredVat(D("20"), D("49"), D("9.8")), DeclaredVat(D("5.5"), D("52.05"), D("2.86"))))


def test_amounts_equal_to_the_lines_pass_and_so_does_stating_none():
    check_declared_amounts(TOTALS, RIGHT)
    check_declared_amounts(TOTALS, DeclaredAmounts())


@pytest.mark.parametrize("declared, code, field", [
    (DeclaredAmounts(total_ht=D("101.06")), "montant_declare_different", "total_ht"),
    (DeclaredAmounts(total_tva=D("12.67")), "montant_declare_different", "total_tva"),
    (DeclaredAmounts(total_ttc=D("113.70")), "montant_declare_different", "total_ttc"),
    (DeclaredAmounts(net_a_payer=D("100")), "montant_declare_different", "net_a_payer"),
    (DeclaredAmounts(vat_breakdown=(DeclaredVat(D("20"), D("49")), DeclaredVat(D("5.5"), D("52.05"), D("2.87")))),
     "montant_declare_different", "vat_breakdown[1].amount"),
    (DeclaredAmounts(vat_breakdown=(DeclaredVat(D("20"), D("50")), DeclaredVat(D("5.5")))), "montant_declare_different",
     "vat_breakdown[0].base"),
    (DeclaredAmounts(vat_breakdown=(DeclaredVat(D("20")), DeclaredVat(D("10")))), "ligne_tva_sans_ligne", "vat_breakdown[1].rate"),
    (DeclaredAmounts(vat_breakdown=(DeclaredVat(D("20")), DeclaredVat(D("20.00")))), "ligne_tva_sans_ligne", "vat_breakdown[1].rate"),
    (DeclaredAmounts(vat_breakdown=(DeclaredVat(D("20")),)), "ligne_tva_manquante", "vat_breakdown"),
])
def test_a_stated_amount_other_than_the_lines_is_refused_naming_it(declared, code, field):
    with pytest.raises(InvoiceRuleError) as refused:
        check_declared_amounts(TOTALS, declared)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message_fr and "{" not in refused.value.message_fr and "{" not in refused.value.message_en


def test_the_refusal_says_both_amounts():
    with pytest.raises(InvoiceRuleError) as refused:
        check_declared_amounts(TOTALS, DeclaredAmounts(total_ht=D("100")))
    assert refused.value.message_fr == "Le montant HT total indiqué (100.00) diffère de celui des lignes (101.05)."
