"""An invoice document in EN 16931 terms (BT-… business terms), independent of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    name: str                       # BT-27 / BT-44
    siret: str | None = None        # BT-30 / BT-47, schemeID 0009
    vat_id: str | None = None       # BT-31 / BT-48
    address: str = ""
    postcode: str = ""
    city: str = ""
    country_code: str = "FR"


@dataclass(frozen=True)
class DocumentLine:
    line_id: str                    # BT-126
    description: str                # BT-153
    quantity: Decimal               # BT-129
    unit_price: Decimal             # BT-146 (net price)
    net_amount: Decimal             # BT-131
    vat_category: str               # BT-151
    vat_rate: Decimal               # BT-152
    unit_code: str = "C62"          # BT-130
    discount: Decimal = Decimal("0")  # BT-136 line allowance


@dataclass(frozen=True)
class VatBreakdownLine:
    category: str                   # BT-118
    rate: Decimal                   # BT-119
    base: Decimal                   # BT-116
    amount: Decimal                 # BT-117
    exemption_reason: str | None = None  # BT-120


@dataclass(frozen=True)
class InvoiceDocument:
    number: str                     # BT-1
    issue_date: date                # BT-2
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    vat_breakdown: tuple[VatBreakdownLine, ...]
    total_ht: Decimal               # BT-109
    total_tva: Decimal              # BT-110
    total_ttc: Decimal              # BT-112
    net_a_payer: Decimal            # BT-115
    type_code: str = "380"          # BT-3: 380 invoice, 381 credit note
    currency: str = "EUR"           # BT-5
    buyer_reference: str | None = None            # BT-10 (code service)
    purchase_order_reference: str | None = None   # BT-13 (engagement)
    preceding_invoice_reference: str | None = None  # BT-25
    payment_terms: str | None = None  # BT-20
    due_date: date | None = None      # BT-9
    iban: str | None = None           # BT-84
    notes: tuple[str, ...] = field(default_factory=tuple)  # BT-22
    prepaid: Decimal = Decimal("0")   # BT-113
    preceding_invoice_date: date | None = None  # BT-26
    business_process: str = "S1"      # BT-23 (French « cadre de facturation »: S1 services, B1 goods, M1 mixed)
    # BT-21/BT-22 notes the French reform requires (BR-FR-05): recovery costs, late-payment penalties, discount.
    legal_notes: tuple[tuple[str, str], ...] = (
        ("PMT", "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 euros."),
        ("PMD", "Pénalités de retard : trois fois le taux d'intérêt légal."),
        ("AAB", "Pas d'escompte pour paiement anticipé."),
    )

    @property
    def line_total(self) -> Decimal:  # BT-106
        return sum((line.net_amount for line in self.lines), Decimal("0"))

    def check(self) -> None:
        """The sums EN 16931 checks (BR-CO-10, -13, -14, -15, -16), before the document leaves."""
        if self.line_total != self.total_ht:
            raise ValueError(f"sum of line net amounts {self.line_total} != total HT {self.total_ht}")
        if sum((b.amount for b in self.vat_breakdown), Decimal("0")) != self.total_tva:
            raise ValueError("VAT breakdown does not add up to the VAT total")
        if self.total_ht + self.total_tva != self.total_ttc:
            raise ValueError("total HT + VAT != total TTC")
        if self.total_ttc - self.prepaid != self.net_a_payer:
            raise ValueError("total TTC - prepaid != amount due")


def french_vat_id(siren: str) -> str:
    """The intra-community VAT number of a French company from its SIREN (FR + key + SIREN)."""
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"
