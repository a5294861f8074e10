"""Cadres de facturation (A1–A25), invoice kinds and sources, and the French VAT rates."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import shared.i18n_labels  # noqa: F401  (registers the names)
from shared.i18n import label as catalogue_label


class Cadre(StrEnum):
    A1 = "A1"; A2 = "A2"; A3 = "A3"; A4 = "A4"; A5 = "A5"; A6 = "A6"; A7 = "A7"; A8 = "A8"  # noqa: E702
    A9 = "A9"; A10 = "A10"; A11 = "A11"; A12 = "A12"; A13 = "A13"; A14 = "A14"; A15 = "A15"  # noqa: E702
    A16 = "A16"; A17 = "A17"; A18 = "A18"; A19 = "A19"; A20 = "A20"; A21 = "A21"; A22 = "A22"  # noqa: E702
    A23 = "A23"; A24 = "A24"; A25 = "A25"  # noqa: E702

    def label(self, lang: str = "fr") -> str:
        return f"{self.value} {catalogue_label(self, lang)}"  # shared/i18n_labels.py, Cadre.<value>

    @property
    def is_works(self) -> bool:
        """Works invoices (travaux) go through the project manager (MOE) and owner (MOA) first."""
        return self in _WORKS

    @property
    def needs_holder_validation(self) -> bool:
        """Subcontractors and co-contractors: the contract holder (titulaire) validates first."""
        return self in _HOLDER

    @property
    def already_paid(self) -> bool:
        return self == Cadre.A2


_WORKS = frozenset({Cadre.A4, Cadre.A5, Cadre.A6, Cadre.A7, Cadre.A8, Cadre.A10, Cadre.A11, Cadre.A13, Cadre.A14,
                    Cadre.A15, Cadre.A16, Cadre.A17, Cadre.A18, Cadre.A19, Cadre.A20, Cadre.A22, Cadre.A23, Cadre.A24, Cadre.A25})
_HOLDER = frozenset({Cadre.A9, Cadre.A10, Cadre.A11, Cadre.A12, Cadre.A13, Cadre.A14})


class InvoiceKind(StrEnum):
    FACTURE = "FACTURE"
    AVOIR = "AVOIR"

    @property
    def type_code(self) -> str:
        """UNTDID 1001 document type (BT-3)."""
        return "380" if self == InvoiceKind.FACTURE else "381"

    def label(self, lang: str = "fr") -> str:
        return catalogue_label(self, lang)  # shared/i18n_labels.py, InvoiceKind.<value>


class InvoiceSource(StrEnum):
    PDF = "PDF"
    SAISIE = "SAISIE"
    DUPLICATION = "DUPLICATION"
    LOT = "LOT"

    def label(self, lang: str = "fr") -> str:
        return catalogue_label(self, lang)  # shared/i18n_labels.py, InvoiceSource.<value>


# French VAT rates; 0 % needs an exemption reason (EN 16931 category E).
VAT_RATES: tuple[Decimal, ...] = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"), Decimal("0"))


def vat_category(rate: Decimal) -> str:
    """EN 16931 VAT category code (BT-151): S standard rate, E exempt."""
    return "E" if Decimal(rate) == 0 else "S"
