"""What recipients and validators do with the invoices they receive, and what the supplier does when one
is suspended.

Every action is one invoice unit of work (`invoices.unit_of_work.change_invoice`: lock, transition,
history, counters) whose transaction also writes the notifications (in-app rows and outbox e-mails); the
`invoice.status` event, then the bells and the mail sender, follow the commit.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from itertools import groupby
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from backend.domain.accounts import store as accounts_store
from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.services import (
    PROCESS_AS, VIEW_AS, fetch_row, iso, load_view, money, recipient_target, validator_decision, visible_invoice)
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.unit_of_work import change_invoice, invoice_not_found
from backend.domain.notifications.services import absolute_link, queue_template, wake_sender
from backend.domain.processing import store
from backend.domain.processing.rules import RECIPIENT_NOTICES, SUPPLIER_NOTICES, notice_text, wants_digest, wants_mail
from backend.domain.structures import store as structures_store
from backend.domain.structures.permissions import Action as PolicyAction
from backend.domain.structures.permissions import (
    Reason, StructureRef, Target, allowed_structures, decision, grants_of, refusal, require, require_found)
from backend.infra.database import transaction
from backend.infra.errors import DomainError, Forbidden
from backend.infra.events import publish
from backend.infra.pages import keyset_page, page_size
from shared import formatting
from shared.applications import Application
from shared.i18n import normalise_lang, t
from shared.invoice_status import InvoiceStatus


def _read_only() -> DomainError:
    return DomainError("profil_consultation", status_code=403)


# A recipient's or validator's refusal: a 404 for anyone who may not see the invoice (its existence is
# not revealed), even when attached to its structure without the side's profile.
_REFUSALS = {Reason.NOT_ATTACHED: invoice_not_found, Reason.OUTSIDE_SERVICES: invoice_not_found,
             Reason.NO_PROFILE: invoice_not_found, Reason.NO_TARGET: invoice_not_found, Reason.CONSULTATION: _read_only}
_VIEW = {rules.Role.RECIPIENT: PolicyAction.VIEW_RECEIVED, **VIEW_AS}
# The recipient's moves, as the policy names them (one profile allows them all; an intervention too).
_RECIPIENT_MOVES = {rules.Action.VALIDATE: PolicyAction.VALIDATE, rules.Action.VALIDATE_MOA: PolicyAction.VALIDATE,
                    rules.Action.REFUSE: PolicyAction.REFUSE, rules.Action.SUSPEND: PolicyAction.SUSPEND,
                    rules.Action.RECYCLE: PolicyAction.REFUSE, rules.Action.MANDATE: PolicyAction.PUT_IN_PAYMENT,
                    rules.Action.PUT_IN_PAYMENT: PolicyAction.PUT_IN_PAYMENT}


def policy_action(role: rules.Role, move: rules.Action) -> PolicyAction:
    """A validator's every move is its one processing action. A move that is not the recipient's (COMPLETE,
    SEND…) needs the recipient's processing profile all the same: the lifecycle's table then refuses it (409)."""
    return PROCESS_AS[role] if role in PROCESS_AS else _RECIPIENT_MOVES.get(move, PolicyAction.VALIDATE)


async def _access(principal: Principal, invoice, role: rules.Role, action: PolicyAction):
    """The policy's decision on the side `role` of the invoice, its refusal raised."""
    if role == rules.Role.RECIPIENT:
        if not invoice["recipient_structure_id"] or not InvoiceStatus(invoice["status"]).visible_to_recipient:
            raise invoice_not_found()
        found = await decision(principal, action, recipient_target(invoice))
    else:
        found = await validator_decision(principal, invoice, rules.VALIDATOR_OF[role], action)
        if found is None:
            raise invoice_not_found()
    if not found.allowed:
        raise refusal(action, found.reason, _REFUSALS)
    return found.ref


async def received_invoice(principal: Principal, invoice_id: int, role: rules.Role = rules.Role.RECIPIENT) -> dict[str, Any]:
    """The invoice as the recipient (or, with `role`, a validator: contract holder, project manager) sees
    it, with what it may do now (the moves the policy allows it: none for a read-only profile)."""
    row = await fetch_row(invoice_id)
    principal = replace(principal, grants=await grants_of(principal))  # one read for every move asked below
    await _access(principal, row, role, _VIEW[role])
    view = await load_view(invoice_id)
    actions = [a for a in rules.available_actions(row["status"], role, row["cadre"])
               if (await decision(principal, policy_action(role, a), recipient_target(row) if role == rules.Role.RECIPIENT
                                  else Target(row[rules.VALIDATOR_OF[role].column]))).allowed]
    view["actions"] = [{"action": a.value, "label": a.label(), "label_en": a.label("en"), "needs_reason": a.needs_reason} for a in actions]
    return view


def _payment(extra: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if extra.get("payment_date"):
        try:
            values["payment_date"] = date.fromisoformat(str(extra["payment_date"]))
        except ValueError:
            raise DomainError('date_invalide', "payment_date") from None
    if extra.get("paid_amount") not in (None, ""):
        try:
            values["paid_amount"] = formatting.parse_amount(extra["paid_amount"]).quantize(Decimal("0.01"))
        except (ValueError, AttributeError, InvalidOperation):
            raise DomainError('montant_invalide', "paid_amount", variant='montant_paye_invalide') from None
        if values["paid_amount"] <= 0:
            raise DomainError('montant_invalide', "paid_amount", variant='montant_paye_doit')
    return values


def _lang_of(user: accounts_store.Recipient) -> str:
    return normalise_lang(user.lang)


async def _notify(invoice: dict, action: rules.Action, reason: str | None, *, to_supplier: bool,
                  acting_structure_id: int | None = None) -> list[int]:
    """In-app notifications for the users of the other side, and e-mails for those whose preferences ask,
    in the transaction open in the current task. `acting_structure_id`: who acted, when not the recipient
    (a validator), named in the message."""
    notices = SUPPLIER_NOTICES if to_supplier else RECIPIENT_NOTICES
    if action not in notices:
        return []
    kind = notices[action]
    acting = acting_structure_id or invoice["recipient_structure_id"]
    names = {sid: name for sid, (_, name) in (await structures_store.party_names([invoice["supplier_structure_id"], acting])).items()}
    values = {"number": invoice["number"], "recipient": names.get(acting), "supplier": names.get(invoice["supplier_structure_id"]),
              "reason": reason}
    structure_id, application = ((invoice["supplier_structure_id"], Application.FACTURES_EMISES) if to_supplier
                                 else (invoice["recipient_structure_id"], Application.FACTURES_RECUES))
    users = await accounts_store.notification_recipients(
        await structures_store.users_with_profile(structure_id, str(application)), active_only=True)
    link = absolute_link(("/factures-emises/" if to_supplier else "/factures-recues/") + str(invoice["id"]))
    # The bell's text is stored in each reader's language (the digest lists it later).
    for lang, readers in groupby(sorted(users, key=_lang_of), key=_lang_of):
        await store.add([user.id for user in readers], invoice_id=invoice["id"], kind=kind, message=notice_text(kind, lang, **values))
    for user in users:
        if wants_mail(user.notify_all, user.notify_billing, user.notify_digest):
            await queue_template("facture", kind=f"facture_{kind}", to=user.address, lang=user.lang, first_name=user.first_name,
                                 user_id=user.id, number=invoice["number"], status=InvoiceStatus(invoice["status"]).label,
                                 message=lambda lang: notice_text(kind, lang, **values), link=link)
    return [user.id for user in users]


async def _announce(invoice_id: int, notified: list[int]) -> None:
    """After commit: the bells of the users notified ring, and the mail they were sent goes out."""
    if notified:
        await publish("notification.new", [f"user:{u}" for u in notified], {"invoice": invoice_id})
        await wake_sender()


async def _change(principal: Principal, invoice_id: int, action: rules.Action, *, role: rules.Role, reason: str | None,
                  expected_version: int | None, values: dict[str, Any], to_supplier: bool,
                  acting_structure_id: int | None = None) -> invoice_store.Invoice:
    """The move, its notifications in the same transaction, and after the commit the event then the bells."""
    async with change_invoice(invoice_id, principal, expected_version=expected_version) as change:
        change.transition(action, role=role, reason=(reason or "").strip() or None)
        change.set(**values)
        notified = await _notify(change.invoice.as_dict(), action, reason, to_supplier=to_supplier,
                                 acting_structure_id=acting_structure_id)
        change.after_commit(lambda: _announce(invoice_id, notified))
    return change.result


async def act(principal: Principal, invoice_id: int, action: str, *, reason: str | None = None,
              expected_version: int | None = None, extra: dict[str, Any] | None = None,
              role: rules.Role = rules.Role.RECIPIENT) -> dict[str, Any]:
    """A recipient's (or, with `role`, a validator's) action, applied once even if sent twice
    (expected_version) or by two users at once."""
    try:
        action_enum = rules.Action(action)
    except ValueError:
        raise DomainError('action_inconnue') from None
    row = await fetch_row(invoice_id)
    await _access(principal, row, role, policy_action(role, action_enum))
    values = _payment(extra or {}) if action_enum == rules.Action.PUT_IN_PAYMENT else {}
    acting = rules.VALIDATOR_OF.get(role)
    await _change(principal, invoice_id, action_enum, role=role, reason=reason, expected_version=expected_version, values=values,
                  to_supplier=True, acting_structure_id=row[acting.column] if acting else None)
    return await received_invoice(principal, invoice_id, role)


async def complete(principal: Principal, invoice_id: int, comment: str, *, expected_version: int | None = None) -> dict:
    """The supplier completes a suspended invoice with a comment; it goes back to the recipient."""
    row = await require_found(principal, PolicyAction.COMPLETE, await invoice_store.get(invoice_id),
                              lambda invoice: Target(invoice.supplier_structure_id), missing=invoice_not_found)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError('commentaire_obligatoire', "comment")
    invoice = await _change(principal, invoice_id, rules.Action.COMPLETE, role=rules.Role.SUPPLIER, reason=comment,
                            expected_version=expected_version, to_supplier=False,
                            values={"comment": ((row.comment or "") + "\n" + comment).strip()})
    return invoice.as_dict()


async def notify_supplier(invoice: dict[str, Any], action: rules.Action, reason: str | None) -> None:
    """For status changes made by the system (routing), once committed: the supplier hears of them like of
    a recipient's."""
    async with transaction():
        notified = await _notify(invoice, action, reason, to_supplier=True)
    await _announce(invoice["id"], notified)


def _digest_lines(lines: list[store.DigestLine], lang: str) -> str:
    """One line per notification, with its moment (Europe/Paris) in the reader's language (the notices'
    texts are the bells', stored in it)."""
    return "\n".join(t("mail.recapitulatif.line", lang, moment=formatting.moment(line.created_at, lang), message=line.message)
                     for line in lines)


async def send_digests(now=None) -> int:
    """One e-mail per user who chose the daily digest, listing what happened since the last one."""
    sent = 0
    for user in await accounts_store.notification_recipients(await store.users_with_undigested(), digest_only=True):
        async with transaction():
            lines = await store.take_undigested(user.id)
            if lines and wants_digest(user.notify_all, user.notify_billing, user.notify_digest):
                await queue_template("recapitulatif", to=user.address, lang=user.lang, first_name=user.first_name, user_id=user.id,
                                     count=len(lines), lines=partial(_digest_lines, lines))
                sent += 1
    if sent:
        await wake_sender()
    return sent


# In-app notifications -----------------------------------------------------------------------------

async def unread_count(user_id: int) -> int:
    return await store.unread_count(user_id)


async def notifications(user_id: int, limit: int = 20) -> list[dict]:
    return [msgspec.structs.asdict(n) for n in await store.latest(user_id, limit)]


async def mark_all_read(user_id: int) -> None:
    await store.mark_all_read(user_id)
    await publish("notification.read", [f"user:{user_id}"], {})


async def allowed_topics(principal: Principal, topics: list[str]) -> list[str]:
    """The live-event topics asked for, when the user may follow every one: itself, a structure it is
    attached to, an invoice it may see (a 404 otherwise); Forbidden for any other."""
    mine = {grant.structure_id for grant in await grants_of(principal)}
    allowed = []
    for topic in topics:
        kind, _, value = topic.partition(":")
        if kind == "user" and value == str(principal.user_id):
            allowed.append(topic)
        elif kind == "structure" and value.isdigit() and int(value) in mine:
            allowed.append(topic)
        elif kind == "invoice" and value.isdigit():
            await visible_invoice(principal, int(value))
            allowed.append(topic)
        else:
            raise Forbidden(code='sujet_refuse')
    return allowed


async def received_structures(principal: Principal) -> list[StructureRef]:
    return await allowed_structures(principal, PolicyAction.VIEW_RECEIVED)


async def received_services(principal: Principal, structure_id: int) -> list[dict[str, str]]:
    """The services of a structure whose received invoices the user sees (to filter its list by service)."""
    await require(principal, PolicyAction.VIEW_RECEIVED, Target(structure_id))
    return [{"code": s.code, "libelle": s.libelle} for s in await structures_store.services_of_structure(structure_id, active_only=False)]


async def invoices_to_validate(principal: Principal, structure_id: int, role: rules.Role = rules.Role.HOLDER, *,
                               waiting_only: bool = True, before: int | None = None, limit: int = 20) -> dict[str, Any]:
    """The invoices naming this structure as contract holder (« Factures à valider ») or project manager
    (« Factures de travaux »), newest first: those waiting for it by default, all of them otherwise."""
    validator = rules.VALIDATOR_OF[role]
    await require(principal, VIEW_AS[role], Target(structure_id))
    limit = page_size(limit)
    invoices = await invoice_store.naming_validator(validator.column, structure_id, before=before, limit=limit + 1,
                                                    status=str(validator.waiting) if waiting_only else None)
    parties = await structures_store.party_names(
        [i.supplier_structure_id for i in invoices] + [i.recipient_structure_id for i in invoices])

    def view(i: invoice_store.Invoice) -> dict[str, Any]:
        identifier, name = parties[i.supplier_structure_id]
        return {"id": i.id, "number": i.number, "cadre": i.cadre, "status": i.status, "invoice_date": iso(i.invoice_date),
                "total_ttc": money(i.total_ttc), "currency": i.currency, "version": i.version,
                "supplier": {"identifier": identifier, "name": name},
                "recipient_name": parties.get(i.recipient_structure_id, (None, None))[1]}

    return keyset_page(invoices, limit, view, cursor=lambda i: i.id)
