"""The one unit of work for every change to an invoice: lock, load, rules, write, history, counters, then events.

Changing an invoice::

    async with change_invoice(invoice_id, principal, expected_version=version) as change:
        change.invoice                   # the typed store.invoices.Invoice, as it will be written
        change.before                    # the row as locked, before this change
        change.transition(Action.SEND, role=Role.SUPPLIER, reason=None)   # status via rules.transition only
        change.set(deposit_number=..., routing_error=None)                # other columns (store SETTABLE)
        change.after_commit(lambda: storage.delete(key))                  # sync or async, run after commit
        change.announce()                # publish even if no column changes (only its files did)
        change.delete()                  # a draft's deletion: row out, counters back, no status event
    change.result                        # the row as written (after the block)

- Entering opens the transaction (`backend.infra.database.transaction()`; inside an open transaction
  or `connection()` block it joins that one), locks the row `FOR UPDATE` and loads it:
  NotFound when absent, DomainError "deja_traitee" (409) when `expected_version` is given and differs.
- `transition(action, role=…, reason=…)` asks `rules.transition` (the transition table is the only
  place a status is decided; refusals are DomainError 409 with the rule's code), and records one
  history row (actor, impersonating agent, acting-as label, reason). Several transitions in one change
  are allowed: each starts from the status the previous one reached.
- `set(**columns)` changes other columns (whitelisted: `store.invoices.SETTABLE`).
- On leaving without error, when something changed: one UPDATE (the columns, and status, status_at,
  version + 1, updated_at), the history rows, the counters (invoice as it was out, as it is in), and
  `invoice.status` for the invoice's structures and `invoice:{id}` (see `status_topics`) into the outbox
  (backend/domain/system/outbox.py), commit; then that event is published live and relayed to the webhooks'
  durable stream, then the after-commit callbacks run in order. When nothing changed, nothing is
  written or published, and the callbacks still run.
- `delete()`: on leaving, the row is deleted (lines, files' rows, history by cascade) and taken out of the
  counters; no `invoice.status` event (publish `invoice.deleted` from an after-commit callback).
- An exception rolls everything back (row, history, counters) and publishes nothing; callbacks don't run.

Creating an invoice::

    async with create_invoice(principal, supplier_structure_id=…, source="PDF", status=InvoiceStatus.PROVISOIRE,
                              **columns) as creation:
        creation.invoice                 # the new row (its id), inside the transaction
        ...                              # lines, files, attachments in the same transaction
        creation.after_commit(callback)
    creation.result

Inserting writes the CREATE history row (status_from NULL) and adds the invoice as inserted to the
counters: give every column at creation, and change the invoice inside the block only through a nested
`change_invoice` (which moves the counters itself). After the commit `invoice.status` is published (the
event every screen listens to) with the row as committed, then the callbacks run. The status defaults to
PROVISOIRE; `created_by` to the principal. `creation.refresh()` re-reads the row.

Nesting: `async with atomic():` opens a transaction for reads and checks that must come first (lock an
upload, then create the invoice from it; write a lot's rows beside the invoice it integrates). A unit of
work opened inside it, or inside another one (a creation that sends the invoice it created), joins that
transaction, and its events and callbacks wait for the outermost one's commit (one event per invoice,
with the row as last written). Otherwise open one outside any transaction: inside a plain
`database.transaction()` or a `connection()` transaction its events would go before that
transaction commits.

Neither checks permissions: callers check that the principal may act for the role before (`principal=None`
is the system, e.g. the routing job). Store functions called inside the block join its transaction.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import counters, rules
from backend.domain.invoices.store import counters as counter_store
from backend.domain.invoices.store import history
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.system.services import Outbox
from backend.infra.database import get_engine, transaction
from backend.infra.errors import DomainError, NotFound
from shared.invoice_status import InvoiceStatus

Callback = Callable[[], Awaitable[Any] | Any]

class _Pending:
    """What the outermost unit of work open in this task does: before its commit, write each changed
    invoice's `invoice.status` once, as last written, to the outbox (in the transaction); after it, publish
    them and run the callbacks (nested units of work add to it)."""

    def __init__(self) -> None:
        self.events: dict[int, Invoice] = {}
        self.callbacks: list[Callback] = []
        self.outbox = Outbox()

    async def write(self) -> None:
        for invoice in self.events.values():
            await self.outbox.add(*status_event(invoice))

    async def run(self) -> None:
        await self.outbox.published()
        await _run(self.callbacks)


_pending: ContextVar[_Pending | None] = ContextVar("invoice_after_commit", default=None)


def now() -> datetime:
    return datetime.now(UTC)


def already_handled() -> DomainError:
    return DomainError('deja_traitee', status_code=409)


def invoice_not_found() -> NotFound:
    return NotFound('facture')


def rule_error(error: DomainError, status_code: int = 409) -> DomainError:
    """A TransitionError / InvoiceRuleError from rules.py as an API error."""
    return error.with_status(status_code)


def status_label(status: str, lang: str = "fr") -> str:
    return InvoiceStatus(status).label(lang)


_BEFORE_DEPOSIT = frozenset({str(InvoiceStatus.BROUILLON), str(InvoiceStatus.PROVISOIRE)})


def status_topics(invoice: Invoice | Mapping[str, Any]) -> list[str]:
    """Where an invoice's moves are published: its supplier, recipient and validators' structures, itself.
    Before its deposit (a draft, an unsaved form) an invoice is its supplier's alone: its events reached
    the recipient's topic (issue 20, item 4)."""
    row = invoice.as_dict() if isinstance(invoice, Invoice) else invoice
    topics = [f"structure:{row['supplier_structure_id']}", f"invoice:{row['id']}"]
    if row["status"] in _BEFORE_DEPOSIT:
        return topics
    if row.get("recipient_structure_id"):
        topics.insert(1, f"structure:{row['recipient_structure_id']}")
    for validator in rules.VALIDATORS:
        if row.get(validator.column):
            topics.insert(1, f"structure:{row[validator.column]}")
    return topics


def status_event(invoice: Invoice | Mapping[str, Any]) -> tuple[str, list[str], dict[str, Any]]:
    """`invoice.status` {id, number, status, status_label_fr, version} to the invoice's topics."""
    row = invoice.as_dict() if isinstance(invoice, Invoice) else invoice
    return "invoice.status", status_topics(row), {
        "id": row["id"], "number": row.get("number"), "status": row["status"],
        "status_label_fr": status_label(row["status"]), "version": row["version"]}


def _actor(principal: Principal | None) -> dict[str, Any]:
    return {"actor_user_id": principal.user_id if principal else None,
            "impersonator_user_id": principal.impersonator_id if principal else None,
            "acting_as": principal.acting_as_label if principal else None}


async def _run(callbacks: list[Callback]) -> None:
    for callback in callbacks:
        outcome = callback()
        if inspect.isawaitable(outcome):
            await outcome


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """One transaction around reads and checks that must precede units of work (e.g. lock an upload, then
    create the invoice from it): the units of work opened inside join it, and their events and callbacks
    wait for its commit. Use it instead of `database.transaction()` whenever the block opens one."""
    async with _atomic():
        yield


@asynccontextmanager
async def _atomic() -> AsyncIterator[_Pending]:
    """One transaction (joining the task's open one), yielding what to do after its commit: the outermost
    unit of work does it once committed, a nested one only adds to it."""
    pending = _pending.get()
    outermost = pending is None
    if outermost:
        pending = _Pending()
        token = _pending.set(pending)
    try:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(transaction())
            conn = get_engine().current_transaction.get().connection
            if not conn.is_in_transaction():  # a connection() block (a test's setup) lent outside any transaction
                await stack.enter_async_context(conn.transaction())
            yield pending
            if outermost:
                await pending.write()
    finally:
        if outermost:
            _pending.reset(token)
    if outermost:
        await pending.run()


class _Work:
    def __init__(self, principal: Principal | None) -> None:
        self.principal = principal
        self.result: Invoice | None = None
        self._callbacks: list[Callback] = []

    def after_commit(self, callback: Callback) -> None:
        """Run `callback()` (sync or async) once the transaction has committed, after the event."""
        self._callbacks.append(callback)


class InvoiceChange(_Work):
    """A change to one locked invoice; see the module doc."""

    def __init__(self, before: Invoice, principal: Principal | None) -> None:
        super().__init__(principal)
        self.before = before
        self.invoice = before
        self.deleted = False
        self._columns: dict[str, Any] = {}
        self._moves: list[dict[str, Any]] = []
        self._announce = False

    def transition(self, action: rules.Action | str, *, role: rules.Role | str, reason: str | None = None) -> InvoiceStatus:
        """Move the status as the transition table says for `action` done as `role`; returns the new status."""
        action = rules.Action(action)
        current = InvoiceStatus(self.invoice.status)
        try:
            new_status = rules.transition(current, action, rules.Role(role), cadre=self.invoice.cadre, reason=reason)
        except rules.TransitionError as error:
            raise rule_error(error) from None
        self._moves.append({"status_from": str(current), "status_to": str(new_status), "action": str(action),
                            "reason": reason})
        self.invoice = self.invoice.replace(status=str(new_status))
        return new_status

    def set(self, **columns: Any) -> None:
        """Change columns other than the status (names from `store.invoices.SETTABLE`)."""
        unknown = set(columns) - invoice_store.SETTABLE
        if unknown:
            raise ValueError(f"a change cannot set {sorted(unknown)}")
        self._columns.update(columns)
        self.invoice = self.invoice.replace(**columns)

    def announce(self) -> None:
        """Publish `invoice.status` after the commit even if no column changes (e.g. only its files did)."""
        self._announce = True

    def delete(self) -> None:
        """Delete the invoice on leaving (its lines, files' rows and history go with it by cascade) and
        take it out of the counters; no status event (publish your own with `after_commit`)."""
        self.deleted = True

    @property
    def changed(self) -> bool:
        return bool(self._columns or self._moves)

    async def _write(self) -> None:
        if self.deleted:
            await invoice_store.delete(self.before.id)
            await counter_store.add(counters.deltas(self.before.as_dict(), None))
            return
        if not self.changed:
            self.result = self.before
            return
        moment = now()
        values: dict[str, Any] = {**self._columns, "version": self.before.version + 1, "updated_at": moment}
        if self._moves:
            values |= {"status": self.invoice.status, "status_at": moment}
        self.result = await invoice_store.update(self.before.id, values)
        for move in self._moves:
            await history.add(invoice_id=self.before.id, at=moment, **move, **_actor(self.principal))
        await counter_store.add(counters.deltas(self.before.as_dict(), self.result.as_dict()))


@asynccontextmanager
async def change_invoice(invoice_id: int, principal: Principal | None, *,
                         expected_version: int | None = None) -> AsyncIterator[InvoiceChange]:
    """Lock, load and change one invoice in one transaction; see the module doc."""
    async with _atomic() as pending:
        before = await invoice_store.get_for_update(invoice_id)
        if before is None:
            raise invoice_not_found()
        if expected_version is not None and int(expected_version) != before.version:
            raise already_handled()
        change = InvoiceChange(before, principal)
        yield change
        await change._write()
        if change.deleted:
            pending.events.pop(invoice_id, None)
        elif change.changed or change._announce:
            pending.events[invoice_id] = change.result
        pending.callbacks.extend(change._callbacks)


class InvoiceCreation(_Work):
    """A new invoice inside its creating transaction; see the module doc."""

    def __init__(self, invoice: Invoice, principal: Principal | None) -> None:
        super().__init__(principal)
        self.invoice = invoice

    async def refresh(self) -> Invoice:
        """Re-read the row (after units of work nested in the block changed it)."""
        self.invoice = await invoice_store.get(self.invoice.id)
        return self.invoice


@asynccontextmanager
async def create_invoice(principal: Principal | None, **columns: Any) -> AsyncIterator[InvoiceCreation]:
    """Insert an invoice with `columns`, its CREATE history row and its counters; see the module doc."""
    columns.setdefault("status", InvoiceStatus.PROVISOIRE)
    columns["status"] = str(InvoiceStatus(columns["status"]))
    if principal is not None:
        columns.setdefault("created_by", principal.user_id)
    async with _atomic() as pending:
        moment = now()
        invoice = await invoice_store.insert({"status_at": moment, "created_at": moment, "updated_at": moment, **columns})
        await history.add(invoice_id=invoice.id, status_from=None, status_to=invoice.status, action="CREATE",
                          at=invoice.created_at, **_actor(principal))
        await counter_store.add(counters.deltas(None, invoice.as_dict()))
        creation = InvoiceCreation(invoice, principal)
        yield creation
        # As committed: a unit of work nested in the block (a send) may have moved it since.
        creation.result = await creation.refresh()
        if creation.result is not None:
            pending.events[invoice.id] = creation.result
        pending.callbacks.extend(creation._callbacks)
