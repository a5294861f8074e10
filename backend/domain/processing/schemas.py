"""Request and response bodies of what recipients and validators do, and of the notifications."""

from __future__ import annotations

import msgspec


class InvoiceAction(msgspec.Struct):
    """One of the actions the invoice's view lists (`actions`); a refusal or suspension needs its reason;
    putting in payment may give the date and the amount paid."""

    action: str
    expected_version: int | None = None
    reason: str | None = None
    payment_date: str | None = None
    paid_amount: str | None = None


class Completion(msgspec.Struct):
    """The supplier's answer to a suspension."""

    comment: str
    expected_version: int | None = None


class Completed(msgspec.Struct):
    id: int
    status: str
    version: int


class ReceivedService(msgspec.Struct):
    code: str
    libelle: str | None


class SupplierName(msgspec.Struct):
    identifier: str | None
    name: str | None


class InvoiceToValidate(msgspec.Struct):
    id: int
    number: str | None
    cadre: str | None
    status: str
    invoice_date: str | None
    total_ttc: str | None
    currency: str | None
    version: int
    supplier: SupplierName
    recipient_name: str | None


class InvoiceToValidatePage(msgspec.Struct):
    items: list[InvoiceToValidate]
    next: str | None


class Notification(msgspec.Struct):
    id: int
    user_id: int
    invoice_id: int | None
    kind: str
    message: str
    created_at: str
    read_at: str | None
    digested_at: str | None = None


class Notifications(msgspec.Struct):
    unread: int
    items: list[Notification]


class Unread(msgspec.Struct):
    unread: int
