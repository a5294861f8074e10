"""The authorisation policy, pure: grants + facts about the principal + facts about the target → allow or
deny, with a reason. No I/O: `structures.permissions` loads the grants and turns a denial into the
HTTP error the routes have always given (404 where the target's existence must not be revealed, 403
where the user is attached but lacks the profile).

Every use case that needs authorising is an `Action`; `NEEDS` says what each requires (a profile on an
application at a level, the gestionnaire principal's role, being support, or just being logged in)
and `WHILE_ACTING` what support may do while acting as a user. That last table is denied by default:
an action it does not list is refused during an intervention, so a new action cannot slip through it.

The policy is a leaf of the slices (it imports none): accounts, structures and every slice above them
ask it without a cycle. The grants it reads are `structures.permissions.Grant`s, seen through the
`GrantLike` protocol so that new optional fields (service-level profiles, new kinds) plug in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Protocol

from shared.applications import Application, Level


class Action(StrEnum):
    # Factures émises: the supplier's side.
    VIEW_ISSUED = "view_issued"              # a structure's issued invoices, one of them, its files, its lots
    DEPOSIT = "deposit"                      # Déposer a PDF, start a Saisir (manual entry)
    EDIT_DRAFT = "edit_draft"                # Reprendre / change / delete a draft, its attachments
    SEND = "send"                            # send a draft (or a lot's invoices)
    DUPLICATE = "duplicate"                  # Dupliquer an issued invoice into a new draft
    COMPLETE = "complete"                    # Compléter a suspended invoice
    UPLOAD_LOT = "upload_lot"                # deposit an archive of invoices (lot)
    VIEW_LOTS = "view_lots"
    # Factures reçues: the recipient's side (for a works invoice, the recipient is the MOA).
    VIEW_RECEIVED = "view_received"
    VALIDATE = "validate"                    # « Valider / Service fait » (the MOA's validation of works too)
    REFUSE = "refuse"
    SUSPEND = "suspend"
    PUT_IN_PAYMENT = "put_in_payment"        # mandatée, mise en paiement
    # Validators before the recipient: the titulaire (Factures à valider), the MOE (Factures de travaux).
    VIEW_AS_HOLDER = "view_as_holder"
    PROCESS_AS_HOLDER = "process_as_holder"
    VIEW_AS_PROJECT_MANAGER = "view_as_project_manager"
    PROCESS_AS_PROJECT_MANAGER = "process_as_project_manager"
    # Dashboard.
    DASHBOARD = "dashboard"
    EXPORT = "export"
    # Organisation.
    ORGANISATION_READ = "organisation_read"
    ORGANISATION_MODIFY = "organisation_modify"  # structure data, services, profiles of its users
    BILLING_MANDATE = "billing_mandate"          # subscribe or revoke the mandat de facturation
    APPROVE_ATTACHMENT = "approve_attachment"    # approve or refuse a rattachement request
    REQUEST_ATTACHMENT = "request_attachment"    # ask to join a structure or its services (« Mes rattachements »)
    CONNECTION_MANAGE = "connection_manage"      # « Raccordement EDI et API »: technical accounts, API clients, webhooks
    FRENCH_RULES = "french_rules"                # make the French reform rules (BR-FR) blocking for the structure's deposits
    # The user's own account.
    ACCOUNT_VIEW = "account_view"
    ACCOUNT_DETAILS = "account_details"      # names, language, notification preferences, workspaces
    CHANGE_PASSWORD = "change_password"
    CHANGE_EMAIL = "change_email"
    CHANGE_SECRET_QUESTION = "change_secret_question"
    # Sollicitations (requests to support).
    SOLLICITATION_CREATE = "sollicitation_create"
    SOLLICITATION_VIEW = "sollicitation_view"
    SOLLICITATION_REPLY = "sollicitation_reply"
    # Support's own tools (never while acting as someone: support is then that user).
    SUPPORT_TOOLS = "support_tools"          # search users, read the journal, unlock, resend activation
    SUPPORT_IMPERSONATE = "support_impersonate"
    SUPPORT_ANSWER = "support_answer"        # answer, assign, close a sollicitation as support


class Kind(Enum):
    STRUCTURE = "structure"   # a profile on `application` at `level` on the target structure (and service)
    PRINCIPAL = "principal"   # the target structure's approved gestionnaire principal
    SUPPORT = "support"       # a support agent acting as themself
    USER = "user"             # any logged-in person (their own account, their own requests)


@dataclass(frozen=True)
class Need:
    kind: Kind
    application: Application | None = None
    level: Level = Level.CONSULTATION


def _on(application: Application, level: Level = Level.CONSULTATION) -> Need:
    return Need(Kind.STRUCTURE, application, level)


_EMISES, _RECUES = Application.FACTURES_EMISES, Application.FACTURES_RECUES
_MOD = Level.MODIFICATION
_USER, _PRINCIPAL, _SUPPORT = Need(Kind.USER), Need(Kind.PRINCIPAL), Need(Kind.SUPPORT)

NEEDS: dict[Action, Need] = {
    Action.VIEW_ISSUED: _on(_EMISES), Action.DEPOSIT: _on(_EMISES, _MOD), Action.EDIT_DRAFT: _on(_EMISES, _MOD),
    Action.SEND: _on(_EMISES, _MOD), Action.DUPLICATE: _on(_EMISES, _MOD), Action.COMPLETE: _on(_EMISES, _MOD),
    Action.UPLOAD_LOT: _on(_EMISES, _MOD), Action.VIEW_LOTS: _on(_EMISES),
    Action.VIEW_RECEIVED: _on(_RECUES), Action.VALIDATE: _on(_RECUES, _MOD), Action.REFUSE: _on(_RECUES, _MOD),
    Action.SUSPEND: _on(_RECUES, _MOD), Action.PUT_IN_PAYMENT: _on(_RECUES, _MOD),
    Action.VIEW_AS_HOLDER: _on(Application.FACTURES_A_VALIDER),
    Action.PROCESS_AS_HOLDER: _on(Application.FACTURES_A_VALIDER, _MOD),
    Action.VIEW_AS_PROJECT_MANAGER: _on(Application.FACTURES_TRAVAUX),
    Action.PROCESS_AS_PROJECT_MANAGER: _on(Application.FACTURES_TRAVAUX, _MOD),
    # The dashboard and its exports show one side at a time: the side's application is the target's.
    Action.DASHBOARD: _USER, Action.EXPORT: _USER,
    Action.ORGANISATION_READ: _on(Application.ORGANISATION), Action.ORGANISATION_MODIFY: _on(Application.ORGANISATION, _MOD),
    Action.BILLING_MANDATE: _PRINCIPAL, Action.APPROVE_ATTACHMENT: _PRINCIPAL, Action.REQUEST_ATTACHMENT: _USER,
    Action.CONNECTION_MANAGE: _PRINCIPAL,  # never while acting (not in WHILE_ACTING): it creates credentials
    Action.FRENCH_RULES: _on(Application.ORGANISATION, _MOD),  # a gestionnaire's choice for the structure (issue 17)
    Action.ACCOUNT_VIEW: _USER, Action.ACCOUNT_DETAILS: _USER, Action.CHANGE_PASSWORD: _USER, Action.CHANGE_EMAIL: _USER,
    Action.CHANGE_SECRET_QUESTION: _USER,
    Action.SOLLICITATION_CREATE: _USER, Action.SOLLICITATION_VIEW: _USER, Action.SOLLICITATION_REPLY: _USER,
    Action.SUPPORT_TOOLS: _SUPPORT, Action.SUPPORT_IMPERSONATE: _SUPPORT, Action.SUPPORT_ANSWER: _SUPPORT,
}


class WhileActing(Enum):
    ALLOWED = "allowed"          # support may, as the user: reading what the user sees
    IF_ENABLED = "if_enabled"    # only once support enabled actions, with a second, journaled confirmation


# What support may do while acting as a user. Denied by default: an action missing here is refused
# during an intervention, whatever the agent enabled (the person's own credentials, support's tools).
WHILE_ACTING: dict[Action, WhileActing] = {
    **{a: WhileActing.ALLOWED for a in (
        Action.VIEW_ISSUED, Action.VIEW_LOTS, Action.VIEW_RECEIVED, Action.VIEW_AS_HOLDER, Action.VIEW_AS_PROJECT_MANAGER,
        Action.DASHBOARD, Action.EXPORT, Action.ORGANISATION_READ, Action.ACCOUNT_VIEW, Action.SOLLICITATION_VIEW)},
    **{a: WhileActing.IF_ENABLED for a in (
        Action.DEPOSIT, Action.EDIT_DRAFT, Action.SEND, Action.DUPLICATE, Action.COMPLETE, Action.UPLOAD_LOT,
        Action.VALIDATE, Action.REFUSE, Action.SUSPEND, Action.PUT_IN_PAYMENT,
        Action.PROCESS_AS_HOLDER, Action.PROCESS_AS_PROJECT_MANAGER, Action.ORGANISATION_MODIFY, Action.BILLING_MANDATE,
        Action.APPROVE_ATTACHMENT, Action.REQUEST_ATTACHMENT, Action.ACCOUNT_DETAILS, Action.FRENCH_RULES)},
}

# The words of the refusal « Action bloquée pendant une intervention du support : … ».
LABELS: dict[Action, tuple[str, str]] = {
    Action.VIEW_ISSUED: ("consulter les factures émises", "view issued invoices"),
    Action.DEPOSIT: ("déposer une facture", "deposit an invoice"),
    Action.EDIT_DRAFT: ("modifier un brouillon", "edit a draft"),
    Action.SEND: ("envoyer une facture", "send an invoice"),
    Action.DUPLICATE: ("dupliquer une facture", "duplicate an invoice"),
    Action.COMPLETE: ("compléter une facture", "complete an invoice"),
    Action.UPLOAD_LOT: ("déposer un lot", "upload a batch"),
    Action.VIEW_LOTS: ("consulter les lots", "view batches"),
    Action.VIEW_RECEIVED: ("consulter les factures reçues", "view received invoices"),
    Action.VALIDATE: ("traiter une facture", "process an invoice"),
    Action.REFUSE: ("traiter une facture", "process an invoice"),
    Action.SUSPEND: ("traiter une facture", "process an invoice"),
    Action.PUT_IN_PAYMENT: ("traiter une facture", "process an invoice"),
    Action.VIEW_AS_HOLDER: ("consulter les factures à valider", "view invoices to validate"),
    Action.PROCESS_AS_HOLDER: ("traiter une facture", "process an invoice"),
    Action.VIEW_AS_PROJECT_MANAGER: ("consulter les factures de travaux", "view works invoices"),
    Action.PROCESS_AS_PROJECT_MANAGER: ("traiter une facture", "process an invoice"),
    Action.DASHBOARD: ("consulter le tableau de bord", "view the dashboard"),
    Action.EXPORT: ("exporter des factures", "export invoices"),
    Action.ORGANISATION_READ: ("consulter la structure", "view the organisation"),
    Action.ORGANISATION_MODIFY: ("modifier la structure ou ses profils", "change the organisation or its profiles"),
    Action.BILLING_MANDATE: ("gérer le mandat de facturation", "manage the billing mandate"),
    Action.APPROVE_ATTACHMENT: ("traiter une demande de rattachement", "decide on an attachment request"),
    Action.REQUEST_ATTACHMENT: ("demander un rattachement", "ask for an attachment"),
    Action.CONNECTION_MANAGE: ("gérer le raccordement EDI et API", "manage the EDI and API connection"),
    Action.FRENCH_RULES: ("changer le contrôle des règles françaises", "change how the French rules are checked"),
    Action.ACCOUNT_VIEW: ("consulter le compte", "view the account"),
    Action.ACCOUNT_DETAILS: ("modifier les informations du compte", "change the account's details"),
    Action.CHANGE_PASSWORD: ("changer le mot de passe", "change the password"),
    Action.CHANGE_EMAIL: ("changer l'adresse électronique", "change the e-mail address"),
    Action.CHANGE_SECRET_QUESTION: ("changer la question secrète", "change the secret question"),
    Action.SOLLICITATION_CREATE: ("écrire au support", "write to support"),
    Action.SOLLICITATION_VIEW: ("consulter les sollicitations", "view requests"),
    Action.SOLLICITATION_REPLY: ("répondre à une sollicitation", "reply to a request"),
    Action.SUPPORT_TOOLS: ("utiliser les outils du support", "use support's tools"),
    Action.SUPPORT_IMPERSONATE: ("agir pour le compte d'un utilisateur", "act as a user"),
    Action.SUPPORT_ANSWER: ("répondre en tant que support", "answer as support"),
}


class Reason(StrEnum):
    ALLOWED = "allowed"
    NOT_ATTACHED = "not_attached"              # nothing to do with the structure: its existence is not revealed (404)
    OUTSIDE_SERVICES = "outside_services"      # attached to other services of it (404)
    NO_PROFILE = "no_profile"                  # attached, without a profile on the application (403)
    CONSULTATION = "consultation"              # the profile is read-only (403)
    NOT_PRINCIPAL = "not_principal"            # attached, not its gestionnaire principal (403)
    NOT_SUPPORT = "not_support"                # support's tools, for someone else (403)
    BLOCKED_WHILE_ACTING = "blocked_while_acting"          # never during an intervention (403)
    NEEDS_ACTIONS_ENABLED = "needs_actions_enabled"        # during an intervention, not without enabling (403)
    NO_TARGET = "no_target"                    # the action names a structure and none was given (404)


class RefLike(Protocol):
    level: Level  # on the whole structure, and on a target with no service
    service_ids: tuple[int, ...] | None
    service_levels: tuple[tuple[int, Level], ...]  # (service, level) overriding `level` on that service


class GrantLike(Protocol):
    structure_id: int
    application: str | None
    ref: RefLike | None
    is_principal: bool


class Who(Protocol):
    user_id: int
    is_support: bool
    actions_enabled: bool

    @property
    def impersonated(self) -> bool: ...


@dataclass(frozen=True)
class Target:
    """What an action is on. `service_id`: the invoice's service on the target structure, if any.
    `whole_structure_only`: an invoice with no service is addressed to the structure as a whole, so a
    user attached to some of its services only does not see it (the recipient's side); a supplier's
    invoice with no service stays visible to its services' users (it was deposited for the structure)."""

    structure_id: int | None = None
    service_id: int | None = None
    whole_structure_only: bool = False


NOWHERE = Target()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    ref: RefLike | None = None  # the profile that allowed a structure action (its services limit lists)

    def __bool__(self) -> bool:
        return self.allowed


def _deny(reason: Reason) -> Decision:
    return Decision(False, reason)


def while_acting(who: Who, action: Action) -> Reason | None:
    """The refusal an intervention adds to `action`, None when it adds none."""
    if not who.impersonated:
        return None
    allowed = WHILE_ACTING.get(action)
    if allowed is WhileActing.ALLOWED or (allowed is WhileActing.IF_ENABLED and who.actions_enabled):
        return None
    return Reason.NEEDS_ACTIONS_ENABLED if allowed is WhileActing.IF_ENABLED else Reason.BLOCKED_WHILE_ACTING


def decide(who: Who, grants: tuple[GrantLike, ...], action: Action, target: Target = NOWHERE) -> Decision:
    # What the grants allow first: someone else's structure answers 404 whoever asks, an intervention
    # included; then what an intervention forbids.
    found = decide_need(who, grants, NEEDS[action], target)
    refusal = while_acting(who, action) if found.allowed else None
    return found if refusal is None else _deny(refusal)


def decide_need(who: Who, grants: tuple[GrantLike, ...], need: Need, target: Target = NOWHERE) -> Decision:
    """What the grants allow, before an intervention's limits (`decide` adds them)."""
    if need.kind is Kind.SUPPORT:
        # Support's tools are support's own: acting as a user, the agent is that user (who is no agent).
        return Decision(True, Reason.ALLOWED) if who.is_support and not who.impersonated else _deny(Reason.NOT_SUPPORT)
    if need.kind is Kind.USER:
        return Decision(True, Reason.ALLOWED)
    if target.structure_id is None:
        return _deny(Reason.NO_TARGET)
    on_structure = [g for g in grants if g.structure_id == target.structure_id]
    if not on_structure:
        return _deny(Reason.NOT_ATTACHED)
    if need.kind is Kind.PRINCIPAL:
        return Decision(True, Reason.ALLOWED) if any(g.is_principal for g in on_structure) else _deny(Reason.NOT_PRINCIPAL)
    ref = next((g.ref for g in on_structure if g.application == str(need.application) and g.ref is not None), None)
    if ref is None:
        return _deny(Reason.NO_PROFILE)
    if ref.service_ids is not None and not _sees_service(ref.service_ids, target):
        return _deny(Reason.OUTSIDE_SERVICES)
    if not level_on(ref, target.service_id).allows(need.level):
        return _deny(Reason.CONSULTATION)
    return Decision(True, Reason.ALLOWED, ref)


def level_on(ref: RefLike, service_id: int | None) -> Level:
    """The profile's level on a service: the service's own (a service-level rattachement may give
    modification on one service and consultation on another), else the structure's."""
    return next((level for sid, level in ref.service_levels if sid == service_id), ref.level)


def _sees_service(service_ids: tuple[int, ...], target: Target) -> bool:
    if target.service_id is None:
        return not target.whole_structure_only
    return target.service_id in service_ids


def structures_allowing(who: Who, grants: tuple[GrantLike, ...], action: Action) -> list:
    """The refs of the structures on which `action` is allowed (whatever the service: the ref's
    service_ids limit what the caller lists), in the grants' order."""
    kind = NEEDS[action].kind
    if kind not in (Kind.STRUCTURE, Kind.PRINCIPAL):
        raise ValueError(f"{action} is not an action on a structure")
    seen, refs = set(), []
    for grant in grants:
        if grant.structure_id in seen or grant.ref is None:
            continue
        # Allowed on the structure, or on one of the services whose profile is its own (modification on
        # one service only: the structure is listed, each invoice is then decided with its service).
        targets = [Target(grant.structure_id)] + [Target(grant.structure_id, sid) for sid, _ in grant.ref.service_levels]
        decision = next((d for d in (decide(who, grants, action, tg) for tg in targets) if d.allowed), None)
        if decision is not None:
            seen.add(grant.structure_id)
            # A gestionnaire principal's structure is shown through any of its profiles.
            refs.append(decision.ref or grant.ref)
    return refs
