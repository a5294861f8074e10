"""What recipients do with the invoices they receive, and what the supplier does when one is suspended.

Every action goes through lifecycle.change_status (history, counters) in a transaction that also writes
the notifications (in-app rows and outbox e-mails); the live events follow the commit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.lifecycle import change_status, invoice_not_found, publish_status
from backend.domain.invoices.queries import fetch_row, iso, load_view, money, validator_ref
from backend.domain.notifications.services import absolute_link, queue_mail, wake_sender
from backend.domain.processing.rules import RECIPIENT_NOTICES, SUPPLIER_NOTICES, notice_text, wants_mail
from backend.domain.structures.permissions import access_to, require
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, NotFound
from backend.infra.events import publish
from backend.infra.pages import keyset_page, page_size
from shared.applications import Application, Level
from shared.invoice_status import InvoiceStatus


def _allowing(ref, level: Level):
    if not ref.level.allows(level):
        raise ChoraleError("profil_consultation", "Votre profil est en consultation : il ne permet pas de traiter cette facture.",
                           "Your profile is read-only: it does not allow processing this invoice.", status_code=403)
    return ref


async def _recipient_access(principal: Principal, invoice, level: Level):
    """The recipient side of an invoice: a 404 for anyone who may not see it (its existence is not revealed)."""
    if not invoice["recipient_structure_id"] or not InvoiceStatus(invoice["status"]).visible_to_recipient:
        raise invoice_not_found()
    ref = await access_to(principal, invoice["recipient_structure_id"], Application.FACTURES_RECUES)
    if ref is None or (ref.service_ids is not None and invoice["recipient_service_id"] not in ref.service_ids):
        raise invoice_not_found()
    return _allowing(ref, level)


def _validator_access(validator: rules.Validator):
    """The side of a structure that validates before the recipient: the contract holder (« Factures à
    valider »), the project manager (« Factures de travaux »); the sent invoices naming it."""
    async def access(principal: Principal, invoice, level: Level):
        ref = await validator_ref(principal, invoice, validator)
        if ref is None:
            raise invoice_not_found()
        return _allowing(ref, level)
    return access


_ACCESS = {rules.Role.RECIPIENT: _recipient_access, **{v.role: _validator_access(v) for v in rules.VALIDATORS}}


async def received_invoice(principal: Principal, invoice_id: int, role: rules.Role = rules.Role.RECIPIENT) -> dict[str, Any]:
    """The invoice as the recipient (or, with `role`, a validator: contract holder, project manager) sees
    it, with what it may do now."""
    row = await fetch_row(invoice_id)
    ref = await _ACCESS[role](principal, row, Level.CONSULTATION)
    view = await load_view(invoice_id)
    actions = rules.available_actions(row["status"], role, row["cadre"]) if ref.level == Level.MODIFICATION else []
    view["actions"] = [{"action": a.value, "label": a.label(), "label_en": a.label("en"), "needs_reason": a.needs_reason} for a in actions]
    return view


def _payment(extra: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if extra.get("payment_date"):
        try:
            values["payment_date"] = date.fromisoformat(str(extra["payment_date"]))
        except ValueError:
            raise ChoraleError("date_invalide", "Date de paiement invalide.", "Invalid payment date.", field="payment_date") from None
    if extra.get("paid_amount") not in (None, ""):
        try:
            values["paid_amount"] = Decimal(str(extra["paid_amount"]).replace(",", ".").replace(" ", "")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ChoraleError("montant_invalide", "Montant payé invalide.", "Invalid paid amount.", field="paid_amount") from None
        if values["paid_amount"] <= 0:
            raise ChoraleError("montant_invalide", "Le montant payé doit être positif.", "The paid amount must be positive.", field="paid_amount")
    return values


async def _notify(conn, invoice: dict, action: rules.Action, reason: str | None, *, to_supplier: bool,
                  acting_structure_id: int | None = None) -> list[int]:
    """In-app notifications for the users of the other side, and e-mails for those whose preferences ask.
    `acting_structure_id`: who acted, when not the recipient (a validator), named in the message."""
    notices = SUPPLIER_NOTICES if to_supplier else RECIPIENT_NOTICES
    if action not in notices:
        return []
    kind, template = notices[action]
    names = await conn.fetchrow("SELECT (SELECT raison_sociale FROM structure WHERE id = $1) AS supplier, "
                                "(SELECT raison_sociale FROM structure WHERE id = $2) AS recipient",
                                invoice["supplier_structure_id"], acting_structure_id or invoice["recipient_structure_id"])
    message = notice_text(template, number=invoice["number"], recipient=names["recipient"], supplier=names["supplier"], reason=reason)
    structure_id, application = ((invoice["supplier_structure_id"], Application.FACTURES_EMISES) if to_supplier
                                 else (invoice["recipient_structure_id"], Application.FACTURES_RECUES))
    users = await conn.fetch(
        """SELECT DISTINCT u.id, u.email, u.contact_email, u.first_name, u.notify_all, u.notify_billing, u.notify_digest
           FROM attachment a JOIN profile p ON p.user_id = a.user_id AND p.structure_id = a.structure_id AND p.application = $2
           JOIN user_account u ON u.id = a.user_id
           WHERE a.structure_id = $1 AND a.status = 'approuve' AND u.status = 'actif'""", structure_id, str(application))
    link = absolute_link(("/factures-emises/" if to_supplier else "/factures-recues/") + str(invoice["id"]))
    for user in users:
        await conn.execute("INSERT INTO notification (user_id, invoice_id, kind, message) VALUES ($1, $2, $3, $4)",
                           user["id"], invoice["id"], kind, message)
        if wants_mail(user["notify_all"], user["notify_billing"], user["notify_digest"]):
            await queue_mail(conn, to=user["contact_email"] or user["email"], kind=f"facture_{kind}", user_id=user["id"],
                             subject=f"Chorale — facture {invoice['number']} : {InvoiceStatus(invoice['status']).label()}",
                             body_text=f"Bonjour {user['first_name']},\n\n{message}\n\nConsulter la facture : {link}\n\n— Chorale")
    return [u["id"] for u in users]


async def _after(invoice: dict, notified: list[int]) -> None:
    await publish_status(invoice)
    if notified:
        await publish("notification.new", [f"user:{u}" for u in notified], {"invoice": invoice["id"]})
        await wake_sender()


async def act(principal: Principal, invoice_id: int, action: str, *, reason: str | None = None,
              expected_version: int | None = None, extra: dict[str, Any] | None = None,
              role: rules.Role = rules.Role.RECIPIENT) -> dict[str, Any]:
    """A recipient's (or, with `role`, a validator's) action, applied once even if sent twice
    (expected_version) or by two users at once."""
    from backend.domain.support.guards import refuse_while_impersonating

    try:
        action_enum = rules.Action(action)
    except ValueError:
        raise ChoraleError("action_inconnue", "Action inconnue.", "Unknown action.") from None
    row = await fetch_row(invoice_id)
    await _ACCESS[role](principal, row, Level.MODIFICATION)
    refuse_while_impersonating(principal, "traiter_facture")
    values = _payment(extra or {}) if action_enum == rules.Action.PUT_IN_PAYMENT else {}
    async with connection() as conn:
        async with conn.transaction():
            invoice = await change_status(conn, invoice_id, action_enum, principal, role=role,
                                          reason=(reason or "").strip() or None, expected_version=expected_version, extra=values)
            acting = rules.VALIDATOR_OF.get(role)
            notified = await _notify(conn, invoice, action_enum, reason, to_supplier=True,
                                     acting_structure_id=row[acting.column] if acting else None)
    await _after(invoice, notified)
    return await received_invoice(principal, invoice_id, role)


async def complete(principal: Principal, invoice_id: int, comment: str, *, expected_version: int | None = None) -> dict:
    """The supplier completes a suspended invoice with a comment; it goes back to the recipient."""
    from backend.domain.support.guards import refuse_while_impersonating

    row = await fetch_row(invoice_id)
    await require(principal, structure_id=row["supplier_structure_id"], application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    refuse_while_impersonating(principal, "envoyer_facture")
    comment = (comment or "").strip()
    if not comment:
        raise ChoraleError("commentaire_obligatoire", "Expliquez ce que vous avez complété.", "Explain what you completed.", field="comment")
    async with connection() as conn:
        async with conn.transaction():
            invoice = await change_status(conn, invoice_id, rules.Action.COMPLETE, principal, role=rules.Role.SUPPLIER,
                                          reason=comment, expected_version=expected_version,
                                          extra={"comment": ((row["comment"] or "") + "\n" + comment).strip()})
            notified = await _notify(conn, invoice, rules.Action.COMPLETE, comment, to_supplier=False)
    await _after(invoice, notified)
    return invoice


async def notify_supplier(invoice: dict, action: rules.Action, reason: str | None) -> None:
    """For status changes made by the system (routing): the supplier hears of them like of a recipient's."""
    async with connection() as conn:
        async with conn.transaction():
            notified = await _notify(conn, invoice, action, reason, to_supplier=True)
    if notified:
        await publish("notification.new", [f"user:{u}" for u in notified], {"invoice": invoice["id"]})
        await wake_sender()


async def send_digests(now=None) -> int:
    """One e-mail per user who chose the daily digest, listing what happened since the last one."""
    from backend.domain.processing.rules import wants_digest

    sent = 0
    async with connection() as conn:
        users = await conn.fetch(
            """SELECT DISTINCT u.id, u.email, u.contact_email, u.first_name, u.notify_all, u.notify_billing, u.notify_digest
               FROM notification n JOIN user_account u ON u.id = n.user_id
               WHERE n.digested_at IS NULL AND u.notify_digest""")
        for user in users:
            async with conn.transaction():
                rows = await conn.fetch(
                    """UPDATE notification SET digested_at = now() WHERE user_id = $1 AND digested_at IS NULL
                       RETURNING message, created_at""", user["id"])
                if rows and wants_digest(user["notify_all"], user["notify_billing"], user["notify_digest"]):
                    lines = "\n".join(f"- {r['message']}" for r in sorted(rows, key=lambda r: r["created_at"]))
                    await queue_mail(conn, to=user["contact_email"] or user["email"], kind="recapitulatif", user_id=user["id"],
                                     subject=f"Chorale — récapitulatif quotidien ({len(rows)} événement(s))",
                                     body_text=f"Bonjour {user['first_name']},\n\nDepuis le dernier récapitulatif :\n{lines}\n\n— Chorale")
                    sent += 1
    if sent:
        await wake_sender()
    return sent


# In-app notifications -----------------------------------------------------------------------------

async def unread_count(user_id: int) -> int:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM notification WHERE user_id = $1 AND read_at IS NULL", user_id)


async def notifications(user_id: int, limit: int = 20) -> list[dict]:
    async with connection() as conn:
        rows = await conn.fetch("SELECT * FROM notification WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2", user_id, limit)
    return [dict(r) for r in rows]


async def mark_all_read(user_id: int) -> None:
    async with connection() as conn:
        await conn.execute("UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL", user_id)
    await publish("notification.read", [f"user:{user_id}"], {})


async def received_structures(principal: Principal):
    from backend.domain.structures.permissions import structures_for

    return await structures_for(principal, Application.FACTURES_RECUES)


_TO_VALIDATE = """
SELECT i.id, i.number, i.cadre, i.status, i.invoice_date, i.total_ttc, i.currency, i.deposited_at, i.version,
       s.raison_sociale AS supplier_name, s.identifier AS supplier_identifier, r.raison_sociale AS recipient_name
FROM invoice i JOIN structure s ON s.id = i.supplier_structure_id LEFT JOIN structure r ON r.id = i.recipient_structure_id
WHERE i.{column} = $1 AND i.status NOT IN ('PROVISOIRE', 'BROUILLON')
  AND ($2::text IS NULL OR i.status = $2) AND ($3::bigint IS NULL OR i.id < $3)
ORDER BY i.id DESC LIMIT $4
"""


async def invoices_to_validate(principal: Principal, structure_id: int, role: rules.Role = rules.Role.HOLDER, *,
                               waiting_only: bool = True, before: int | None = None, limit: int = 20) -> dict[str, Any]:
    """The invoices naming this structure as contract holder (« Factures à valider ») or project manager
    (« Factures de travaux »), newest first: those waiting for it by default, all of them otherwise."""
    validator = rules.VALIDATOR_OF[role]
    await require(principal, structure_id=structure_id, application=validator.application, level=Level.CONSULTATION)
    limit = page_size(limit)
    async with connection() as conn:
        rows = await conn.fetch(_TO_VALIDATE.format(column=validator.column), structure_id,
                                str(validator.waiting) if waiting_only else None, before, limit + 1)
    return keyset_page(rows, limit, lambda r: {
        "id": r["id"], "number": r["number"], "cadre": r["cadre"], "status": r["status"], "invoice_date": iso(r["invoice_date"]),
        "total_ttc": money(r["total_ttc"]), "currency": r["currency"], "version": r["version"],
        "supplier": {"identifier": r["supplier_identifier"], "name": r["supplier_name"]}, "recipient_name": r["recipient_name"]})


def ensure_found(value):
    if value is None:
        raise NotFound()
    return value
