"""From what the extraction found in a PDF (extraction.py's `to_dict()`) to prefilled invoice columns.

A field read with a confidence under the threshold (reading/finder.THRESHOLD) is not prefilled: the form
shows it as a hint to check. A value that does not fit (a number too long, a SIRET of no structure that can
receive, a service code the recipient does not have) is simply not prefilled: the user types it, nothing
is refused.

The recipient is chosen among every SIRET the PDF shows (each with the role its neighbourhood gives it):
the one announced as the client's first, then the others, never the depositing structure's own, and only
a public structure that can receive invoices.
"""

from __future__ import annotations

from typing import Any

from backend.domain.invoices import rules
from backend.domain.invoices.fields import parse_date, parse_money, parse_text
from backend.domain.invoices.reading.finder import THRESHOLD
from backend.domain.structures import store as structures_store
from backend.infra.errors import DomainError

# extraction field name -> form/API field name (the hints on the form use the latter)
FORM_FIELD = {
    "invoice_number": "number", "invoice_date": "invoice_date", "due_date": "due_date", "engagement_number": "engagement_number",
    "purchase_order": "purchase_order", "total_ht": "total_ht", "total_tva": "total_tva", "total_ttc": "total_ttc",
    "net_a_payer": "net_a_payer", "currency": "currency", "recipient_siret": "recipient", "service_code": "recipient_service",
    "iban": "iban",
}


def found_fields(extraction: Any) -> dict[str, dict[str, Any]]:
    """{form field: {value, page, box, confidence, low, …}} for the fields the extraction found, sure or not,
    each with the reading's kind (« ocr » says the text was recognised on an image)."""
    extraction = extraction or {}
    fields = extraction.get("fields") or {}
    kind = extraction.get("kind")
    return {FORM_FIELD[name]: {**found, "kind": kind} for name, found in fields.items() if name in FORM_FIELD}


def sure(found: dict[str, Any] | None) -> bool:
    return bool(found) and not found.get("low") and float(found.get("confidence", 0)) >= THRESHOLD


async def prefill(extraction: Any, *, supplier_structure_id: int) -> dict[str, Any]:
    read = found_fields(extraction)
    found = {name: item.get("value") for name, item in read.items() if sure(item)}
    values: dict[str, Any] = {}

    def keep(column: str, parse) -> None:
        try:
            value = parse(found.get(column))
        except (DomainError, rules.InvoiceRuleError, ValueError):
            return
        if value is not None:
            values[column] = value

    if found.get("number"):
        try:
            number = rules.check_invoice_number(found["number"])
            values["number"], values["number_norm"] = number, rules.invoice_number_key(number)
        except rules.InvoiceRuleError:
            pass
    keep("invoice_date", lambda v: parse_date("invoice_date", v))
    keep("due_date", lambda v: parse_date("due_date", v))
    for column in ("total_ht", "total_tva", "total_ttc", "net_a_payer"):
        keep(column, lambda v, c=column: parse_money(c, v))
    keep("engagement_number", lambda v: parse_text("engagement_number", v))
    keep("purchase_order", lambda v: parse_text("purchase_order", v))
    if found.get("iban") and len(found["iban"]) <= 34:
        values["iban"] = found["iban"]
    if found.get("currency") and len(found["currency"]) == 3:
        values["currency"] = found["currency"].upper()
    if "net_a_payer" not in values and "total_ttc" in values:
        values["net_a_payer"] = values["total_ttc"]  # nothing prepaid unless the invoice says so
    recipient_id = await _recipient(extraction, read.get("recipient"), supplier_structure_id)
    if recipient_id is not None:
        values["recipient_structure_id"] = recipient_id
        if found.get("recipient_service"):
            service_id = await structures_store.service_id_of(recipient_id, code=found["recipient_service"])
            if service_id is not None:
                values["recipient_service_id"] = service_id
    return values


def recipient_candidates(extraction: Any, recipient: dict[str, Any] | None) -> list[str]:
    """The SIRETs that may be the recipient's, likeliest first: the one read as the client's (if sure), then
    those of no known role, then those read as the supplier's (a PDF may put both in one block)."""
    sirets = (extraction or {}).get("sirets") or []
    order = {"recipient": 0, None: 1, "supplier": 2}
    ranked = sorted(sirets, key=lambda s: (order.get(s.get("role"), 1), -float(s.get("confidence", 0))))
    seen: list[str] = []
    if sure(recipient):
        seen.append(recipient["value"])
    for siret in ranked:
        if siret.get("value") and siret["value"] not in seen:
            seen.append(siret["value"])
    return seen


async def _recipient(extraction: Any, recipient: dict[str, Any] | None, supplier_structure_id: int) -> int | None:
    """The first candidate that is a public structure able to receive, other than the depositing one."""
    own = await structures_store.structure_identifier(supplier_structure_id)
    for siret in recipient_candidates(extraction, recipient)[:4]:
        if siret == own:
            continue  # the depositing structure's own SIRET is never its recipient
        found = await structures_store.public_structure_id_by_siret(siret, excluding=supplier_structure_id)
        if found is not None:
            return found
    return None
