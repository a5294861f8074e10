"""The one service every invoice status change goes through.

`apply_action(invoice_id, action, principal, *, role, reason=None, expected_version=None, extra=None)`
runs in one transaction:

1. `SELECT … FOR UPDATE` the invoice (NotFound if it does not exist);
2. optimistic check: when `expected_version` is given and differs from the row's `version`, a
   ChoraleError code "deja_traitee" (409) — someone else acted on the invoice since it was displayed;
3. `rules.transition(status, action, role, cadre=…, reason=…)` decides the new status (the transition
   table is the only place that does); a refused move is a ChoraleError with the rule's code (409);
4. updates status, status_at, version + 1, updated_at and the `extra` columns (see EXTRA_COLUMNS);
5. writes an `invoice_status_history` row (actor, impersonating support agent, acting-as label, reason);
6. moves the `invoice_daily_count` counters (see counters.py);

then, after the commit, publishes `invoice.status` to `structure:{supplier}`, `structure:{recipient}`
and `invoice:{id}` with {id, number, status, status_label_fr, version}.

It returns the updated invoice row as a dict (every `invoice` column) plus `status_label_fr`.

It does NOT check permissions: callers (controllers, screens, jobs) check that the principal may act
for `role` on this invoice before calling it. `principal=None` means the system (routing job).
Callers that must change other columns in the same transaction use `change_status(conn, …)` inside
their own transaction and `publish_status(invoice)` after their commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import counters, rules
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, NotFound
from backend.infra.events import publish
from shared.invoice_status import InvoiceStatus

# Columns an action may set besides the status (whitelisted: their names go into SQL).
EXTRA_COLUMNS = frozenset({
    "payment_date", "paid_amount", "routing_error", "deposited_at", "deposit_number", "content_sha256",
    "recipient_structure_id", "recipient_service_id", "comment",
})


def now() -> datetime:
    return datetime.now(UTC)


def already_handled() -> ChoraleError:
    return ChoraleError("deja_traitee", "Cette facture a déjà été traitée par ailleurs : rechargez-la.",
                        "This invoice was already handled elsewhere: reload it.", status_code=409)


def invoice_not_found() -> NotFound:
    return NotFound("Facture introuvable.", "Invoice not found.")


def rule_error(error: Exception, status_code: int = 409) -> ChoraleError:
    """A TransitionError / InvoiceRuleError from rules.py as an API error."""
    return ChoraleError(
        getattr(error, "code", "regle_facture"), getattr(error, "message_fr", None) or str(error),
        getattr(error, "message_en", None), field=getattr(error, "field", None), status_code=status_code)


def status_label(status: str, lang: str = "fr") -> str:
    return InvoiceStatus(status).label(lang)


async def change_status(conn, invoice_id: int, action, principal: Principal | None, *, role, reason: str | None = None,
                        expected_version: int | None = None, extra: Mapping[str, Any] | None = None) -> dict:
    """Steps 1–6 of apply_action inside the caller's transaction; returns the updated row as a dict."""
    before = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1 FOR UPDATE", invoice_id)
    if before is None:
        raise invoice_not_found()
    if expected_version is not None and int(expected_version) != before["version"]:
        raise already_handled()
    action = rules.Action(action)
    try:
        new_status = rules.transition(InvoiceStatus(before["status"]), action, rules.Role(role),
                                      cadre=before["cadre"], reason=reason)
    except rules.TransitionError as error:
        raise rule_error(error) from None
    extra = dict(extra or {})
    unknown = set(extra) - EXTRA_COLUMNS
    if unknown:
        raise ValueError(f"apply_action cannot set {sorted(unknown)}")
    moment = now()
    values: dict[str, Any] = {"status": str(new_status), "status_at": moment, "version": before["version"] + 1,
                              "updated_at": moment, **extra}
    assignments = ", ".join(f"{column} = ${index}" for index, column in enumerate(values, start=2))
    after = await conn.fetchrow(f"UPDATE invoice SET {assignments} WHERE id = $1 RETURNING *", invoice_id, *values.values())
    await conn.execute(
        """INSERT INTO invoice_status_history (invoice_id, status_from, status_to, action, reason, actor_user_id,
                                               impersonator_user_id, acting_as, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        invoice_id, before["status"], after["status"], str(action), reason,
        principal.user_id if principal else None, principal.impersonator_id if principal else None,
        principal.acting_as_label if principal else None, moment)
    await counters.apply(conn, before, after)
    return {**dict(after), "status_label_fr": status_label(after["status"])}


def status_topics(invoice: Mapping[str, Any]) -> list[str]:
    topics = [f"structure:{invoice['supplier_structure_id']}", f"invoice:{invoice['id']}"]
    if invoice.get("recipient_structure_id"):
        topics.insert(1, f"structure:{invoice['recipient_structure_id']}")
    for validator in rules.VALIDATORS:
        if invoice.get(validator.column):
            topics.insert(1, f"structure:{invoice[validator.column]}")
    return topics


async def publish_status(invoice: Mapping[str, Any]) -> None:
    await publish("invoice.status", status_topics(invoice), {
        "id": invoice["id"], "number": invoice.get("number"), "status": invoice["status"],
        "status_label_fr": status_label(invoice["status"]), "version": invoice["version"]})


async def apply_action(invoice_id: int, action, principal: Principal | None, *, role, reason: str | None = None,
                       expected_version: int | None = None, extra: Mapping[str, Any] | None = None) -> dict:
    """Apply `action` (a rules.Action or its value) as `role` (a rules.Role or its value); see the module doc."""
    async with connection() as conn:
        async with conn.transaction():
            invoice = await change_status(conn, invoice_id, action, principal, role=role, reason=reason,
                                          expected_version=expected_version, extra=extra)
    await publish_status(invoice)
    return invoice
