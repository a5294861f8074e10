"""The PISTE routes' use cases: Chorus Pro's requests and answers, mapped onto Chorale's slices.

Each function takes the authenticated Caller and the request's JSON and answers Chorus Pro's JSON (French
camelCase, `codeRetour` 0 and `libelle` on success). It calls the other slices' use cases with the caller's
principal — whose grants are narrowed to the structures the call may act for — so every right is checked
where it is for a person. A flow (deposer/flux) is a lot of one file: numeroFluxDepot is the lot's number,
consulterCR its status, consulterCRDetaille its report.
"""

from __future__ import annotations

import asyncio
import base64
import io
import zipfile
from collections.abc import AsyncIterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from backend.domain.connections import rules
from backend.domain.connections.rules import RuleError, Scope
from backend.domain.connections.services import Caller, PisteError, from_rule
from backend.domain.dashboard import services as lists
from backend.domain.dashboard.rules import ListFilter
from backend.domain.directory import services as directory
from backend.domain.einvoice.reading import UnreadableInvoice, read_invoice, xml_from_facturx
from backend.domain.invoices import services as invoices
from backend.domain.invoices.unit_of_work import atomic
from backend.domain.lots import services as lots
from backend.domain.processing import services as processing
from backend.domain.structures import store as structures_store
from backend.infra import storage
from backend.infra.errors import ChoraleError, DomainError, NotFound
from shared.invoice_status import InvoiceStatus

OK = {"codeRetour": 0, "libelle": "GCU_MSG_01_000"}


def _int(body: dict[str, Any], *names: str) -> int | None:
    for name in names:
        value = body.get(name)
        if value not in (None, ""):
            try:
                return int(value)
            except (TypeError, ValueError):
                raise PisteError("entier_requis", name=name) from None
    return None


def _amount(value: str | Decimal | None) -> float | None:
    return None if value in (None, "") else float(Decimal(value))


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def _type(invoice: dict[str, Any]) -> str:
    return "AVOIR" if invoice.get("kind") in ("AVOIR", "avoir", "CREDIT_NOTE") else "FACTURE"


# Transverses -------------------------------------------------------------------------------------

def health_check() -> dict[str, Any]:
    return {**OK, "etat": "OK", "date": datetime.now().astimezone().isoformat()}


REFERENCE_LISTS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "cadrefacturation": ("listeCadreFacturation", [{"codeCadreFacturation": code} for code in (
        "A1_FACTURE_FOURNISSEUR", "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", "A9_FACTURE_SOUSTRAITANT", "A12_FACTURE_COTRAITANT")]),
    "etats/traitement": ("listeStatutsPossiblesPourTraitement", [{"statutPossible": s} for s in rules.PROCESSING_ACTIONS]),
    "tauxtva": ("listeTauxTva", [{"tauxTva": rate} for rate in ("TVA0", "TVA2_1", "TVA5_5", "TVA10", "TVA20")]),
    "devises": ("listeDevises", [{"codeDevise": code} for code in ("EUR", "USD", "GBP", "CHF")]),
    "pays": ("listePays", [{"codePays": code} for code in ("FR", "DE", "BE", "ES", "IT", "LU", "CH", "GB")]),
    "modereglements": ("listeModePaiement", [{"modePaiement": mode} for mode in ("CHEQUE", "PRELEVEMENT", "VIREMENT", "ESPECE", "AUTRE")]),
    "motifs/refus/facture/aValider": ("listeMotifs", [{"motif": m} for m in ("MONTANT_ERRONE", "PRESTATION_NON_CONFORME", "AUTRE")]),
    "motifs/exonerationtva": ("listeMotifsExonerationTva", [{"motifExonerationTva": m} for m in (
        "Exonération TVA, article 261 du CGI", "Autoliquidation, article 283 du CGI")]),
}


def reference_list(name: str) -> dict[str, Any]:
    try:
        key, items = REFERENCE_LISTS[name]
    except KeyError:
        raise PisteError("liste_inconnue", status_code=404) from None
    return {**OK, key: items}


async def _lot_of(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    number = str(body.get("numeroFluxDepot") or "").strip()
    lot_id = rules.lot_id_of(number)
    if not number:
        raise PisteError("numero_flux_requis")
    try:
        lot = await lots.get_lot(caller.principal, lot_id) if lot_id else None
    except ChoraleError:
        lot = None
    if lot is None or lot["number"] != number:
        raise PisteError("flux_introuvable", status_code=404, number=number)
    return lot


async def consult_report(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    lot = await _lot_of(caller, body)
    return {**OK, "numeroFluxDepot": lot["number"], "nomFichierFlux": lot["original_name"],
            "dateDepotFlux": lot["created_at"], "etatCourantFlux": rules.FLOW_STATES[lot["status"]],
            "dateHeureEtatCourantFlux": lot["processed_at"] or lot["created_at"], "codeInterfaceFlux": _interface(lot),
            "syntaxeFlux": body.get("syntaxeFlux")}


def _interface(lot: dict[str, Any]) -> str:
    return {"UBL": "FSO1110A", "CII": "FSO1111A", "FACTURX": "FSO1112A"}.get(lot["syntax"], "FSO1100A")


async def consult_detailed_report(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """The report: each rejected invoice's anomalies (listeErreurDP), technical failures apart."""
    lot = await _lot_of(caller, body)
    supplier = await structures_store.structure_identifier(lot["structure_id"])
    errors_dp, errors_technical = [], []
    for entry in lot["entries"]:
        for anomaly in entry["anomalies"] or []:
            if anomaly.get("code") == "erreur_technique":
                errors_technical.append({"codeErreur": anomaly["code"], "libelleErreur": anomaly["message"],
                                         "nomFichier": entry["name"]})
                continue
            errors_dp.append({"numeroDP": entry["invoice_number"] or "", "libelleErreurDP": anomaly["message"],
                              "codeErreurDP": anomaly.get("code"), "identifiantFournisseur": supplier or "",
                              "identifiantDestinataire": anomaly.get("recipient_siret") or "", "nomFichier": entry["name"]})
    state = rules.FLOW_STATES[lot["status"]]
    return {**OK, "numeroFluxDepot": lot["number"], "nomFichier": lot["original_name"], "dateDepotFlux": lot["created_at"],
            # consulterCR says etatCourantFlux, the Go client reads etatCourantDepotFlux here: both are given.
            "etatCourantFlux": state, "etatCourantDepotFlux": state, "codeInterfaceDepotFlux": _interface(lot),
            "dateHeureEtatCourantFlux": lot["processed_at"] or lot["created_at"],
            "nbFacturesIntegrees": lot["integrated_count"], "nbFacturesRejetees": lot["rejected_count"],
            "listeErreurDP": errors_dp, "listeErreurTechnique": errors_technical}


async def siret_information(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    siret = str(body.get("siretStructure") or body.get("siret") or "").strip()
    found = await directory.get_establishment(siret) if siret else None
    if found is None:
        raise PisteError("siret_inconnu", status_code=404, variant="annuaire", siret=siret)
    item = found.to_dict()
    return {**OK, "siret": siret, "raisonSociale": item["denomination"], "etablissement": item}


async def search_recipient(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """rechercher/destinataire: the public structures matching an identifier or a name."""
    return await search_structures(caller, {"structure": {"identifiantStructure": body.get("identifiant"),
                                                           "raisonSocialeStructure": body.get("raisonSociale")},
                                            "restreindreStructuresPrivees": True, "parametres": body.get("parametres")})


# Structures --------------------------------------------------------------------------------------

def _structure_item(structure) -> dict[str, Any]:
    return {"idStructureCPP": structure.id, "identifiantStructure": structure.identifier,
            "typeIdentifiantStructure": structure.identifier_type or "SIRET", "designationStructure": structure.raison_sociale,
            "statut": "ACTIF" if structure.active else "INACTIF", "estPublique": structure.is_public}


async def search_structures(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    criteria = body.get("structure") or {}
    page = _page(body.get("parametres"))
    public_only = bool(body.get("restreindreStructuresPrivees"))
    siret = str(criteria.get("identifiantStructure") or "").strip()
    name = str(criteria.get("raisonSocialeStructure") or criteria.get("libelleStructure") or "").strip()
    ids: list[int] = []
    if siret:
        found = await structures_store.structure_id_by_siret(siret, public_first=True)
        ids = [found] if found else []
    elif name:
        for establishment in await directory.advanced_search(name=name, limit=rules.MAX_PAGE_SIZE):
            found = await structures_store.structure_id_by_siret(establishment.siret, public_first=True)
            if found and found not in ids:
                ids.append(found)
    else:
        raise PisteError("critere_requis")
    structures = [s for s in [await structures_store.structure(i) for i in ids] if s is not None]
    # A private structure is visible only to the calls acting for it (Chorus Pro lists only public ones otherwise).
    structures = [s for s in structures if s.is_public or (not public_only and s.id in caller.structure_ids)]
    items, pagination = rules.paginate([_structure_item(s) for s in structures], page)
    return {**OK, "listeStructures": items, "parametresRetour": pagination}


async def _visible_structure(caller: Caller, structure_id: int | None):
    structure = await structures_store.structure(structure_id) if structure_id else None
    if structure is None or not (structure.is_public or structure.id in caller.structure_ids):
        raise PisteError("structure_introuvable", status_code=404)
    return structure


async def search_services(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    structure = await _visible_structure(caller, _int(body, "idStructure", "idStructureCPP"))
    page = _page(body.get("parametresRechercherServicesStructure") or body.get("parametres"))
    services = await structures_store.services_of_structure(structure.id)
    items, pagination = rules.paginate([{"idService": s.id, "codeService": s.code, "libelleService": s.libelle,
                                         "estActif": s.active, "statutService": "ACTIF" if s.active else "INACTIF"}
                                        for s in services], page)
    return {**OK, "listeServices": items, "parametresRetour": pagination}


async def consult_structure(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    structure = await _visible_structure(caller, _int(body, "idStructureCPP", "idStructure"))
    return {**OK, **_structure_item(structure), "raisonSociale": structure.raison_sociale, "libelleStructure": structure.libelle,
            "adresse": {"adresseLigne1": structure.address, "codePostal": structure.postcode, "ville": structure.city,
                        "codePays": structure.country or "FR"},
            "parametres": {"codeServiceDoitEtreRenseigne": structure.requires_service_code,
                           "numeroEjDoitEtreRenseigne": structure.requires_engagement}}


async def consult_service(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    structure = await _visible_structure(caller, _int(body, "idStructure", "idStructureCPP"))
    service_id = _int(body, "idService")
    service = next((s for s in await structures_store.services_of_structure(structure.id, active_only=False) if s.id == service_id),
                   None)
    if service is None:
        raise PisteError("service_introuvable", status_code=404)
    return {**OK, "idService": service.id, "codeService": service.code, "libelleService": service.libelle,
            "estActif": service.active, "idStructure": structure.id}


def _page(params: dict[str, Any] | None) -> rules.Page:
    try:
        return rules.page_of(params)
    except RuleError as error:
        raise from_rule(error) from None


# Deposits ----------------------------------------------------------------------------------------

async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _supplier_siret(data: bytes, deposit_format: str) -> str | None:
    try:
        xml = xml_from_facturx(data) if deposit_format == "PDF_FACTURX" else data
        return read_invoice(xml).supplier_siret
    except (UnreadableInvoice, Exception):  # unreadable: the lot's report will say why
        return None


async def _depositing_structure(caller: Caller, body: dict[str, Any], data: bytes, deposit_format: str) -> int:
    """The structure the flow is deposited for: idStructure when given (a Chorale extension), else the one
    whose SIRET the invoice's seller carries, else the only one the call acts for."""
    explicit = _int(body, "idStructure", "idFournisseur")
    if explicit is not None:
        return caller.require_structure(explicit)
    siret = await asyncio.to_thread(_supplier_siret, data, deposit_format)
    if siret:
        structure_id = await structures_store.structure_id_by_siret(siret)
        return caller.require_structure(structure_id)
    if len(caller.structure_ids) == 1:
        return caller.structure_ids[0]
    raise PisteError("structure_indeterminee")


async def deposit_flow(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    try:
        deposit_format, syntax = rules.flux_syntax(body.get("syntaxeFlux"))
        data = rules.decode_file(body.get("fichierFlux"))
    except RuleError as error:
        raise from_rule(error) from None
    structure_id = await _depositing_structure(caller, body, data, deposit_format)
    name = rules.flux_file_name(str(body.get("nomFichier") or ""), deposit_format)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(name, data)
    archive = buffer.getvalue()
    lot = await lots.receive_lot(caller.principal, _one_chunk(archive), content_length=len(archive), name=f"{name}.zip",
                                 structure_id=structure_id, deposit_format=deposit_format, syntax=syntax)
    return {**OK, "numeroFluxDepot": lot["number"], "dateDepot": lot["created_at"][:10], "syntaxeFlux": body.get("syntaxeFlux")}


# Searching and consulting ------------------------------------------------------------------------

def _supplier_item(invoice: dict[str, Any]) -> dict[str, Any]:
    recipient, service = invoice.get("recipient") or {}, invoice.get("recipient_service") or {}
    return {"identifiantFactureCPP": invoice["id"], "numeroFacture": invoice["number"], "typeFacture": _type(invoice),
            "cadreDeFacturation": invoice.get("cadre"), "dateFacture": _day(invoice["invoice_date"]),
            "dateDepot": _day(invoice["deposited_at"]), "dateHeureEtatCourant": invoice["status_at"],
            "statut": invoice["status"], "devise": invoice["currency"], "montantHT": _amount(invoice["total_ht"]),
            "montantTTC": _amount(invoice["total_ttc"]), "montantAPayer": _amount(invoice["net_a_payer"]),
            "idDestinataire": recipient.get("id"), "codeDestinataire": recipient.get("identifier"),
            "designationDestinataire": recipient.get("name"), "idServiceExecutant": service.get("id"),
            "codeServiceExecutant": service.get("code"), "nomServiceExecutant": service.get("libelle"),
            "idFournisseur": invoice["supplier"]["id"], "codeFournisseur": invoice["supplier"]["identifier"],
            "designationFournisseur": invoice["supplier"]["name"], "modeDepot": _mode(invoice),
            "numeroDepot": invoice.get("deposit_number")}


def _mode(invoice: dict[str, Any]) -> str:
    return {"lot": "DEPOT_FLUX", "saisie": "SAISIE_API"}.get(str(invoice.get("source") or "").lower(), "DEPOT_PDF_API")


def _recipient_item(invoice: dict[str, Any]) -> dict[str, Any]:
    item = _supplier_item(invoice)
    return {**item, "idFacture": invoice["id"], "factureTelechargeeParDestinataire": False}


async def _views(caller: Caller, invoice_ids: list[int]) -> list[dict[str, Any]]:
    views = []
    for invoice_id in invoice_ids:
        try:
            views.append(await invoices.get_invoice(caller.principal, invoice_id))
        except ChoraleError:  # gone, or no longer visible: not listed
            continue
    return views


async def _listed_ids(caller: Caller, side: str, structure_id: int | None, body: dict[str, Any]) -> list[int]:
    statuses = body.get("statutCourant") or []
    if isinstance(statuses, str):
        statuses = [statuses]
    try:
        wanted = tuple(InvoiceStatus(s) for s in statuses)
    except ValueError:
        raise PisteError("statut_inconnu") from None
    ids: list[int] = []
    for sid in ([structure_id] if structure_id else list(caller.structure_ids)):
        f = ListFilter(side=side, structure_id=sid, statuses=wanted, number=str(body.get("numeroFacture") or ""))
        cursor = None
        while len(ids) < rules.MAX_SEARCHED:
            try:
                page = await lists.list_invoices(caller.principal, f, cursor=cursor)
            except ChoraleError:
                break  # this structure is not seen from that side (no profile): nothing to list
            ids.extend(row["id"] for row in page.rows)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
    return ids


async def search_supplier(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    page = _page(body.get("rechercheFactureParFournisseur") or body.get("pagination") or body.get("parametres"))
    if body.get("numeroFluxDepot"):
        lot = await _lot_of(caller, body)
        ids = [e["invoice_id"] for e in lot["entries"] if e["invoice_id"]]
    else:
        structure_id = _int(body, "idFournisseur")
        ids = await _listed_ids(caller, "S", caller.require_structure(structure_id) if structure_id else None, body)
    chosen, pagination = rules.paginate(ids, page)
    return {**OK, "listeFactures": [_supplier_item(v) for v in await _views(caller, chosen)], **pagination,
            "parametresRetour": pagination}


async def search_recipient_invoices(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    page = _page(body.get("paramRecherche") or body.get("pagination") or body.get("parametres"))
    structure_id = _int(body, "idDestinataire")
    ids = await _listed_ids(caller, "R", caller.require_structure(structure_id) if structure_id else None, body)
    chosen, pagination = rules.paginate(ids, page)
    return {**OK, "listeFactures": [_recipient_item(v) for v in await _views(caller, chosen)], **pagination}


async def search_validator_invoices(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    page = _page(body.get("pagination") or body.get("parametres"))
    structure_id = caller.require_structure(_int(body, "idStructureValideur") or caller.structure_ids[0])
    waiting = await processing.invoices_to_validate(caller.principal, structure_id)
    ids = [row["id"] for row in waiting["items"]]
    chosen, pagination = rules.paginate(ids, page)
    return {**OK, "listeFactures": [_supplier_item(v) for v in await _views(caller, chosen)], "parametresRetour": pagination}


async def _invoice(caller: Caller, body: dict[str, Any], *names: str) -> dict[str, Any]:
    invoice_id = _int(body, *names)
    if invoice_id is None:
        raise PisteError("facture_requise", name=names[0])
    views = await _views(caller, [invoice_id])
    if not views:
        raise PisteError("facture_introuvable", status_code=404)
    return views[0]


def _consulted(invoice: dict[str, Any]) -> dict[str, Any]:
    return {**OK, "facture": {**_supplier_item(invoice), "idFacture": invoice["id"],
                              "pieceJointePrincipale": [{"pieceJointeId": f["id"], "pieceJointeDesignation": f.get("original_name")}
                                                        for f in invoice["files"] if f.get("role") == "principal"],
                              "numeroEngagement": invoice.get("engagement_number"), "numeroBonCommande": invoice.get("purchase_order")}}


async def consult_supplier(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    return _consulted(await _invoice(caller, body, "identifiantFactureCPP", "idFacture"))


async def consult_recipient(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    return _consulted(await _invoice(caller, body, "idFacture", "identifiantFactureCPP"))


async def consult_history(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    invoice = await _invoice(caller, body, "idFacture", "identifiantFactureCPP")
    history = [{"idHistorique": index, "statut": h["status_to"], "statutPrecedent": h["status_from"], "action": h["action"],
                "dateHeureChangement": h["at"], "commentaire": h["reason"], "utilisateur": h["actor"]}
               for index, h in enumerate(invoice.get("history") or [], 1)]
    return {**OK, "idFacture": invoice["id"], "numeroFacture": invoice["number"], "statutCourantFacture": invoice["status"],
            "historiquesDesStatuts": {"histoStatut": history, "nbResultatsParPage": len(history), "pageCourante": 1, "pages": 1,
                                      "total": len(history)}}


# Processing --------------------------------------------------------------------------------------

async def process_received(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    invoice = await _invoice(caller, body, "idFacture")
    try:
        action = rules.processing_action(body.get("nouveauStatut"))
    except RuleError as error:
        raise from_rule(error) from None
    done = await processing.act(caller.principal, invoice["id"], action, reason=body.get("motif") or None)
    return {**OK, "idFacture": done["id"], "numeroFacture": done.get("number"), "nouveauStatut": done.get("status"),
            "dateTraitement": date.today().isoformat()}


async def process_to_validate(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    invoice = await _invoice(caller, body, "idFacture")
    action = rules.VALIDATION_ACTIONS.get(str(body.get("action") or "").upper())
    if action is None:
        raise PisteError("action_invalide")
    from backend.domain.invoices.rules import Role

    done = await processing.act(caller.principal, invoice["id"], action, reason=body.get("motifRefus") or None, role=Role.HOLDER)
    return {**OK, "idFacture": done["id"], "numeroFacture": done.get("number"), "statutFacture": done.get("status"),
            "dateTraitement": date.today().isoformat()}


async def complete(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    invoice = await _invoice(caller, body, "identifiantFactureCPP", "idFacture")
    done = await processing.complete(caller.principal, invoice["id"], str(body.get("commentaire") or ""))
    return {**OK, "identifiantFactureCPP": invoice["id"], "numeroFacture": invoice["number"],
            "statutFacture": done.get("status") if isinstance(done, dict) else None, "dateTraitement": date.today().isoformat()}


# The PDF path, recycling, grouped downloads --------------------------------------------------------

EXTRACTION_WAIT = 20.0  # seconds deposer/pdf waits for the reading before answering without its data
EXTRACTION_POLL = 0.1


async def _reading(caller: Caller, upload_id: int) -> dict[str, Any] | None:
    """The upload's extraction once finished (None when it is still running after EXTRACTION_WAIT); a failed
    reading is refused with its own code (not_pdf, encrypted…, texts in the errors catalogue)."""
    deadline = asyncio.get_running_loop().time() + EXTRACTION_WAIT
    while True:
        state = await invoices.upload_status(caller.principal, upload_id)
        if state["extraction_status"] == "echec":
            error = (state.get("extraction") or {}).get("error") or {}
            raise DomainError(error.get("code") or "pdf_illisible", "fichierFacture", status_code=422)
        if state["extraction_status"] == "pret":
            return state.get("extraction") or {}
        if asyncio.get_running_loop().time() > deadline:
            return None
        await asyncio.sleep(EXTRACTION_POLL)


def _number(value: Any) -> float | None:
    try:
        return float(Decimal(str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")))
    except (ArithmeticError, ValueError):
        return None


def _read_fields(extraction: dict[str, Any]) -> dict[str, Any]:
    """What the PDF's reading found, under deposer/pdf's names (the ERP checks them, then calls soumettre)."""
    fields = extraction.get("fields") or {}

    def value(name: str) -> Any:
        return (fields.get(name) or {}).get("value")

    found = {"numeroFacture": value("invoice_number"), "dateFacture": _day(value("invoice_date")),
             "codeDestinataire": value("recipient_siret"), "codeServiceExecutant": value("service_code"),
             "codeDeviseFacture": value("currency"), "numeroBonCommande": value("engagement_number") or value("purchase_order"),
             "montantHtTotal": _number(value("total_ht")) if value("total_ht") else None,
             "montantTVA": _number(value("total_tva")) if value("total_tva") else None,
             "montantTtcAvantRemiseGlobalTTC": _number(value("total_ttc")) if value("total_ttc") else None,
             "montantAPayer": _number(value("net_a_payer") or value("total_ttc")) if value("net_a_payer") or value("total_ttc") else None}
    return {key: item for key, item in found.items() if item not in (None, "")}


def _acting_structure(caller: Caller, explicit: int | None) -> int | None:
    """The structure named (it must be one the call acts for), else the only one it acts for, else None."""
    if explicit is not None:
        return caller.require_structure(explicit)
    return caller.structure_ids[0] if len(caller.structure_ids) == 1 else None


async def deposit_pdf(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """deposer/pdf: the PDF stored as an upload and read (the invoices slice's extraction job); the answer
    gives its pieceJointeId and what was read, for soumettre."""
    try:
        rules.pdf_deposit_format(body.get("formatDepot"))
        data = rules.decode_file(body.get("fichierFacture"))
    except RuleError as error:
        raise from_rule(error) from None
    structure_id = _acting_structure(caller, _int(body, "idStructure", "idFournisseur"))
    upload = await invoices.receive_upload(caller.principal, _one_chunk(data), content_length=len(data),
                                           name=str(body.get("nomFichier") or "facture.pdf"), structure_id=structure_id)
    extraction = await _reading(caller, upload["id"])
    supplier = await structures_store.structure_identifier(structure_id) if structure_id else None
    answer = {**OK, "pieceJointeId": upload["id"], "etatLecture": "EN_COURS" if extraction is None else "TERMINEE",
              "typeFacture": "FACTURE", **({"codeFournisseur": supplier} if supplier else {})}
    return {**answer, **_read_fields(extraction or {})}


async def submit(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """soumettre: with modeDepot DEPOT_PDF_API the invoice created from deposer/pdf's upload with the data given
    over what was read; with SAISIE_API typed in field by field, lines included (_submit_typed). Then sent
    with every check of « Valider et envoyer » — both in one transaction, so a refusal keeps nothing (and the
    same pieceJointeId can be submitted again once corrected)."""
    try:
        if rules.submit_mode(body.get("modeDepot")) == "SAISIE_API":
            return await _submit_typed(caller, body)
        upload_id = rules.main_attachment_id(body)
        fields = rules.submitted_fields(body)
    except RuleError as error:
        raise from_rule(error) from None
    structure_id = _submitting_structure(caller, body)
    try:  # another account's deposit (or none): refused as another structure's invoice is
        await invoices.upload_status(caller.principal, upload_id)
    except NotFound:
        raise PisteError("piece_jointe_non_autorisee", status_code=403, id=upload_id) from None
    async with atomic():
        created = await invoices.create_invoice(caller.principal, upload_id=upload_id, structure_id=structure_id, fields=fields)
        await invoices.send_invoice(caller.principal, created["id"])
    return await _submitted(caller, created["id"])


def _submitting_structure(caller: Caller, body: dict[str, Any]) -> int:
    """The supplier: fournisseur.idFournisseur (a structure the call acts for), else the only one it acts for."""
    supplier = body.get("fournisseur") if isinstance(body.get("fournisseur"), dict) else {}
    structure_id = _acting_structure(caller, _int(supplier, "idFournisseur"))
    if structure_id is None:
        raise PisteError("structure_indeterminee", variant="soumettre")
    return structure_id


async def _submit_typed(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """SAISIE_API: the invoice typed in as « Saisir une facture » saves it (the invoices slice's manual entry,
    mandate included), its stated amounts checked against its lines, then sent — one transaction. A refusal
    names the field as soumettre spells it (lignePoste[1].lignePosteQuantite, montantTotal.montantHtTotal…)."""
    typed = rules.typed_invoice(body)
    structure_id = _submitting_structure(caller, body)
    try:
        created = await invoices.submit_typed(caller.principal, structure_id=structure_id, header=typed.header, lines=typed.lines,
                                              declared=typed.declared)
    except DomainError as error:
        raise _as_submitted(error) from None
    return await _submitted(caller, created["id"])


def _as_submitted(error: DomainError) -> DomainError:
    renamed = error.with_status(field=rules.piste_field(error.field))
    renamed.problems = [_as_submitted(problem) for problem in error.problems]
    return renamed


async def _submitted(caller: Caller, invoice_id: int) -> dict[str, Any]:
    invoice = await invoices.get_invoice(caller.principal, invoice_id)
    return {**OK, "dateDepot": _day(invoice["deposited_at"]) or date.today().isoformat(), "identifiantFactureCPP": invoice["id"],
            "identifiantStructure": invoice["supplier"]["identifier"], "numeroFacture": invoice["number"],
            "statutFacture": invoice["status"]}


async def _accessible_invoice(caller: Caller, invoice_id: int | None, name: str) -> dict[str, Any]:
    """An invoice the call may see; one it may not see and one that does not exist get the same 403 (no
    answer tells another structure's invoice numbers apart from free ones)."""
    if invoice_id is None:
        raise PisteError("facture_requise", name=name)
    views = await _views(caller, [invoice_id])
    if not views:
        raise PisteError("facture_non_autorisee", status_code=403, invoice=invoice_id)
    return views[0]


async def recycle(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """recycler: the supplier corrects the routing data (recipient, service, engagement) of an invoice its
    recipient (or the routing) set « À recycler », and it is deposited again (A_RECYCLER → DEPOSEE, the
    invoices rules' SEND)."""
    invoice = await _accessible_invoice(caller, _int(body, "identifiantFactureCPP", "idFacture"), "identifiantFactureCPP")
    if invoice["supplier"]["id"] not in caller.structure_ids:
        raise PisteError("facture_non_autorisee", status_code=403, invoice=invoice["id"])
    if invoice["status"] != InvoiceStatus.A_RECYCLER:
        raise PisteError("facture_non_recyclable", status_code=409, status=invoice["status"])
    try:
        fields = rules.routing_fields(body, "reference" if body.get("reference") else "references")
    except RuleError as error:
        raise from_rule(error) from None
    done = await invoices.send_invoice(caller.principal, invoice["id"], fields=fields, expected_version=invoice["version"])
    return {**OK, "dateDepot": _day(done["deposited_at"]) or date.today().isoformat(), "identifiantFactureCPP": done["id"],
            "numeroFacture": done["number"], "statutFacture": done["status"]}


def _zip(entries: list[tuple[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, path in entries:
            bundle.write(path, name)
    return buffer.getvalue()


async def download_group(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """telecharger/groupe: the invoices' files as deposited, in base64 — the file itself for one invoice's
    one file, a ZIP (a folder per invoice) for several or when format is ZIP. At most MAX_DOWNLOAD_INVOICES
    invoices and MAX_DOWNLOAD_BYTES of files (413 beyond, as Chorus Pro answers past its limit)."""
    try:
        request = rules.download_request(body)
    except RuleError as error:
        raise from_rule(error) from None
    entries: list[tuple[str, Any, str]] = []
    total = 0
    for invoice_id in request.invoice_ids:
        invoice = await _accessible_invoice(caller, invoice_id, "listeFacture")
        for file in invoice["files"]:
            if file.get("role") != "principal" and not request.with_attachments:
                continue
            row = await invoices.file_for_download(caller.principal, invoice_id, file["id"])
            total += int(row["size"] or 0)
            if total > rules.MAX_DOWNLOAD_BYTES:
                raise PisteError("telechargement_trop_volumineux", status_code=413, max=rules.MAX_DOWNLOAD_BYTES // (1024 * 1024))
            name = rules.zip_entry_name(invoice["id"], invoice["number"], file["id"], file["original_name"])
            entries.append((name, storage.path_for(row["storage_key"]), row["content_type"]))
    if not entries:
        raise PisteError("aucun_fichier", status_code=404)
    if len(entries) == 1 and not request.zip:
        name, path, content_type = entries[0]
        data = await asyncio.to_thread(path.read_bytes)
        kind = "PDF" if content_type == "application/pdf" else "XML" if "xml" in content_type else "AUTRE"
        name = name.split("/", 1)[1]
    else:
        data = await asyncio.to_thread(_zip, [(name, path) for name, path, _ in entries])
        kind, name = "ZIP", "factures.zip"
    return {**OK, "fichierResultat": base64.b64encode(data).decode(), "formatFichierResultat": kind, "nomFichierResultat": name}


SCOPES = {"deposit": Scope.DEPOSIT, "search": Scope.SEARCH, "process": Scope.PROCESS, "directory": Scope.DIRECTORY}
