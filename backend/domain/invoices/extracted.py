"""From what the extraction found in a PDF (extraction.py's `to_dict()`) to prefilled invoice columns.

A value that does not fit (a number too long, a SIRET of no registered public structure, a service
code the recipient does not have) is simply not prefilled: the user types it, nothing is refused.
"""

from __future__ import annotations

import json
from typing import Any

from backend.domain.invoices import rules
from backend.domain.invoices.fields import parse_date, parse_money, parse_text
from backend.infra.errors import ChoraleError

# extraction field name -> form/API field name (the hints on the form use the latter)
FORM_FIELD = {
    "invoice_number": "number", "invoice_date": "invoice_date", "engagement_number": "engagement_number",
    "total_ht": "total_ht", "total_tva": "total_tva", "total_ttc": "total_ttc", "net_a_payer": "net_a_payer",
    "currency": "currency", "recipient_siret": "recipient", "service_code": "recipient_service",
}


def found_fields(extraction: Any) -> dict[str, dict[str, Any]]:
    """{form field: {value, page, confidence, …}} for the fields the extraction found."""
    if isinstance(extraction, str):
        extraction = json.loads(extraction)
    fields = (extraction or {}).get("fields") or {}
    return {FORM_FIELD[name]: found for name, found in fields.items() if name in FORM_FIELD}


async def prefill(conn, extraction: Any, *, supplier_structure_id: int) -> dict[str, Any]:
    found = {name: item.get("value") for name, item in found_fields(extraction).items()}
    values: dict[str, Any] = {}

    def keep(column: str, parse) -> None:
        try:
            value = parse(found.get(column))
        except (ChoraleError, rules.InvoiceRuleError, ValueError):
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
    for column in ("total_ht", "total_tva", "total_ttc", "net_a_payer"):
        keep(column, lambda v, c=column: parse_money(c, v))
    keep("engagement_number", lambda v: parse_text("engagement_number", v))
    if found.get("currency") and len(found["currency"]) == 3:
        values["currency"] = found["currency"].upper()
    if "net_a_payer" not in values and "total_ttc" in values:
        values["net_a_payer"] = values["total_ttc"]  # nothing prepaid unless the invoice says so
    if found.get("recipient"):
        recipient = await conn.fetchrow(
            "SELECT id FROM structure WHERE identifier = $1 AND is_public AND id <> $2 ORDER BY active DESC, id LIMIT 1",
            found["recipient"], supplier_structure_id)
        if recipient is not None:
            values["recipient_structure_id"] = recipient["id"]
            if found.get("recipient_service"):
                service_id = await conn.fetchval(
                    "SELECT id FROM service WHERE structure_id = $1 AND lower(code) = lower($2)",
                    recipient["id"], found["recipient_service"])
                if service_id is not None:
                    values["recipient_service_id"] = service_id
    return values
