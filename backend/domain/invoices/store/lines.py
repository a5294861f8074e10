"""An invoice's lines and VAT breakdown (tables `invoice_line`, `invoice_vat`): read, and replaced whole.

A typed-in invoice's lines are always written together with the breakdown computed from them
(rules.compute_totals), so the two tables never disagree; callers run `replace_lines` inside the
invoice's transaction (the unit of work), which also writes the totals on the invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import msgspec

from backend.domain.invoices import rules
from backend.domain.invoices.tables import InvoiceLine, InvoiceVat


class Line(msgspec.Struct, frozen=True):
    """One stored line (BG-25); `discount` is an amount taken off the line, `net_amount` the line's HT."""

    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount: Decimal
    vat_rate: Decimal
    exemption_reason: str | None
    net_amount: Decimal

    def as_rule(self) -> rules.InvoiceLine:
        return rules.InvoiceLine(description=self.description, quantity=self.quantity, unit_price=self.unit_price,
                                 vat_rate=self.vat_rate, unit=self.unit, discount=self.discount,
                                 exemption_reason=self.exemption_reason)


class VatLine(msgspec.Struct, frozen=True):
    """One rate of the VAT breakdown (BG-23)."""

    rate: Decimal
    category: str
    base: Decimal
    amount: Decimal
    exemption_reason: str | None


_LINE_COLUMNS = (InvoiceLine.position, InvoiceLine.description, InvoiceLine.quantity, InvoiceLine.unit, InvoiceLine.unit_price,
                 InvoiceLine.discount, InvoiceLine.vat_rate, InvoiceLine.exemption_reason, InvoiceLine.net_amount)
_VAT_COLUMNS = (InvoiceVat.rate, InvoiceVat.category, InvoiceVat.base, InvoiceVat.amount, InvoiceVat.exemption_reason)


async def lines_of(invoice_id: int) -> list[Line]:
    rows = await InvoiceLine.select(*_LINE_COLUMNS).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.position)
    return [Line(**row) for row in rows]


async def vat_breakdown_of(invoice_id: int) -> list[VatLine]:
    """Highest rate first, as the Factur-X lists them."""
    rows = await InvoiceVat.select(*_VAT_COLUMNS).where(InvoiceVat.invoice_id == invoice_id).order_by(InvoiceVat.rate, ascending=False)
    return [VatLine(**row) for row in rows]


async def replace_lines(invoice_id: int, lines: Sequence[rules.InvoiceLine], breakdown: Sequence[rules.VatBreakdown]) -> None:
    """The invoice's lines and breakdown become exactly these (numbered from 1 in order)."""
    await InvoiceLine.delete().where(InvoiceLine.invoice_id == invoice_id)
    await InvoiceVat.delete().where(InvoiceVat.invoice_id == invoice_id)
    if lines:
        await InvoiceLine.insert(*(InvoiceLine(
            invoice_id=invoice_id, position=position, description=line.description, quantity=line.quantity, unit=line.unit,
            unit_price=line.unit_price, discount=line.discount, vat_rate=line.vat_rate, exemption_reason=line.exemption_reason,
            net_amount=line.net_amount) for position, line in enumerate(lines, start=1)))
    if breakdown:
        await InvoiceVat.insert(*(InvoiceVat(
            invoice_id=invoice_id, rate=vat.rate, category=vat.category, base=vat.base, amount=vat.amount,
            exemption_reason=vat.exemption_reason) for vat in breakdown))
