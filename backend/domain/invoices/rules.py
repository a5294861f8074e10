"""The invoice domain with no I/O: the lifecycle (one transition table), amounts and VAT, numbers.

Every status change in Chorale is decided by `transition()`; nothing else says whether a move is
allowed. Money is Decimal, rounded half-up to the cent per line, VAT computed per rate on that rate's
base (EN 16931: BT-116 × BT-119 rounded), totals summed from the rounded figures.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from shared.applications import Application
from shared.errors import DomainError
import shared.i18n_labels  # noqa: F401  (registers the names)
from shared.i18n import label as catalogue_label
from shared.cadres import VAT_RATES, Cadre, vat_category
from shared.invoice_status import InvoiceStatus as S

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class InvoiceRuleError(DomainError):
    """An invoice rule refused: 422 at a route (the request was understood, its content is not acceptable)."""

    status_code = 422


class TransitionError(InvoiceRuleError):
    """The action is not possible in the invoice's status: a conflict with its current state."""

    status_code = 409


# Lifecycle -------------------------------------------------------------------------------------

class Role(StrEnum):
    SUPPLIER = "SUPPLIER"
    RECIPIENT = "RECIPIENT"
    HOLDER = "HOLDER"                    # titulaire of the contract (A9/A12…)
    PROJECT_MANAGER = "PROJECT_MANAGER"  # maîtrise d'œuvre (works)
    SYSTEM = "SYSTEM"                    # the routing job


class Action(StrEnum):
    SAVE_DRAFT = "SAVE_DRAFT"
    SEND = "SEND"
    ROUTE = "ROUTE"
    MAKE_AVAILABLE = "MAKE_AVAILABLE"
    ROUTING_ERROR = "ROUTING_ERROR"
    REJECT = "REJECT"
    RECYCLE = "RECYCLE"
    VALIDATE_HOLDER = "VALIDATE_HOLDER"
    VALIDATE_MOE = "VALIDATE_MOE"
    VALIDATE_MOA = "VALIDATE_MOA"
    SUSPEND = "SUSPEND"
    COMPLETE = "COMPLETE"
    REFUSE = "REFUSE"
    VALIDATE = "VALIDATE"                # Valider / Service fait
    MANDATE = "MANDATE"
    PUT_IN_PAYMENT = "PUT_IN_PAYMENT"

    def label(self, lang: str = "fr") -> str:
        return catalogue_label(self, lang)  # shared/i18n_labels.py, Action.<value>

    @property
    def needs_reason(self) -> bool:
        return self in (Action.REFUSE, Action.SUSPEND, Action.RECYCLE, Action.REJECT, Action.ROUTING_ERROR)



# What the recipient may do on an invoice it is processing (optional steps may be skipped).
_PROCESSING = {Action.VALIDATE: S.SERVICE_FAIT, Action.REFUSE: S.REFUSEE, Action.SUSPEND: S.SUSPENDUE,
               Action.RECYCLE: S.A_RECYCLER, Action.MANDATE: S.MANDATEE, Action.PUT_IN_PAYMENT: S.MISE_EN_PAIEMENT}

# (status, action) -> (role allowed, next status). MAKE_AVAILABLE and the validations of the holder
# and the project manager have a next status that depends on the cadre: see _next_step().
TRANSITIONS: dict[tuple[S, Action], tuple[Role, S | None]] = {
    (S.PROVISOIRE, Action.SAVE_DRAFT): (Role.SUPPLIER, S.BROUILLON),
    (S.BROUILLON, Action.SAVE_DRAFT): (Role.SUPPLIER, S.BROUILLON),
    (S.A_RECYCLER, Action.SAVE_DRAFT): (Role.SUPPLIER, S.A_RECYCLER),
    (S.PROVISOIRE, Action.SEND): (Role.SUPPLIER, S.DEPOSEE),
    (S.BROUILLON, Action.SEND): (Role.SUPPLIER, S.DEPOSEE),
    (S.A_RECYCLER, Action.SEND): (Role.SUPPLIER, S.DEPOSEE),
    (S.DEPOSEE, Action.ROUTE): (Role.SYSTEM, S.EN_COURS_ACHEMINEMENT),
    (S.DEPOSEE, Action.REJECT): (Role.SYSTEM, S.REJETEE),
    (S.DEPOSEE, Action.ROUTING_ERROR): (Role.SYSTEM, S.ERREUR_ACHEMINEMENT),
    (S.EN_COURS_ACHEMINEMENT, Action.MAKE_AVAILABLE): (Role.SYSTEM, None),
    (S.EN_COURS_ACHEMINEMENT, Action.ROUTING_ERROR): (Role.SYSTEM, S.ERREUR_ACHEMINEMENT),
    (S.EN_COURS_ACHEMINEMENT, Action.RECYCLE): (Role.SYSTEM, S.A_RECYCLER),
    (S.EN_COURS_ACHEMINEMENT, Action.REJECT): (Role.SYSTEM, S.REJETEE),
    (S.A_VALIDER_TITULAIRE, Action.VALIDATE_HOLDER): (Role.HOLDER, None),
    (S.A_VALIDER_TITULAIRE, Action.REFUSE): (Role.HOLDER, S.REFUSEE),
    (S.A_VALIDER_MOE, Action.VALIDATE_MOE): (Role.PROJECT_MANAGER, S.A_VALIDER_MOA),
    (S.A_VALIDER_MOE, Action.REFUSE): (Role.PROJECT_MANAGER, S.REFUSEE),
    (S.A_VALIDER_MOA, Action.VALIDATE_MOA): (Role.RECIPIENT, S.MISE_A_DISPOSITION),
    (S.A_VALIDER_MOA, Action.REFUSE): (Role.RECIPIENT, S.REFUSEE),
    **{(S.MISE_A_DISPOSITION, a): (Role.RECIPIENT, s) for a, s in _PROCESSING.items()},
    **{(S.COMPLETEE, a): (Role.RECIPIENT, s) for a, s in _PROCESSING.items()},
    (S.SUSPENDUE, Action.COMPLETE): (Role.SUPPLIER, S.COMPLETEE),
    (S.SUSPENDUE, Action.REFUSE): (Role.RECIPIENT, S.REFUSEE),
    (S.SERVICE_FAIT, Action.MANDATE): (Role.RECIPIENT, S.MANDATEE),
    (S.SERVICE_FAIT, Action.PUT_IN_PAYMENT): (Role.RECIPIENT, S.MISE_EN_PAIEMENT),
    (S.SERVICE_FAIT, Action.SUSPEND): (Role.RECIPIENT, S.SUSPENDUE),
    (S.MANDATEE, Action.PUT_IN_PAYMENT): (Role.RECIPIENT, S.MISE_EN_PAIEMENT),
}


def _next_step(after: str, cadre: Cadre) -> S:
    """Where an invoice goes once routed ('routed') or validated by its holder ('holder')."""
    if after == "routed" and cadre.needs_holder_validation:
        return S.A_VALIDER_TITULAIRE
    if cadre.is_works:
        return S.A_VALIDER_MOE
    return S.MISE_A_DISPOSITION


def transition(status: S | str, action: Action | str, role: Role | str, *, cadre: Cadre | str | None = None,
               reason: str | None = None) -> S:
    """The status after `role` performs `action` on an invoice in `status`, or a TransitionError."""
    status, action, role = S(status), Action(action), Role(role)
    cadre = Cadre(cadre) if cadre else Cadre.A1
    entry = TRANSITIONS.get((status, action))
    if entry is None or entry[0] != role:
        raise TransitionError('transition_interdite', action=action.label(), status=status.label(), action_en=action.label('en'), status_en=status.label('en'))
    if action.needs_reason and not (reason or "").strip():
        raise TransitionError('motif_obligatoire', "reason")
    allowed_role, target = entry
    if target is None:
        target = _next_step("routed" if action == Action.MAKE_AVAILABLE else "holder", cadre)
    return target


def available_actions(status: S | str, role: Role | str, cadre: Cadre | str | None = None) -> list[Action]:
    status, role = S(status), Role(role)
    return [action for (s, action), (r, _) in TRANSITIONS.items() if s == status and r == role]


# Amounts -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvoiceLine:
    """One line. `discount` is an amount (HT) taken off the line, not a percentage."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    unit: str = "C62"
    discount: Decimal = Decimal("0")
    exemption_reason: str | None = None

    @property
    def net_amount(self) -> Decimal:
        return money(Decimal(self.quantity) * Decimal(self.unit_price) - Decimal(self.discount))


@dataclass(frozen=True)
class VatBreakdown:
    rate: Decimal
    category: str
    base: Decimal
    amount: Decimal
    exemption_reason: str | None = None


@dataclass(frozen=True)
class Totals:
    total_ht: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    net_a_payer: Decimal
    vat_breakdown: tuple[VatBreakdown, ...] = field(default_factory=tuple)


def validate_lines(lines: Iterable[InvoiceLine], *, credit_note: bool = False) -> None:
    """Refuse what cannot be invoiced. On a credit note (avoir) quantities stay positive too: the
    document type already says the amounts are owed back."""
    lines = list(lines)
    if not lines:
        raise InvoiceRuleError('ligne_obligatoire', "lines")
    for index, line in enumerate(lines, start=1):
        where = f"lines[{index - 1}]"
        if not (line.description or "").strip():
            raise InvoiceRuleError('designation_obligatoire', where + ".description", index=index)
        if Decimal(line.quantity) <= 0:
            raise InvoiceRuleError('quantite_invalide', where + ".quantity", index=index)
        if Decimal(line.unit_price) < 0:
            raise InvoiceRuleError('prix_negatif', where + ".unit_price", index=index)
        if Decimal(line.discount) < 0 or Decimal(line.discount) > Decimal(line.quantity) * Decimal(line.unit_price):
            raise InvoiceRuleError('remise_invalide', where + ".discount", index=index)
        if Decimal(line.vat_rate) not in VAT_RATES:
            raise InvoiceRuleError('taux_tva_inconnu', where + ".vat_rate", index=index, vat_rate=line.vat_rate)
        if Decimal(line.vat_rate) == 0 and not (line.exemption_reason or "").strip():
            raise InvoiceRuleError('motif_exoneration', where + ".exemption_reason", index=index)
        if abs(Decimal(line.quantity) * Decimal(line.unit_price)) > MAX_AMOUNT:
            raise InvoiceRuleError('montant_trop_grand', where + ".unit_price", variant='ligne_index_montant', index=index)


def compute_totals(lines: Iterable[InvoiceLine], *, prepaid: Decimal = Decimal("0")) -> Totals:
    lines = list(lines)
    bases: dict[Decimal, Decimal] = {}
    reasons: dict[Decimal, str | None] = {}
    for line in lines:
        rate = Decimal(line.vat_rate).quantize(CENT)
        bases[rate] = bases.get(rate, Decimal("0")) + line.net_amount
        reasons.setdefault(rate, line.exemption_reason if rate == 0 else None)
    breakdown = tuple(
        VatBreakdown(rate=rate, category=vat_category(rate), base=money(base), amount=money(base * rate / 100),
                     exemption_reason=reasons[rate])
        for rate, base in sorted(bases.items(), reverse=True))
    total_ht = sum((b.base for b in breakdown), Decimal("0.00"))
    total_tva = sum((b.amount for b in breakdown), Decimal("0.00"))
    if total_ht > MAX_AMOUNT:
        raise InvoiceRuleError('montant_trop_grand', "lines")
    total_ttc = money(total_ht + total_tva)
    return Totals(total_ht=money(total_ht), total_tva=money(total_tva), total_ttc=total_ttc,
                  net_a_payer=money(total_ttc - prepaid), vat_breakdown=breakdown)


def check_amounts(total_ht, total_tva, total_ttc, net_a_payer=None, *, prepaid: Decimal = Decimal("0")) -> None:
    """Totals typed or read from a PDF must add up to the cent."""
    try:
        ht, tva, ttc = (money(v) for v in (total_ht, total_tva, total_ttc))
        net = money(net_a_payer) if net_a_payer not in (None, "") else None
    except Exception:
        raise InvoiceRuleError('montant_invalide', "total_ht") from None
    for name, value in (("total_ht", ht), ("total_tva", tva), ("total_ttc", ttc)):
        if value < 0:
            raise InvoiceRuleError('montant_negatif', name)
        if value > MAX_AMOUNT:
            raise InvoiceRuleError('montant_trop_grand', name, variant='montant_trop_eleve')
    if ht + tva != ttc:
        raise InvoiceRuleError('montants_incoherents', "total_ttc", ht=ht, tva=tva, total=ht + tva, ttc=ttc)
    if net is not None:
        if net < 0 or net > ttc:
            raise InvoiceRuleError('net_a_payer_invalide', "net_a_payer")
        if prepaid and net != money(ttc - prepaid):
            raise InvoiceRuleError('net_a_payer_invalide', "net_a_payer", variant='net_payer_doit')


@dataclass(frozen=True)
class DeclaredVat:
    """One VAT line a client states beside its lines (an API's typed-in invoice): rate, base, amount."""

    rate: Decimal
    base: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class DeclaredAmounts:
    """The totals and VAT breakdown a client states beside its lines; None: not stated (nothing to compare)."""

    total_ht: Decimal | None = None
    total_tva: Decimal | None = None
    total_ttc: Decimal | None = None
    net_a_payer: Decimal | None = None
    vat_breakdown: tuple[DeclaredVat, ...] = ()


_DECLARED_TOTALS = (("total_ht", "montant HT total", "total amount excl. VAT"), ("total_tva", "montant de TVA", "VAT amount"),
                    ("total_ttc", "montant TTC total", "total amount incl. VAT"), ("net_a_payer", "net à payer", "amount due"))


def _differs(field_name: str, fr: str, en: str, declared: Decimal, computed: Decimal) -> InvoiceRuleError:
    return InvoiceRuleError('montant_declare_different', field_name, fr=fr, en=en, declared=money(declared), computed=computed)


def check_declared_amounts(totals: Totals, declared: DeclaredAmounts) -> None:
    """A typed-in invoice's amounts are its lines' (compute_totals, as the portal's form computes them): the
    totals and VAT lines a client states beside them must be the same to the cent, rate by rate. The first
    difference is refused, naming the stated field."""
    for name, fr, en in _DECLARED_TOTALS:
        stated = getattr(declared, name)
        if stated is not None and money(stated) != getattr(totals, name):
            raise _differs(name, fr, en, stated, getattr(totals, name))
    if not declared.vat_breakdown:
        return
    computed = {line.rate: line for line in totals.vat_breakdown}
    stated_rates = set()
    for index, stated in enumerate(declared.vat_breakdown):
        rate = Decimal(stated.rate).quantize(CENT)
        line = computed.get(rate)
        if line is None or rate in stated_rates:
            raise InvoiceRuleError('ligne_tva_sans_ligne', f"vat_breakdown[{index}].rate", rate=Decimal(stated.rate).normalize())
        stated_rates.add(rate)
        shown = rate.normalize()
        if stated.base is not None and money(stated.base) != line.base:
            raise _differs(f"vat_breakdown[{index}].base", f"montant de la base HT au taux de {shown} %", f"base at the {shown}% rate",
                           stated.base, line.base)
        if stated.amount is not None and money(stated.amount) != line.amount:
            raise _differs(f"vat_breakdown[{index}].amount", f"montant de TVA au taux de {shown} %",
                           f"VAT amount at the {shown}% rate", stated.amount, line.amount)
    for rate in computed:
        if rate not in stated_rates:
            raise InvoiceRuleError('ligne_tva_manquante', "vat_breakdown", rate=rate.normalize())


# Numbers, recipients, deposit certificate ---------------------------------------------------------

_NUMBER = re.compile(r"^[A-Za-z0-9\-_/. ]{1,20}$")


def normalise_invoice_number(value: str) -> str:
    """Spaces trimmed and collapsed; comparisons for uniqueness use the lower-case form."""
    return " ".join((value or "").split())


def invoice_number_key(value: str) -> str:
    return normalise_invoice_number(value).lower()


def check_invoice_number(value: str) -> str:
    number = normalise_invoice_number(value)
    if not number:
        raise InvoiceRuleError('numero_obligatoire', "number")
    if not _NUMBER.match(number):
        raise InvoiceRuleError('numero_invalide', "number")
    return number


@dataclass(frozen=True)
class RecipientRequirements:
    requires_engagement: bool
    requires_service_code: bool
    active: bool
    is_public: bool


@dataclass(frozen=True)
class Validator:
    """Who validates an invoice before its recipient, when its cadre says so: the contract holder
    (titulaire) of a subcontractor's or co-contractor's invoice, the project manager (maîtrise d'œuvre)
    of a works invoice. Each is a structure named on the invoice, acting from its own workspace."""

    role: Role
    key: str            # the API field `<key>_siret`, the form's block, the error's field
    column: str         # the invoice column naming its structure
    waiting: S          # the status in which it acts
    application: Application  # the workspace (profile) it acts from
    prefix: str         # of its refusals' codes: <prefix>_obligatoire, _inconnu, _invalide
    name_fr: str
    name_en: str
    cadre_flag: str     # the Cadre property saying a cadre needs it

    def needed(self, cadre: Cadre | str | None) -> bool:
        return getattr(Cadre(cadre or "A1"), self.cadre_flag)


HOLDER = Validator(Role.HOLDER, "holder", "holder_structure_id", S.A_VALIDER_TITULAIRE, Application.FACTURES_A_VALIDER,
                   "titulaire", "le titulaire du marché", "the contract holder", "needs_holder_validation")
PROJECT_MANAGER = Validator(Role.PROJECT_MANAGER, "project_manager", "project_manager_structure_id", S.A_VALIDER_MOE,
                            Application.FACTURES_TRAVAUX, "moe", "la maîtrise d'œuvre", "the project manager", "is_works")
VALIDATORS = (HOLDER, PROJECT_MANAGER)
VALIDATOR_OF = {v.role: v for v in VALIDATORS}


def check_validator(validator: Validator, cadre: Cadre | str | None, structure_id: int | None) -> None:
    """An invoice whose cadre needs `validator` names it."""
    if validator.needed(cadre) and structure_id is None:
        raise InvoiceRuleError(f"{validator.prefix}_obligatoire", validator.key, cadre=cadre, name=validator.name_fr,
                               name_en=validator.name_en)


def check_recipient(requirements: RecipientRequirements, engagement: str | None, service_code: str | None) -> None:
    if not (requirements.active and requirements.is_public):
        raise InvoiceRuleError('destinataire_invalide', "recipient")
    if requirements.requires_engagement and not (engagement or "").strip():
        raise InvoiceRuleError('engagement_obligatoire', "engagement_number")
    if requirements.requires_service_code and not (service_code or "").strip():
        raise InvoiceRuleError('code_service_obligatoire', "recipient_service")


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def deposit_number(content_sha256: str, supplier_siret: str, invoice_number: str, deposited_at: datetime) -> str:
    """A deterministic certificate number: the same deposit always gets the same number."""
    seed = f"{content_sha256}|{supplier_siret}|{invoice_number_key(invoice_number)}|{deposited_at.isoformat()}"
    return f"DEP-{deposited_at.year}-{hashlib.sha256(seed.encode()).hexdigest()[:12].upper()}"
