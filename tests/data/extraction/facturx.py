"""Factur-X / ZUGFeRD PDFs scored against their own embedded XML (issue 18: real invoices kept out of the
project's tuning).

The truth of each field is taken from the CII XML the PDF carries (BT-1 number, BT-2 date, BT-9 due date,
BT-5 currency, BT-109/110/112/115 totals, the parties' SIRET and VAT ids, BT-13 purchase order, BT-84 IBAN,
BT-3 type code); the reading under test is the printed page's (`read_xml=False`), scored by
`corpus.score`. A field is scored only if the page prints it: its value must be found in the text of the
first three pages (the pages the reading reads) in one of the formats an invoice writes it in — a date as
31.12.2018, 31/12/2018, 2018-12-31, 31-12-2018 or « 31 décembre 2018 » / « 31. Dezember 2018 » /
« December 31, 2018 »; an amount as 1234.56, 1234,56, 1 234,56, 1.234,56 or 1,234.56; an identifier with
its spaces, dots and dashes removed on both sides, and valid (check digits: the reading refuses an invalid
SIRET, IBAN or VAT id by design); the currency as its code or its sign. The kind
(invoice or credit note) is always scored: every invoice prints its title. An XML value the page does not
print (or prints otherwise: a rounding of a cent) is left out rather than counted as a miss. A corrective
invoice of negative totals is the product's credit note (kind AVOIR, amounts positive), as Chorus Pro has it.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

from lxml import etree

from tests.data.extraction.corpus import Invoice

HERE = Path(__file__).parent / "facturx"  # the files small enough to keep (LICENCES.md)
# the project's shared corpus, outside the repository (next to it, as ../shared/corpus, unless SHARED_CORPUS says)
SHARED = Path(os.environ.get("SHARED_CORPUS") or Path(__file__).parents[3].parent / "shared" / "corpus") / "facturx"
SIGNS = {"EUR": ("€", "EUR", "Euro"), "USD": ("$", "USD"), "GBP": ("£", "GBP"), "CHF": ("CHF",)}
MONEY = ("total_ht", "total_tva", "total_ttc", "net_a_payer")
CREDIT_NOTES = {"381", "261", "262", "396", "532"}  # UNTDID 1001 credit note codes
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
}


def _first(tree, path: str) -> str | None:
    """The text of the first element at `path` (steps by local name: CII D16B and ZUGFeRD 1.0 alike)."""
    found = []
    for variant in (path, path.replace("SettlementHeaderMonetary", "SettlementMonetary")):  # ZUGFeRD 1.0's name
        found = found or tree.xpath("//" + "/".join(f"*[local-name()='{step}']" for step in variant.split("/")))
    text = found[0].text if found else None
    return text.strip() if text and text.strip() else None


def _party_ids(tree, party: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    role = "supplier" if party == "SellerTradeParty" else "recipient"
    base = f"//*[local-name()='{party}']"
    for element in tree.xpath(base + "/*[local-name()='SpecifiedTaxRegistration']/*[local-name()='ID']"):
        if (element.get("schemeID") or "").upper() == "VA" and element.text:
            ids[f"{role}_vat_id"] = element.text.strip().replace(" ", "")
    for element in tree.xpath(base + "/*[local-name()='SpecifiedLegalOrganization']/*[local-name()='ID']"
                              " | " + base + "/*[local-name()='GlobalID']"):
        value = re.sub(r"\s", "", element.text or "")
        if element.get("schemeID") in ("0002", "0009") and value.isdigit() and len(value) == 14:
            ids[f"{role}_siret"] = value
    return ids


def _date(text: str | None) -> str | None:
    digits = re.sub(r"\D", "", text or "")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) == 8 else None


def _money(text: str | None) -> str | None:
    return str(Decimal(text).quantize(Decimal("0.01"))) if text else None


def xml_truth(xml: bytes) -> dict[str, str]:
    """Every field the XML gives, under the extraction's names."""
    tree = etree.fromstring(xml)
    currency = _first(tree, "InvoiceCurrencyCode")
    tax_total = None
    for element in tree.xpath("//*[local-name()='SpecifiedTradeSettlementHeaderMonetarySummation' or "
                              "local-name()='SpecifiedTradeSettlementMonetarySummation']/*[local-name()='TaxTotalAmount']"):
        if element.get("currencyID") in (None, currency):
            tax_total = element.text
            break
    type_code = _first(tree, "ExchangedDocument/TypeCode") or _first(tree, "HeaderExchangedDocument/TypeCode")
    truth = {
        "invoice_number": _first(tree, "ExchangedDocument/ID") or _first(tree, "HeaderExchangedDocument/ID"),
        "invoice_date": _date(_first(tree, "ExchangedDocument/IssueDateTime/DateTimeString")
                              or _first(tree, "HeaderExchangedDocument/IssueDateTime/DateTimeString")),
        "due_date": _date(_first(tree, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")),
        "currency": currency,
        "total_ht": _money(_first(tree, "SpecifiedTradeSettlementHeaderMonetarySummation/TaxBasisTotalAmount")),
        "total_tva": _money(tax_total),
        "total_ttc": _money(_first(tree, "SpecifiedTradeSettlementHeaderMonetarySummation/GrandTotalAmount")),
        "net_a_payer": _money(_first(tree, "SpecifiedTradeSettlementHeaderMonetarySummation/DuePayableAmount")),
        "purchase_order": _first(tree, "BuyerOrderReferencedDocument/IssuerAssignedID"),
        "iban": (_first(tree, "PayeePartyCreditorFinancialAccount/IBANID") or "").replace(" ", "") or None,
        "kind": "AVOIR" if type_code in CREDIT_NOTES else "FACTURE" if type_code else None,
        **_party_ids(tree, "SellerTradeParty"),
        **_party_ids(tree, "BuyerTradeParty"),
    }
    if truth["total_ttc"] and truth["total_ttc"].startswith("-"):
        # a corrective invoice of negative totals is a credit note: the product's kind AVOIR, amounts positive
        truth["kind"] = "AVOIR"
        for name in MONEY:
            if truth[name]:
                truth[name] = truth[name].lstrip("-")
    return {name: value for name, value in truth.items() if value}


def _squeezed(text: str) -> str:
    return re.sub(r"[\s.\-/]", "", text).upper()


def _money_forms(value: str) -> set[str]:
    units, cents = value.lstrip("-").split(".")
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    plain = "".join(groups)
    return {f"{plain}.{cents}", f"{plain},{cents}", *(f"{sep.join(groups)}{mark}{cents}" for sep, mark in
                                                      ((" ", ","), ("\u00a0", ","), ("\u202f", ","), (".", ","), (",", "."), ("'", ".")))}


def _date_forms(value: str) -> set[str]:
    year, month, day = value.split("-")
    forms = {f"{day}.{month}.{year}", f"{day}/{month}/{year}", value, f"{day}-{month}-{year}", f"{day}.{month}.{year[2:]}",
             f"{day}/{month}/{year[2:]}"}
    for names in MONTHS.values():
        name = names.split()[int(month) - 1]
        for d in (day, day.lstrip("0")):
            forms |= {f"{d} {name} {year}", f"{d}. {name} {year}", f"{name} {d}, {year}"}
    return forms


def _valid(name: str, value: str) -> bool:
    """Whether an identifier's check digits hold: the reading refuses one that fails (a sample's invented
    SIRET 99999999800010, VAT id DE123456789), so it is not scored."""
    from stdnum import iban
    from stdnum.eu import vat
    from stdnum.fr import siret

    checks = {"iban": iban.is_valid, "supplier_siret": siret.is_valid, "recipient_siret": siret.is_valid,
              "supplier_vat_id": vat.is_valid, "recipient_vat_id": vat.is_valid}
    return checks.get(name, lambda _: True)(value)


def printed(name: str, value: str, text: str) -> bool:
    """Whether the page text shows `value` of field `name` in some usual format (and, for an identifier,
    a valid one)."""
    if not _valid(name, value):
        return False
    if name == "kind":
        return True
    if name in MONEY:
        return any(re.search(r"(?<![\d.,])" + re.escape(form) + r"(?![\d])", text) for form in _money_forms(value))
    if name in ("invoice_date", "due_date"):
        lowered = text.lower()
        return any(form.lower() in lowered for form in _date_forms(value))
    if name == "currency":
        return any(sign in text for sign in SIGNS.get(value, (value,)))
    return _squeezed(value) in _squeezed(text)


def page_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages[:3])


def facturx_invoice(path: Path, lang: str, layout: str) -> tuple[Invoice | None, dict[str, str]]:
    """The invoice with the truth of the fields its page prints, and the XML fields left out (not printed);
    None when the page does not print the XML's invoice number (the XML is not the page's: a sample PDF
    carrying another invoice's XML)."""
    from facturx import get_xml_from_pdf

    _, xml = get_xml_from_pdf(path.read_bytes(), check_xsd=False)
    text = page_text(path)
    truth, unprinted = {}, {}
    for name, value in xml_truth(xml).items():
        (truth if printed(name, value, text) else unprinted)[name] = value
    if "invoice_number" not in truth:
        return None, unprinted
    return Invoice(path, lang, layout, truth), unprinted


# The Factur-X / ZUGFeRD PDFs of the shared corpus not already in tests/data/extraction/real, by layout (the
# printed page's look: three FNFE-MPE samples share one, three ZUGFeRD 2.0 samples the FeRD stylesheet's).
# Split by layout, so that no held-out invoice shares a layout with a tuned one: `tune` was read and improved
# on, `held` was read once before and once after, never looked into.
FILES = {
    "Facture_FR_BASICWL.pdf": ("fr", "fnfe", "tune"),
    "Facture_FR_EN16931.pdf": ("fr", "fnfe", "tune"),
    "Facture_FR_MINIMUM.pdf": ("fr", "fnfe", "tune"),
    "ZUGFeRD_1p0_BASIC_Einfach.pdf": ("de", "zugferd1", "tune"),
    "zugferd_2p0_BASIC_Rechnungskorrektur.pdf": ("de", "ferd-stylesheet", "held"),
    "zugferd_2p0_EXTENDED_Rechnungskorrektur.pdf": ("de", "ferd-stylesheet", "held"),
    "zugferd_2p0_EN16931_Elektron.pdf": ("de", "ferd-stylesheet", "held"),
    "EXTENDED_Fremdwaehrung_wdis_fx-pdfa4.pdf": ("de", "dwc-stylesheet", "held"),
    # sample_inofficial_20190125_atgp_factur-x_v_1_0.pdf carries the XML of another invoice (FA-2017-0010):
    # facturx_invoice leaves it out
}


def facturx_sets(folder: Path = HERE) -> dict[str, list[Invoice]]:
    """{half: invoices} of the FILES found in `folder`, their truth from their XML, only what the page prints."""
    sets: dict[str, list[Invoice]] = {}
    for name, (lang, layout, half) in FILES.items():
        if not (folder / name).exists():
            continue
        invoice, _ = facturx_invoice(folder / name, lang, layout)
        if invoice is not None:
            sets.setdefault(half, []).append(invoice)
    return sets
