"""Parsing the editable fields of an invoice (API JSON or form values) into column values.

Each bad value is a DomainError naming its field, with a French message the form shows beside it.
Money is accepted as "1234.5", "1 234,50" or a number, and kept as Decimal rounded half-up to the cent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from backend.infra.errors import DomainError
import shared.i18n_labels  # noqa: F401  (registers the field names)
from shared import formatting
from shared.i18n import has, t

CENT = Decimal("0.01")
MONEY_FIELDS = ("total_ht", "total_tva", "total_ttc", "net_a_payer")
# Lengths of the columns, and bounds for free text a form has no reason to exceed (a 900 KB comment is an attack).
TEXT_LIMITS = {"number": 20, "engagement_number": 50, "purchase_order": 50, "comment": 2000, "recipient_service_code": 100,
               "payment_terms": 500, "description": 1000, "exemption_reason": 500}
# An invoice date this far from today is a typing error (or an attack on date arithmetic), never a real invoice.
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2100, 12, 31)
MAX_LINES = 1000
MAX_ID = 2**63 - 1  # PostgreSQL bigint
# ISO 4217 currencies in use (table of 2026-01-01; funds, precious metals and the test / « no currency » codes
# XTS, XXX excluded).
CURRENCIES = frozenset("""
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP
CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR
ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD
SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES
VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split())
# The structures an invoice names by SIRET (their owner's name, « du destinataire », is in the catalogue).
SIRET_FIELDS = ("recipient_siret", "holder_siret", "project_manager_siret")
# Keys the API accepts; anything else is refused rather than silently ignored.
EDITABLE = frozenset({
    "number", "invoice_date", "engagement_number", "purchase_order", *MONEY_FIELDS, "currency", "cadre",
    "recipient_siret", "recipient_structure_id", "recipient_service_id", "recipient_service_code", "holder_siret",
    "project_manager_siret",
    "supplier_service_id", "attachments", "comment",
})


def _named(key: str) -> tuple[str, str]:
    """A field's name in French and in English (shared/i18n_labels.py), for the error texts that name it in
    both (`fr=`, `en=`); one the catalogue does not name is « texte »."""
    key = key if has(key) else "invoice_field.text"
    return t(key, "fr"), t(key, "en")


def invalid(field: str, *, code: str = "champ_invalide", variant: str | None = None, **params: object) -> DomainError:
    return DomainError(code, field, variant=variant, status_code=422, **params)


def parse_money(field: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = formatting.parse_amount(value)  # « 1 000,50 », « 1000.50 »… as people type them
    except ValueError:
        fr, en = _named(f"invoice_field.{field}")
        raise invalid(field, variant='fr_doit_etre', fr=fr, en=en) from None
    # adjusted() needs no arithmetic context: abs() of 1e999999999 would raise Overflow instead of answering.
    if not amount.is_finite() or (amount and amount.adjusted() >= 12):
        fr, en = _named(f"invoice_field.{field}")
        raise invalid(field, variant='fr_hors_limites', fr=fr, en=en)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_date(field: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return _in_range(field, value)
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return _in_range(field, datetime.strptime(text, pattern).date())
        except ValueError:
            continue
    raise invalid(field, variant='date_facture_doit')


def _in_range(field: str, day: date) -> date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise invalid(field, code='date_hors_limites', FIRST_DATE=FIRST_DATE, LAST_DATE=LAST_DATE)
    return day


def parse_text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        return None
    if "\x00" in text:  # PostgreSQL refuses NUL in text
        fr, en = _named(f"invoice_field.{field}")
        raise invalid(field, variant='fr_contient_caractere', fr=fr, en=en)
    limit = TEXT_LIMITS.get(field)
    if limit and len(text) > limit:
        fr, en = _named(f"invoice_field.{field}")
        raise invalid(field, variant='fr_depasse_limit', fr=fr, limit=limit, en=en)
    return text


def parse_id(field: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(field, variant='identifiant_invalide') from None
    if not 0 < number <= MAX_ID:
        raise invalid(field, variant='identifiant_invalide')
    return number


def parse_changes(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for the keys present in `raw` (absent keys are left unchanged by the services)."""
    unknown = set(raw) - EDITABLE
    if unknown:
        field = sorted(unknown)[0]
        raise invalid(field, variant='champ_inconnu', name=field)
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
                fr, en = _named(f"invoice_field.siret_owner.{key}")
                raise invalid(key, variant='siret_fr_doit', fr=fr, en=en)
            changes[key] = digits or None
        elif key == "currency":
            code = str(value or "EUR").strip().upper()
            if code not in CURRENCIES:
                raise invalid(key, variant='devise_currency_monnaie', currency=code[:10])
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
        raise invalid("attachments", variant='liste_pieces_jointes')
    items = []
    for item in value:
        if not isinstance(item, Mapping) or "file_id" not in item:
            raise invalid("attachments", variant='chaque_piece_jointe')
        designation = parse_text("designation", item.get("designation"))
        if designation and len(designation) > 200:
            raise invalid("attachments", variant='designation_depasse_200')
        items.append({"file_id": parse_id("attachments", item["file_id"]), "designation": designation})
    return items


def check_manual(header: Mapping[str, Any], lines: Any) -> None:
    """Bounds of a typed invoice the header parsing does not see: its kind, the invoice it credits, its lines
    (how many, their texts, their numbers finite and within the amounts' bounds)."""
    from shared.cadres import InvoiceKind

    kind = header.get("kind")
    if kind not in (None, "") and kind not in {k.value for k in InvoiceKind}:
        raise invalid("kind", variant='type_document_inconnu')
    if header.get("credit_note_of_id") is not None:
        parse_id("credit_note_of_id", header["credit_note_of_id"])
    if header.get("payment_terms") is not None:
        parse_text("payment_terms", header["payment_terms"])
    if not isinstance(lines, (list, tuple)):
        raise invalid("lines", variant='liste_lignes_invalide')
    if len(lines) > MAX_LINES:
        raise invalid("lines", code='trop_de_lignes', MAX_LINES=MAX_LINES)
    for index, line in enumerate(lines):
        if not isinstance(line, Mapping):
            raise invalid(f"lines[{index}]", variant='ligne_line_invalide', line=index + 1)
        for name in ("description", "exemption_reason"):
            if line.get(name) is not None:
                parse_text(name, line[name])
        for name in ("quantity", "unit_price", "discount", "vat_rate"):
            value = line.get(name)
            if value in (None, ""):
                continue
            try:
                number = formatting.parse_amount(value)
            except ValueError:
                try:  # NaN, Infinity, 1e999999999: numbers beyond any bound, said so here
                    number = Decimal(str(value).strip())
                except InvalidOperation:
                    continue  # not a number: the line parser reports it, with its own message
            if not number.is_finite() or (number and number.adjusted() >= 12):
                raise invalid(f"lines[{index}].{name}", variant='ligne_line_valeur', line=index + 1, name=name)
