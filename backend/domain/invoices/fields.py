"""Parsing the editable fields of an invoice (API JSON or form values) into column values.

Each bad value is a ChoraleError naming its field, with a French message the form shows beside it.
Money is accepted as "1234.5", "1 234,50" or a number, and kept as Decimal rounded half-up to the cent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from backend.infra.errors import ChoraleError

CENT = Decimal("0.01")
MONEY_FIELDS = ("total_ht", "total_tva", "total_ttc", "net_a_payer")
TEXT_LIMITS = {"number": 20, "engagement_number": 50, "purchase_order": 50}
LABELS = {
    "number": ("numéro de facture", "invoice number"), "invoice_date": ("date de facture", "invoice date"),
    "engagement_number": ("numéro d'engagement", "commitment number"),
    "purchase_order": ("numéro de bon de commande", "purchase order number"),
    "total_ht": ("montant HT", "amount excl. VAT"), "total_tva": ("montant TVA", "VAT amount"),
    "total_ttc": ("montant TTC", "amount incl. VAT"), "net_a_payer": ("net à payer", "amount due"),
    "currency": ("devise", "currency"),
}
# The structures an invoice names by SIRET (whose? in French, in English).
SIRET_FIELDS = {"recipient_siret": ("du destinataire", "recipient's"), "holder_siret": ("du titulaire", "holder's"),
                "project_manager_siret": ("de la maîtrise d'œuvre", "project manager's")}
# Keys the API accepts; anything else is refused rather than silently ignored.
EDITABLE = frozenset({
    "number", "invoice_date", "engagement_number", "purchase_order", *MONEY_FIELDS, "currency", "cadre",
    "recipient_siret", "recipient_structure_id", "recipient_service_id", "recipient_service_code", "holder_siret",
    "project_manager_siret",
    "supplier_service_id", "attachments", "comment",
})


def invalid(field: str, fr: str, en: str, code: str = "champ_invalide") -> ChoraleError:
    return ChoraleError(code, fr, en, field=field, status_code=422)


def parse_money(field: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".") if text.count(",") == 1 and "." in text else text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        fr, en = LABELS[field]
        raise invalid(field, f"Le {fr} doit être un montant (par exemple 1250,00).",
                      f"The {en} must be an amount (e.g. 1250.00).") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        fr, en = LABELS[field]
        raise invalid(field, f"Le {fr} est hors des limites.", f"The {en} is out of range.")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_date(field: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise invalid(field, "La date de facture doit être au format JJ/MM/AAAA.", "The invoice date must be DD/MM/YYYY.")


def parse_text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        return None
    limit = TEXT_LIMITS.get(field)
    if limit and len(text) > limit:
        fr, en = LABELS[field]
        raise invalid(field, f"Le {fr} dépasse {limit} caractères.", f"The {en} exceeds {limit} characters.")
    return text


def parse_id(field: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(field, "Identifiant invalide.", "Invalid identifier.") from None


def parse_changes(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for the keys present in `raw` (absent keys are left unchanged by the services)."""
    unknown = set(raw) - EDITABLE
    if unknown:
        field = sorted(unknown)[0]
        raise invalid(field, f"Champ inconnu : {field}.", f"Unknown field: {field}.")
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        if key in MONEY_FIELDS:
            changes[key] = parse_money(key, value)
        elif key == "invoice_date":
            changes[key] = parse_date(key, value)
        elif key in ("number", "engagement_number", "purchase_order", "comment", "recipient_service_code"):
            changes[key] = parse_text(key, value)
        elif key in ("recipient_structure_id", "recipient_service_id", "supplier_service_id"):
            changes[key] = parse_id(key, value)
        elif key in SIRET_FIELDS:
            digits = re.sub(r"\s", "", str(value or ""))
            if digits and not re.fullmatch(r"\d{14}", digits):
                fr, en = SIRET_FIELDS[key]
                raise invalid(key, f"Le SIRET {fr} doit compter 14 chiffres.", f"The {en} SIRET must have 14 digits.")
            changes[key] = digits or None
        elif key == "currency":
            code = str(value or "EUR").strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise invalid(key, "La devise doit être un code ISO à trois lettres (EUR).", "The currency must be a three-letter ISO code (EUR).")
            changes[key] = code
        elif key == "cadre":
            changes[key] = str(value or "").strip().upper() or None
        elif key == "attachments":
            changes[key] = parse_attachments(value)
    return changes


def parse_attachments(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid("attachments", "Liste de pièces jointes invalide.", "Invalid attachment list.")
    items = []
    for item in value:
        if not isinstance(item, Mapping) or "file_id" not in item:
            raise invalid("attachments", "Chaque pièce jointe doit indiquer son fichier (file_id).",
                          "Each attachment must name its file (file_id).")
        designation = parse_text("designation", item.get("designation"))
        if designation and len(designation) > 200:
            raise invalid("attachments", "La désignation dépasse 200 caractères.", "The designation exceeds 200 characters.")
        items.append({"file_id": parse_id("attachments", item["file_id"]), "designation": designation})
    return items
