"""Response bodies of the lot routes: a lot, its integration report, a structure's lots."""

from __future__ import annotations

from typing import Any

import msgspec

from backend.infra.schemas import UNSET, Unset


class LotEntry(msgspec.Struct):
    """One file of the archive: the invoice created from it, or its anomalies (error bodies)."""

    id: int
    position: int
    name: str
    size: int | None
    status: str
    invoice_id: int | None
    invoice_number: str | None
    anomalies: list[dict[str, Any]] | None
    previous_attempt: dict[str, Any] | None = None  # the earlier rejected entry a corrected invoice follows


class Lot(msgspec.Struct, kw_only=True):
    id: int
    number: str
    structure_id: int
    deposit_format: str
    syntax: str
    original_name: str
    size: int
    status: str
    entry_count: int | None
    integrated_count: int | None
    rejected_count: int | None
    created_at: str
    processed_at: str | None
    entries: list[LotEntry] | Unset = UNSET


class LotPage(msgspec.Struct):
    items: list[Lot]
    next: str | None


class ValidationLayer(msgspec.Struct):
    """One layer of a validation report: xsd, en16931 or fr; its anomalies grouped by rule."""

    layer: str
    status: str  # conforme | non_conforme | impossible | non_applicable
    blocking: bool
    anomalies: list[dict[str, Any]]


class FileReport(msgspec.Struct, kw_only=True):
    """« Valider un fichier »: the report a deposit would give, for one XML or Factur-X PDF."""

    name: str
    size: int
    kind: str  # xml | pdf, read from the content
    accepted: bool
    syntax: str | None
    profile: str | None
    profile_xmp: str | None
    layers: list[ValidationLayer]
    anomalies: list[dict[str, Any]]


class FrenchRules(msgspec.Struct):
    """Whether the French reform rules (BR-FR) refuse the structure's deposits (else they warn)."""

    structure_id: int
    blocking: bool
    may_change: bool  # the user holds « Organisation modification » on the structure


class FrenchRulesChange(msgspec.Struct, forbid_unknown_fields=True):
    blocking: bool
