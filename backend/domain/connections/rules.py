"""Rules of machine connections, without I/O: scopes, the `cpro-account` header, the PISTE vocabulary
(flow syntaxes, flow states, processing statuses), pagination, webhook signatures and addresses.

Where the open-source clients disagree the choice is written in docs/piste-api.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import shared.i18n_connections  # noqa: F401  (registers the texts of these refusals)
from backend.domain.invoices.rules import DeclaredAmounts, DeclaredVat
from shared.errors import DomainError

TOKEN_LIFETIME_SECONDS = 3600
MAX_PAGE_SIZE = 100
# rechercher/* pages through at most this many invoices (the lists are keyset-paged underneath).
MAX_SEARCHED = 2000


class Scope(StrEnum):
    DEPOSIT = "deposit"      # deposer/*, soumettre, completer, recycler
    SEARCH = "search"        # rechercher/*, consulter/*, consulterCR*, telecharger
    PROCESS = "process"      # traiter/*
    DIRECTORY = "directory"  # structures/*, reference lists, SIRET information


# Their names for people are in the catalogue: `conn.scope.<value>` (shared/i18n_connections.py).


class RuleError(DomainError):
    """A refusal of these rules; its French and English texts are in shared/i18n_connections.py (error.<code>)."""


def _choices(values: list[str] | tuple[str, ...], kind: type[StrEnum], unknown: str, required: str) -> list[str]:
    """The known values among `values`, without repeats; RuleError for an unknown one or none at all.
    `unknown`: the code of the refusal of one (its text takes {value}); `required`: the code when none is given."""
    chosen: list[str] = []
    for item in values:
        try:
            value = str(kind(item.strip().lower()))
        except ValueError:
            raise RuleError(unknown, value=item) from None
        if value not in chosen:
            chosen.append(value)
    if not chosen:
        raise RuleError(required)
    return chosen


def parse_scopes(values: list[str] | tuple[str, ...] | str) -> list[str]:
    """The scopes asked for, known and without repeats; refused when one is unknown or none is given."""
    return _choices(values.split() if isinstance(values, str) else values, Scope,
                    "portee_inconnue", "portee_requise")


def parse_cpro_account(header: str | None) -> tuple[str, str] | None:
    """(login, password) from `cpro-account: base64(login:password)`, or None when it is not that."""
    if not header:
        return None
    try:
        decoded = base64.b64decode(header.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    login, sep, password = decoded.partition(":")
    if not sep or not login or not password:
        return None
    return login, password


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    kind, _, token = header.strip().partition(" ")
    return token.strip() or None if kind.lower() == "bearer" else None


def secret_hash(secret: str) -> str:
    """Client secrets are 32 random bytes: SHA-256 is enough (nothing to guess), and cheap on each token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(secret), stored_hash)


# Flows -------------------------------------------------------------------------------------------

# syntaxeFlux → (the lot's deposit format, its syntax): Chorale's lots integrate UBL, CII 16B and Factur-X.
FLUX_SYNTAXES: dict[str, tuple[str, str]] = {
    "IN_DP_E1_UBL_INVOICE": ("XML_STRUCTURE", "UBL"),
    "IN_DP_E1_CII_16B": ("XML_STRUCTURE", "CII"),
    "IN_DP_E2_UBL_INVOICE_MIN": ("XML_STRUCTURE", "UBL"),
    "IN_DP_E2_CII_MIN_16B": ("XML_STRUCTURE", "CII"),
    "IN_DP_E2_CII_FACTURX": ("PDF_FACTURX", "FACTURX"),
    "IN_DP_E1_CII_FACTURX": ("PDF_FACTURX", "FACTURX"),
}
EXTENSIONS = {"XML_STRUCTURE": ".xml", "PDF_FACTURX": ".pdf"}

# The lot's status → Chorus Pro's etatCourantFlux.
FLOW_STATES = {"RECU": "IN_RECU", "EN_COURS": "IN_TRAITE_SE_CPP", "TRAITE": "IN_INTEGRE", "PARTIEL": "IN_INTEGRE_PARTIEL",
               "REJETE": "IN_REJETE"}
FINAL_FLOW_STATES = frozenset({"IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE"})
_LOT_NUMBER = re.compile(r"^CPP\d{4}(\d{18})$")


def flux_syntax(value: str | None) -> tuple[str, str]:
    try:
        return FLUX_SYNTAXES[(value or "").strip()]
    except KeyError:
        raise RuleError("syntaxe_flux_inconnue", value=value, values=", ".join(FLUX_SYNTAXES)) from None


def flux_file_name(name: str, deposit_format: str) -> str:
    """The file's name inside the lot, with the extension its format needs."""
    base = (name or "flux").replace("/", "_").replace("\\", "_").strip() or "flux"
    ext = EXTENSIONS[deposit_format]
    return base if base.lower().endswith(ext) else base + ext


def decode_file(value: str | None) -> bytes:
    if not value:
        raise RuleError("fichier_flux_requis")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise RuleError("fichier_flux_invalide") from None
    if not data:
        raise RuleError("fichier_flux_vide")
    return data


def lot_id_of(flow_number: str | None) -> int | None:
    """A flow's number is its lot's (CPP + year + the lot's id on eighteen digits); None when it is not one.
    The caller checks the lot found carries exactly this number."""
    match = _LOT_NUMBER.match((flow_number or "").strip())
    return int(match.group(1)) if match else None


# Processing --------------------------------------------------------------------------------------

# traiter/recue's nouveauStatut → the recipient's action (Chorus Pro's REJETEE is Chorale's refusal).
PROCESSING_ACTIONS = {"SERVICE_FAIT": "VALIDATE", "MISE_A_DISPOSITION_COMPTABLE": "VALIDATE", "REJETEE": "REFUSE",
                      "REFUSEE": "REFUSE", "SUSPENDUE": "SUSPEND", "A_RECYCLER": "RECYCLE", "MANDATEE": "MANDATE",
                      "MISE_EN_PAIEMENT": "PUT_IN_PAYMENT"}
VALIDATION_ACTIONS = {"VALIDER": "VALIDATE_HOLDER", "REFUSER": "REFUSE"}


def processing_action(new_status: str | None) -> str:
    try:
        return PROCESSING_ACTIONS[(new_status or "").strip().upper()]
    except KeyError:
        raise RuleError("statut_cible_invalide", value=new_status, values=", ".join(PROCESSING_ACTIONS)) from None


# Pagination --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    size: int
    number: int  # from 1
    column: str | None
    descending: bool


def page_of(params: dict[str, Any] | None) -> Page:
    """PISTE's pagination block; `triSense` (the Go client's spelling) is read as `triSens`."""
    params = params or {}

    def integer(name: str, default: int) -> int:
        try:
            return int(params.get(name) or default)
        except (TypeError, ValueError):
            raise RuleError("pagination_invalide", name=name) from None

    size = max(1, min(integer("nbResultatsParPage", 10), MAX_PAGE_SIZE))
    number = max(1, integer("pageResultatDemandee", 1))
    sens = str(params.get("triSens") or params.get("triSense") or "Descendant").strip().lower()
    return Page(size=size, number=number, column=params.get("triColonne"), descending=not sens.startswith("asc"))


def paginate(items: list, page: Page) -> tuple[list, dict[str, int]]:
    total = len(items)
    pages = max(1, -(-total // page.size))
    start = (page.number - 1) * page.size
    return items[start:start + page.size], {"nbResultatsParPage": page.size, "pageCourante": page.number, "pages": pages,
                                              "total": total}


# Webhooks ----------------------------------------------------------------------------------------

class WebhookEvent(StrEnum):
    INVOICE_STATUS = "facture.statut"      # an invoice's status changed
    FLOW_INTEGRATED = "flux.integre"       # a deposited flow (a lot) reached its final state
    INVOICE_RECEIVED = "facture.recue"     # an invoice was made available to the recipient


# Their names for people: `conn.event.<value>` (shared/i18n_connections.py).
RETRY_DELAYS = (5, 30, 120, 600, 3600)  # seconds before each new attempt: 6 attempts in all
SIGNATURE_HEADER = "X-Chorale-Signature"
TIMESTAMP_HEADER = "X-Chorale-Timestamp"


def parse_events(values: list[str]) -> list[str]:
    return _choices(values, WebhookEvent, "evenement_inconnu", "evenement_requis")


def signature(secret: str, timestamp: int, body: str) -> str:
    """HMAC-SHA256 over "timestamp.body": a receiver checks it and refuses stale timestamps (replays)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def retry_delay(attempt_count: int) -> int | None:
    """Seconds before the next attempt after `attempt_count` failed ones; None: give up."""
    return RETRY_DELAYS[attempt_count - 1] if 0 < attempt_count <= len(RETRY_DELAYS) else None


def check_webhook_url(url: str, *, allow_loopback: bool) -> tuple[str, int]:
    """(host, port) of an acceptable endpoint: HTTPS, or plain HTTP to loopback when allowed (tests, demo)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RuleError("url_invalide", variant="format")
    if parts.username or parts.password:
        raise RuleError("url_invalide", variant="identifiants")
    if parts.scheme == "http" and not (allow_loopback and is_loopback_name(parts.hostname)):
        raise RuleError("https_requis")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def is_loopback_name(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refused_address(address: str, *, allow_loopback: bool) -> bool:
    """A resolved address a webhook must not reach (SSRF): private, link-local (cloud metadata), reserved…"""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return not allow_loopback
    return not ip.is_global or ip.is_multicast


# The PDF path (deposer/pdf then soumettre), recycling, grouped downloads ---------------------------

PDF_DEPOSIT_FORMATS = ("PDF_NON_SIGNE", "PDF_SIGNE_PADES", "PDF_SIGNE_XADES")
SUBMIT_MODES = ("DEPOT_PDF_API", "SAISIE_API")  # a deposer/pdf upload, or an invoice typed in field by field
MAX_DOWNLOAD_INVOICES = 100
MAX_DOWNLOAD_BYTES = 30 * 1024 * 1024  # the files themselves; base64 in the JSON adds a third
DOWNLOAD_FORMATS = ("PDF", "XML", "ZIP")


def pdf_deposit_format(value: str | None) -> str:
    chosen = (value or "PDF_NON_SIGNE").strip().upper()
    if chosen not in PDF_DEPOSIT_FORMATS:
        raise RuleError("format_depot_inconnu", value=str(value)[:40], values=", ".join(PDF_DEPOSIT_FORMATS))
    return chosen


def _section(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuleError("objet_requis", name=name)
    return value


def main_attachment_id(body: dict[str, Any]) -> int:
    """pieceJointePrincipale's id: an object for go-choruspro, a list of one for PISTE's documentation."""
    value = body.get("pieceJointePrincipale")
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    found = value.get("pieceJointePrincipaleId", value.get("pieceJointeId")) if isinstance(value, dict) else None
    if isinstance(found, bool) or not isinstance(found, int | str) or not str(found).isdigit() or not 0 < int(found) < 2**63:
        raise RuleError("piece_jointe_principale_requise")
    return int(found)


def submit_mode(value: str | None) -> str:
    chosen = (value or "DEPOT_PDF_API").strip().upper()
    if chosen not in SUBMIT_MODES:
        raise RuleError("mode_depot_non_pris_en_charge", value=str(value)[:40])
    return chosen


def cadre_code(value: Any) -> str | None:
    """Chorus Pro's « A1_FACTURE_FOURNISSEUR » is Chorale's cadre « A1 » (the invoices slice checks it)."""
    text = str(value or "").strip().upper()
    return text.split("_", 1)[0] or None


# soumettre / recycler JSON → the invoices slice's API field names (fields.py EDITABLE).
_TOTALS = {"montantHtTotal": "total_ht", "montantTVA": "total_tva", "montantTtcTotal": "total_ttc", "montantAPayer": "net_a_payer"}
# numeroBonCommande carries the engagement (EJ) a public buyer requires, as BT-13 does in a flow (einvoice/reading.py).
_REFERENCES = {"deviseFacture": "currency", "numeroBonCommande": "engagement_number"}
_RECIPIENT = {"codeDestinataire": "recipient_siret", "codeServiceExecutant": "recipient_service_code"}


def routing_fields(body: dict[str, Any], references_key: str = "references") -> dict[str, Any]:
    """The recipient and references a soumettre or a recycler sets (only the fields given)."""
    fields: dict[str, Any] = {}
    for source, names in ((_section(body, "destinataire"), _RECIPIENT), (_section(body, references_key), _REFERENCES)):
        for name, field in names.items():
            if source.get(name) not in (None, ""):
                fields[field] = source[name]
    if body.get("commentaire") not in (None, ""):
        fields["comment"] = body["commentaire"]
    return fields


def submitted_fields(body: dict[str, Any]) -> dict[str, Any]:
    """soumettre's invoice data, over what the PDF's reading prefilled."""
    fields = routing_fields(body)
    for name, field in (("numeroFactureSaisi", "number"), ("dateFacture", "invoice_date")):
        if body.get(name) not in (None, ""):
            fields[field] = body[name]
    for name, field in _TOTALS.items():
        value = _section(body, "montantTotal").get(name)
        if value not in (None, ""):
            fields[field] = value
    framework = _section(body, "cadreDeFacturation")
    if framework.get("codeCadreFacturation"):
        fields["cadre"] = cadre_code(framework["codeCadreFacturation"])
    if framework.get("codeStructureValideur"):
        fields["holder_siret"] = framework["codeStructureValideur"]
    return fields


# soumettre in SAISIE_API: an invoice typed in field by field ------------------------------------------

@dataclass(frozen=True)
class TypedInvoice:
    """soumettre's SAISIE_API body in the portal's « Saisir une facture » terms: its header and lines as the
    typed-in form sends them (invoices slice, manual.py), and the amounts the client stated beside them."""

    header: dict[str, Any]
    lines: list[dict[str, Any]]
    declared: DeclaredAmounts


_VAT_CODE = re.compile(r"^TVA(\d{1,2})(?:[_.,](\d{1,2}))?$")
# Chorus Pro's free-text units (lignePosteUnite) as UN/ECE Recommendation 20 codes (BT-130); a code is kept.
_UNITS = {"unite": "C62", "unité": "C62", "piece": "C62", "pièce": "C62", "heure": "HUR", "heures": "HUR", "jour": "DAY",
          "jours": "DAY", "mois": "MON", "an": "ANN", "annee": "ANN", "année": "ANN", "kg": "KGM", "kilogramme": "KGM",
          "litre": "LTR", "m": "MTR", "metre": "MTR", "mètre": "MTR", "m2": "MTK", "m3": "MTQ", "forfait": "LS", "lot": "LS"}
_UNIT_CODE = re.compile(r"^[A-Z0-9]{2,3}$")


def vat_rate_of(code: Any, manual: Any, name: str) -> str:
    """A line's or VAT line's rate: a code of recuperer/tauxtva (TVA20, TVA5_5…) or a manual rate (a number);
    "" when neither is given (the invoices slice then says the rate is missing)."""
    if code not in (None, ""):
        found = _VAT_CODE.match(str(code).strip().upper())
        if not found:
            raise RuleError("taux_tva_code_inconnu", name=name, value=str(code)[:20])
        return f"{found[1]}.{found[2]}" if found[2] else found[1]
    return "" if manual in (None, "") else _text(manual)


def unit_code(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return "C62"
    return text.upper() if _UNIT_CODE.match(text.upper()) and text.lower() not in _UNITS else _UNITS.get(text.lower(), "C62")


def _text(value: Any) -> str:
    # A JSON number (a float) as its shortest decimal, as a person would have typed it: 4.99, 0.00001.
    return format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value)


def _decimal(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(_text(value))
    except InvalidOperation:
        raise RuleError("montant_piste_invalide", name=name) from None
    if not number.is_finite():
        raise RuleError("montant_piste_invalide", name=name)
    return number


def _items(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RuleError("liste_requise", name=name)
    return value


def _line(item: dict[str, Any], index: int, exemption: str | None) -> dict[str, Any]:
    name = f"lignePoste[{index}]"
    description = str(item.get("lignePosteDenomination") or item.get("lignePosteReference") or "").strip()
    line = {"description": description, "unit": unit_code(item.get("lignePosteUnite")),
            "quantity": "" if item.get("lignePosteQuantite") is None else _text(item["lignePosteQuantite"]),
            "unit_price": "" if item.get("lignePosteMontantUnitaireHT") is None else _text(item["lignePosteMontantUnitaireHT"]),
            "vat_rate": vat_rate_of(item.get("lignePosteTauxTva"), item.get("lignePosteTauxTvaManuel"), f"{name}.lignePosteTauxTva")}
    if item.get("lignePosteMontantRemiseHT") not in (None, ""):
        line["discount"] = _text(item["lignePosteMontantRemiseHT"])
    if exemption and line["vat_rate"] not in ("", None) and Decimal(line["vat_rate"]) == 0:
        line["exemption_reason"] = exemption
    return line


def typed_invoice(body: dict[str, Any]) -> TypedInvoice:
    """soumettre's SAISIE_API fields → the typed-in form's header and lines, and the stated amounts.

    Header as for DEPOT_PDF_API (submitted_fields), plus references.typeFacture (FACTURE or AVOIR),
    modePaiement (the payment terms' text) and pieceJointeComplementaire (attachments). Lines from
    lignePoste, in lignePosteNumero order when every line has one. The totals (montantTotal) and VAT lines
    (ligneTva) are not typed in but computed from the lines, as the portal computes them: what the client
    states is only compared with them (invoices rules, check_declared_amounts)."""
    references = _section(body, "references")
    header = {key: value for key, value in submitted_fields(body).items() if key not in _TOTALS.values()}
    kind = str(references.get("typeFacture") or "FACTURE").strip().upper()
    if kind not in ("FACTURE", "AVOIR"):
        raise RuleError("type_facture_inconnu", value=kind[:20])
    header["kind"] = kind
    if references.get("modePaiement") not in (None, ""):
        header["payment_terms"] = str(references["modePaiement"])
    attachments = _items(body, "pieceJointeComplementaire")
    if attachments:
        header["attachments"] = [{"file_id": item.get("pieceJointeComplementaireId"),
                                  "designation": item.get("pieceJointeComplementaireDesignation")} for item in attachments]
    items = _items(body, "lignePoste")
    if items and all(isinstance(item.get("lignePosteNumero"), int) for item in items):
        items = sorted(items, key=lambda item: item["lignePosteNumero"])
    exemption = str(references.get("motifExonerationTva") or "").strip() or None
    lines = [_line(item, index, exemption) for index, item in enumerate(items)]
    totals = _section(body, "montantTotal")
    if _decimal(totals.get("montantRemiseGlobaleTTC"), "montantTotal.montantRemiseGlobaleTTC"):
        raise RuleError("remise_globale_non_prise_en_charge")
    vats = []
    for index, item in enumerate(_items(body, "ligneTva")):
        name = f"ligneTva[{index}]"
        # ligneTvaTaux for go-choruspro, ligneTvaTauxRefCode for PISTE's documentation: both are read.
        rate = vat_rate_of(item.get("ligneTvaTaux") or item.get("ligneTvaTauxRefCode"), item.get("ligneTvaTauxManuel"), f"{name}.ligneTvaTaux")
        if rate == "":
            raise RuleError("taux_tva_requis", name=f"{name}.ligneTvaTaux")
        vats.append(DeclaredVat(Decimal(rate), _decimal(item.get("ligneTvaMontantBaseHtParTaux"), f"{name}.ligneTvaMontantBaseHtParTaux"),
                                _decimal(item.get("ligneTvaMontantTvaParTaux"), f"{name}.ligneTvaMontantTvaParTaux")))
    declared = DeclaredAmounts(**{field: _decimal(totals.get(name), f"montantTotal.{name}") for name, field in _TOTALS.items()},
                               vat_breakdown=tuple(vats))
    return TypedInvoice(header, lines, declared)


# The invoices slice's field names (its errors' `field`) → soumettre's, so a refusal names what the client sent.
_LINE_FIELDS = {"description": "lignePosteDenomination", "quantity": "lignePosteQuantite", "unit_price": "lignePosteMontantUnitaireHT",
                "discount": "lignePosteMontantRemiseHT", "vat_rate": "lignePosteTauxTva", "unit": "lignePosteUnite",
                "exemption_reason": "references.motifExonerationTva"}
_VAT_FIELDS = {"rate": "ligneTvaTaux", "base": "ligneTvaMontantBaseHtParTaux", "amount": "ligneTvaMontantTvaParTaux"}
_HEADER_FIELDS = {
    "number": "numeroFactureSaisi", "invoice_date": "dateFacture", "recipient": "destinataire.codeDestinataire",
    "recipient_siret": "destinataire.codeDestinataire", "recipient_service": "destinataire.codeServiceExecutant",
    "recipient_service_code": "destinataire.codeServiceExecutant", "engagement_number": "references.numeroBonCommande",
    "currency": "references.deviseFacture", "kind": "references.typeFacture", "payment_terms": "references.modePaiement",
    "cadre": "cadreDeFacturation.codeCadreFacturation", "holder": "cadreDeFacturation.codeStructureValideur",
    "holder_siret": "cadreDeFacturation.codeStructureValideur", "comment": "commentaire", "lines": "lignePoste",
    "vat_breakdown": "ligneTva", "attachments": "pieceJointeComplementaire", "structure_id": "fournisseur.idFournisseur",
    **{field: f"montantTotal.{name}" for name, field in _TOTALS.items()}}
_INDEXED = re.compile(r"^(lines|vat_breakdown)\[(\d+)\]\.(\w+)$")


def piste_field(field: str | None) -> str | None:
    """An invoices-slice field as soumettre names it: lines[1].quantity → lignePoste[1].lignePosteQuantite,
    total_ht → montantTotal.montantHtTotal; a name it does not know is kept."""
    if not field:
        return field
    found = _INDEXED.match(field)
    if found:
        group, index, name = found.groups()
        names, prefix = (_LINE_FIELDS, "lignePoste") if group == "lines" else (_VAT_FIELDS, "ligneTva")
        named = names.get(name, name)
        return named if named.startswith("references.") else f"{prefix}[{index}].{named}"
    return _HEADER_FIELDS.get(field, field)


@dataclass(frozen=True)
class DownloadRequest:
    invoice_ids: tuple[int, ...]
    zip: bool
    with_attachments: bool


def download_request(body: dict[str, Any]) -> DownloadRequest:
    """telecharger/groupe: listeFacture [{idFacture}] (at most MAX_DOWNLOAD_INVOICES), format, avecPiecesJointesComplementaires."""
    items = body.get("listeFacture")
    if not isinstance(items, list) or not items:
        raise RuleError("liste_factures_requise")
    if len(items) > MAX_DOWNLOAD_INVOICES:
        raise RuleError("trop_de_factures", max=MAX_DOWNLOAD_INVOICES)
    ids: list[int] = []
    for item in items:
        value = item.get("idFacture") if isinstance(item, dict) else item
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit() or not 0 < int(value) < 2**63:
            raise RuleError("liste_factures_requise")
        if int(value) not in ids:
            ids.append(int(value))
    chosen = str(body.get("format") or "PDF").strip().upper()
    if chosen not in DOWNLOAD_FORMATS:
        raise RuleError("format_telechargement_inconnu", value=chosen[:20], values=", ".join(DOWNLOAD_FORMATS))
    attachments = str(body.get("avecPiecesJointesComplementaires") or "NON").strip().upper()
    if attachments not in ("OUI", "NON"):
        raise RuleError("oui_ou_non", name="avecPiecesJointesComplementaires")
    return DownloadRequest(tuple(ids), chosen == "ZIP", attachments == "OUI")


def _safe_part(text: str | None, fallback: str) -> str:
    # No separator, no leading dot: an ERP unzipping the answer writes inside its own folder (no zip slip).
    return re.sub(r"[\\/\x00-\x1f]", "_", text or "").lstrip(". ") or fallback


def zip_entry_name(invoice_id: int, number: str | None, file_id: int, original_name: str | None) -> str:
    """A file's place in telecharger/groupe's ZIP: one folder per invoice, its files' names kept."""
    return f"{invoice_id}_{_safe_part(number, 'facture')}/{file_id}_{_safe_part(original_name, 'fichier')}"
