"""Organisation use cases (the guide's « Activités du gestionnaire »): attachment requests and their
approval, detachment, habilitations (profiles), the gestionnaire principal's handover, workspaces that
grant what they show, and the journal of every change.

Access, through the policy (policy/rules.py): reading is Action.ORGANISATION_READ (« Organisation
consultation » on the structure), changing Action.ORGANISATION_MODIFY (« Organisation modification »):
404 to strangers, 403 to members without the profile; support acting as a user may change nothing here
(rattachements, profiles, structure data) unless actions were enabled with their second confirmation.
A user's own request for a rattachement is Action.REQUEST_ATTACHMENT, under the same intervention rule.

Every change publishes `access.changed` on `user:<id>` once committed: each app instance's open pages of
that user re-read their rights at once (the shell remounts the screen), without reload.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import msgspec

from backend.domain.accounts import rules as account_rules
from backend.domain.accounts import store as accounts
from backend.domain.accounts.guards import refuse_while_impersonating
from backend.domain.accounts.identity import Principal
from backend.domain.accounts.services import send_activation_link
from backend.domain.notifications.services import absolute_link, queue_template, wake_sender
from backend.domain.structures import permissions, rules, store
from backend.domain.structures.permissions import Action, Target
from backend.infra.database import transaction
from backend.infra.errors import DomainError, Forbidden, NotFound
from backend.infra.events import publish
from shared.applications import DEFAULT_WORKSPACES, Application, Level
from shared.i18n import t
from shared.spreadsheet import safe_cell

ACCESS_CHANGED = "access.changed"


def _comment(comment: str | None, field: str = "comment") -> str:
    return rules.required_comment(comment, field)


async def _require(principal: Principal, structure_id: int, action: Action = Action.ORGANISATION_MODIFY) -> None:
    await permissions.require(principal, action, Target(structure_id))


async def _journal(principal: Principal | None, structure_id: int, kind: str, **details: Any) -> None:
    await store.journal(structure_id, actor_id=principal.user_id if principal else None,
                        acting_as=principal.acting_as_label if principal else None, kind=kind, details=details)


# For the slice's other organisation modules (structure_files): the same check and the same journal.
require_on, record = _require, _journal


async def _access_changed(*user_ids: int) -> None:
    """After commit: the users' open pages, on every instance, re-read their rights."""
    if user_ids:
        await publish(ACCESS_CHANGED, [f"user:{u}" for u in user_ids])


async def _mail(template: str, user_ids: list[int], **params: Any) -> bool:
    """Mail these users whose preferences ask for organisation news the catalogue's `template`, each in
    their language, in the open transaction."""
    queued = False
    for user in await accounts.notification_recipients(user_ids, active_only=False):
        if rules.mail_wanted(user.notify_all):
            await queue_template(template, to=user.address, lang=user.lang, first_name=user.first_name, user_id=user.id,
                                 **params)
            queued = True
    return queued


def _scope(codes: str):
    """The services a rattachement covers, in the mail's language: their codes, or the whole structure."""
    return lambda lang: codes or t("mail.service_entier", lang)


def _service(code: str | None):
    """« (service X) » after a structure's name, in the mail's language; nothing for the whole structure."""
    return lambda lang: t("mail.service", lang, service=code) if code else ""


async def _managers(structure_id: int) -> list[int]:
    """Who decides on the structure's requests: holders of « Organisation modification » there, and its
    gestionnaire principal."""
    ids = set(await store.users_with_profile(structure_id, str(Application.ORGANISATION)))
    profiles = await store.profiles_on(structure_id)
    ids = {u for u in ids if profiles.get(u, {}).get(str(Application.ORGANISATION)) == str(Level.MODIFICATION)}
    principal_id = await store.principal_manager_id(structure_id)
    if principal_id is not None:
        ids.add(principal_id)
    return sorted(ids)


def _person(user) -> dict:
    return {"id": user.id, "email": user.email, "contact_email": user.contact_email, "first_name": user.first_name,
            "last_name": user.last_name, "name": f"{user.first_name} {user.last_name}"}


# Structures the user manages --------------------------------------------------------------------------

async def managed_structures(principal: Principal) -> list[dict]:
    """The structures on which the user holds an Organisation profile, with its level."""
    return [{"id": r.id, "identifier": r.identifier, "raison_sociale": r.raison_sociale, "level": str(r.level)}
            for r in await permissions.structures_for(principal, Application.ORGANISATION)]


async def structure_services(structure_id: int) -> list[dict]:
    """The structure's active services, for « Mes rattachements » (services ticked by code)."""
    return [{"id": s.id, "code": s.code, "libelle": s.libelle} for s in await store.services_of_structure(structure_id)]


async def structure_by_siret(siret: str) -> dict | None:
    """The structure a user may ask to join, found by the SIRET the autocomplete picked."""
    structure_id = await store.structure_id_by_siret((siret or "").strip(), public_first=True)
    if structure_id is None:
        return None
    row = await store.structure(structure_id)
    return {"id": row.id, "identifier": row.identifier, "raison_sociale": row.raison_sociale, "is_public": row.is_public,
            "services": await structure_services(row.id)}


# Mes rattachements ----------------------------------------------------------------------------------

async def ask(principal: Principal, structure_id: int, *, service_ids: list[int] | None, comment: str) -> list[int]:
    """The user asks to join the structure (no service: the whole structure) or some of its services;
    its gestionnaires hear of it by mail. Returns the requests' ids."""
    refuse_while_impersonating(principal, Action.REQUEST_ATTACHMENT)
    comment = _comment(comment)
    structure = await store.structure(structure_id)
    if structure is None or not structure.active:
        raise NotFound('structure')
    chosen, codes = await services_asked(structure_id, service_ids)
    ids = []
    async with transaction():
        for service_id in chosen or [None]:
            existing = await store.attachment_between(principal.user_id, structure_id, service_id)
            if existing is not None and existing.status in (store.REQUESTED, store.APPROVED):
                raise DomainError("demande_existante")
            ids.append(await store.ask_attachment(principal.user_id, structure_id, service_id, comment))
        mailed = await _announce_request(principal, structure, principal.user_id, codes, comment)
    if mailed:
        await wake_sender()
    return ids


async def _announce_request(principal: Principal | None, structure: store.Structure, user_id: int, codes: str, comment: str) -> bool:
    """A new request, in the open transaction: journaled, and its structure's gestionnaires mailed (each in
    their language). `codes`: the services asked for, empty for the whole structure."""
    await _journal(principal, structure.id, "rattachement_demande", user_id=user_id, services=codes or "structure entière",
                   comment=comment)
    user = await accounts.user(user_id)
    return await _mail("rattachement_demande", await _managers(structure.id), structure=structure.raison_sociale,
                       name=f"{user.first_name} {user.last_name}", email=user.email, comment=comment,
                       scope=_scope(codes), link=absolute_link("/organisation"))


async def services_asked(structure_id: int, service_ids: list[int] | None) -> tuple[list[int], str]:
    """The services a rattachement asks for (none: the whole structure), each an active service of the
    structure, else `service_inconnu`; with their codes for the journal and the mails. Sign-up checks
    them through accounts' ports before writing anything."""
    active = {s.id: s for s in await store.services_of_structure(structure_id)}
    chosen = rules.services_asked(service_ids, active)
    return chosen, ", ".join(active[s].code for s in chosen)


async def request_at_signup(user_id: int, structure_id: int, comment: str, service_ids: list[int] | None = None) -> None:
    """Sign-up for a structure already registered: the account asks to join it as a whole or some of its
    services, as « Mes rattachements » would (one request per service, journaled, the gestionnaires
    mailed), in the sign-up's transaction; the sign-up wakes the mail sender once committed. Given to
    accounts through its ports."""
    structure = await store.structure(structure_id)
    chosen, codes = await services_asked(structure_id, service_ids)
    for service_id in chosen or [None]:
        await store.ask_attachment(user_id, structure_id, service_id, comment)
    await _announce_request(None, structure, user_id, codes, comment)


async def my_requests(principal: Principal) -> list[dict]:
    return [msgspec.structs.asdict(r) for r in await store.my_requests(principal.user_id)]


# Approbations -----------------------------------------------------------------------------------------

async def pending(principal: Principal, structure_id: int) -> list[dict]:
    await _require(principal, structure_id, Action.ORGANISATION_READ)
    requests = await store.pending_requests([structure_id])
    people = await accounts.users(r.user_id for r in requests)
    return [{"id": r.id, "structure_id": r.structure_id, "raison_sociale": r.raison_sociale, "service_id": r.service_id,
             "service_code": r.service_code, "comment": r.comment, "created_at": r.created_at, "user": _person(people[r.user_id])}
            for r in requests if r.user_id in people]


async def requests_to_decide(principal: Principal) -> list[store.PendingRequest]:
    """The pending requests on every structure where the policy lets the user decide them (Mon compte's
    list, through accounts' port): every holder of « Organisation modification », not only the principal."""
    return await store.pending_requests(r.id for r in await permissions.allowed_structures(principal, Action.ORGANISATION_MODIFY))


async def _locked_request(principal: Principal, request_id: int) -> store.PendingRequest:
    return await permissions.require_found(principal, Action.ORGANISATION_MODIFY, await store.lock_pending_request(request_id),
                                           lambda request: Target(request.structure_id), missing=lambda: NotFound('demande_rattachement'))


async def approve(principal: Principal, request_id: int, profiles: dict[str, str | None]) -> None:
    """Approve a request with the profiles chosen. On a service-level request they are that service's
    own levels (modification on one service, consultation on another, the guide's table per service)."""
    chosen = rules.profile_choice(profiles)
    refuse_while_impersonating(principal, Action.ORGANISATION_MODIFY)
    async with transaction():
        request = await _locked_request(principal, request_id)
        await store.decide_request(request.id, approved=True, reason=None)
        for application, level in chosen.items():
            if level:
                await store.set_profile(request.user_id, request.structure_id, application, level, service_id=request.service_id)
        await _journal(principal, request.structure_id, "rattachement_approuve", user_id=request.user_id,
                       service=request.service_code, profiles={a: lv for a, lv in chosen.items() if lv})
        def granted(lang: str) -> str:
            return (", ".join(f"{Application(a).label(lang)} {Level(lv).label(lang)}" for a, lv in chosen.items() if lv)
                    or t("mail.aucun_profil", lang))

        mailed = await _mail("rattachement_approuve", [request.user_id], structure=request.raison_sociale,
                             service=_service(request.service_code), granted=granted, link=absolute_link("/"))
    await _access_changed(request.user_id)
    if mailed:
        await wake_sender()


async def refuse(principal: Principal, request_id: int, reason: str) -> None:
    reason = _comment(reason, "reason")
    refuse_while_impersonating(principal, Action.ORGANISATION_MODIFY)
    async with transaction():
        request = await _locked_request(principal, request_id)
        await store.decide_request(request.id, approved=False, reason=reason)
        await _journal(principal, request.structure_id, "rattachement_refuse", user_id=request.user_id, service=request.service_code,
                       reason=reason)
        mailed = await _mail("rattachement_refuse", [request.user_id], structure=request.raison_sociale,
                             service=_service(request.service_code), reason=reason)
    if mailed:
        await wake_sender()


# Utilisateurs and habilitations -------------------------------------------------------------------------

async def users(principal: Principal, structure_id: int, search: str = "") -> list[dict]:
    """The guide's table: the structure's users, their services (and the service's status), profiles."""
    await _require(principal, structure_id, Action.ORGANISATION_READ)
    members = await store.members(structure_id)
    people = await accounts.users(m.user_id for m in members)
    profiles = await store.profiles_on(structure_id)
    per_service = await store.service_profiles_on(structure_id)
    found: dict[int, dict] = {}
    for m in members:
        person = people.get(m.user_id)
        if person is None:
            continue
        entry = found.setdefault(m.user_id, {**_person(person), "lang": person.lang, "status": person.status,
                                             "created_at": person.created_at, "last_login_at": person.last_login_at,
                                             "notify_all": person.notify_all, "notify_billing": person.notify_billing,
                                             "is_principal": False, "services": [], "profiles": profiles.get(m.user_id, {})})
        entry["is_principal"] = entry["is_principal"] or m.is_principal
        if m.service_id is not None:
            entry["services"].append({"id": m.service_id, "code": m.service_code, "active": m.service_active,
                                      "profiles": per_service.get(m.user_id, {}).get(m.service_id, {})})
    needle = search.strip().lower()
    rows = list(found.values())
    if needle:
        rows = [r for r in rows if any(needle in (r[k] or "").lower() for k in ("email", "first_name", "last_name", "contact_email"))
                or any(needle in s["code"].lower() for s in r["services"])]
    return sorted(rows, key=lambda r: (r["last_name"].lower(), r["first_name"].lower(), r["id"]))


async def set_profiles(principal: Principal, structure_id: int, user_id: int, profiles: dict[str, str | None], *,
                       service_id: int | None = None) -> None:
    """Change a member's habilitations on the structure, or (`service_id`) the levels one of their services
    gives; the gestionnaire principal keeps Organisation modification on the structure."""
    chosen = rules.profile_choice(profiles)
    await _require(principal, structure_id)
    async with transaction():
        if service_id is None:
            if await store.approved_attachment(user_id, structure_id) is None:
                raise NotFound('membre')
            if await store.principal_manager_id(structure_id) == user_id and not rules.keeps_principal_manager(chosen):
                raise DomainError("gestionnaire_principal", "profiles", variant="garde_profil")
            before = (await store.profiles_on(structure_id)).get(user_id, {})
        else:
            attachment = await store.attachment_between(user_id, structure_id, service_id)
            if attachment is None or attachment.status != store.APPROVED:
                raise NotFound('membre')
            before = (await store.service_profiles_on(structure_id)).get(user_id, {}).get(service_id, {})
        for application, level in chosen.items():
            await store.set_profile(user_id, structure_id, application, level, service_id=service_id)
        await _journal(principal, structure_id, "profils_modifies", user_id=user_id, service_id=service_id, before=before,
                       after={**before, **{a: lv for a, lv in chosen.items()}})
    await _access_changed(user_id)


async def detach(principal: Principal, structure_id: int, user_id: int, *, service_id: int | None, comment: str) -> None:
    """Detach a member from the structure (or one service), comment required; the gestionnaire
    principal cannot be detached before handing the role over (a structure always keeps one)."""
    comment = _comment(comment)
    await _require(principal, structure_id)
    async with transaction():
        if await store.principal_manager_id(structure_id) == user_id and service_id is None:
            raise DomainError("gestionnaire_principal", variant="detachement")
        if not await store.detach(user_id, structure_id, service_id, comment):
            raise NotFound('rattachement')
        await _journal(principal, structure_id, "utilisateur_detache", user_id=user_id, service_id=service_id, comment=comment)
        structure = await store.structure(structure_id)
        mailed = await _mail("rattachement_detache", [user_id], structure=structure.raison_sociale, comment=comment)
    await _access_changed(user_id)
    if mailed:
        await wake_sender()


async def hand_over(principal: Principal, structure_id: int, to_user: int) -> None:
    """The gestionnaire principal passes the role to another member, who gets Organisation modification."""
    await _require(principal, structure_id)
    async with transaction():
        if await store.principal_manager_id(structure_id) != principal.user_id:
            raise Forbidden("transmission", code="gestionnaire_principal_requis")
        if to_user == principal.user_id or not await store.hand_over_principal(structure_id, principal.user_id, to_user):
            raise DomainError("utilisateur_invalide", "user_id")
        await store.set_profile(to_user, structure_id, str(Application.ORGANISATION), str(Level.MODIFICATION))
        await _journal(principal, structure_id, "gestionnaire_principal_transmis", from_user=principal.user_id, to_user=to_user)
    await _access_changed(principal.user_id, to_user)


async def journal(principal: Principal, structure_id: int) -> list[dict]:
    await _require(principal, structure_id, Action.ORGANISATION_READ)
    entries = await store.journal_of(structure_id)
    people = await accounts.users(e.actor_id for e in entries if e.actor_id)
    return [{"id": e.id, "kind": e.kind, "details": e.details, "created_at": e.created_at, "acting_as": e.acting_as,
             "actor": _person(people[e.actor_id])["name"] if e.actor_id in people else None} for e in entries]


# Workspaces -------------------------------------------------------------------------------------------

async def switch_workspace(principal: Principal, application: str, active: bool) -> None:
    """Switch a workspace on or off. On, it gives the structures' gestionnaire principal the modification
    profile on that application, so a company named titulaire or maître d'œuvre can act at once."""
    if application not in {str(a) for a in Application}:
        raise DomainError("espace_inconnu")
    # Switched on, it may grant profiles (Organisation's rule); off, it is one of the account's details.
    refuse_while_impersonating(principal, Action.ORGANISATION_MODIFY if active else Action.ACCOUNT_DETAILS)
    async with transaction():
        await store.set_workspace(principal.user_id, application, active)
        if active:
            for structure_id in await store.principal_structure_ids(principal.user_id):
                if await store.raise_profile(principal.user_id, structure_id, application):
                    await _journal(principal, structure_id, "espace_active", user_id=principal.user_id, application=application)
    await _access_changed(principal.user_id)


async def validation_waiting(structure_id: int, application: str, number: str) -> list[tuple[int, str]]:
    """An invoice waits for the structure's validation in `application`: its gestionnaire principal, if
    that workspace is off for them, is mailed a link that switches it on. Returns (user, message) for the
    in-app notification the caller adds, in its transaction (it wakes the sender after commit)."""
    manager = await store.principal_manager_id(structure_id)
    if manager is None:
        return []
    has_profile = (await store.profiles_on(structure_id)).get(manager, {}).get(application) == str(Level.MODIFICATION)
    if not rules.validator_needs_workspace(await store.workspace_active(manager, application), has_profile):
        return []
    link = absolute_link(f"/mon-compte?espace={application}")
    await _mail("espace_a_activer", [manager], number=number, workspace=Application(application).label, link=link)
    # The in-app notification is kept in French, like the others (their stored text).
    return [(manager, t("mail.espace_a_activer.body", "fr", number=number, workspace=Application(application).label(), link=link))]


async def navigation_applications(principal: Principal) -> set[str]:
    """The applications the navigation shows: those the user holds a profile on, or switched on."""
    held = {g.application for g in await permissions.grants_of(principal) if g.application}
    switched = {w.application for w in await store.workspaces_of(principal.user_id) if w.active}
    return held | switched


# Gérer une structure, Gérer un service ----------------------------------------------------------------------

# What a gestionnaire may edit on the structure (its identifier and legal status stay as registered).
EDITABLE_STRUCTURE = ("libelle", "address", "complement1", "complement2", "postcode", "city", "requires_engagement",
                      "requires_service_code")
_REQUIRED_STRUCTURE = ("address", "postcode", "city")
_STRUCTURE_LIMITS = {"postcode": 10, "city": 100}


async def structure_details(principal: Principal, structure_id: int) -> dict:
    await _require(principal, structure_id, Action.ORGANISATION_READ)
    row = await store.structure(structure_id)
    return msgspec.structs.asdict(row)


async def update_structure(principal: Principal, structure_id: int, changes: dict[str, Any]) -> dict:
    """Edit the structure's details and flags; the journal keeps each change's before and after."""
    unknown = set(changes) - set(EDITABLE_STRUCTURE)
    if unknown:
        raise DomainError("champ_non_modifiable", sorted(unknown)[0])
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name.startswith("requires_"):
            values[name] = bool(value)
            continue
        text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
        if name in _REQUIRED_STRUCTURE and not text:
            raise DomainError("champ_obligatoire", name)
        if len(text) > _STRUCTURE_LIMITS.get(name, 200):  # the columns' lengths: never a database error
            raise DomainError("champ_trop_long", name)
        values[name] = text or None
    await _require(principal, structure_id)
    async with transaction():
        before = msgspec.structs.asdict(await store.structure(structure_id))
        changed = {name: value for name, value in values.items() if before[name] != value}
        if changed:
            await store.update_structure(structure_id, changed)
            await _journal(principal, structure_id, "structure_modifiee", before={n: before[n] for n in changed}, after=changed)
    return await structure_details(principal, structure_id)


async def services(principal: Principal, structure_id: int) -> list[dict]:
    """Every service of the structure, inactive ones included (« Consultation d'un service »)."""
    await _require(principal, structure_id, Action.ORGANISATION_READ)
    return [msgspec.structs.asdict(s) for s in await store.services_of_structure(structure_id, active_only=False)]


def _service_text(value: str | None, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("champ_obligatoire", field)
    if len(text) > limit:
        raise DomainError("champ_trop_long", field)
    return text


async def create_service(principal: Principal, structure_id: int, *, code: str, libelle: str,
                         requires_engagement: bool = False) -> dict:
    code, libelle = _service_text(code, "code", 100), _service_text(libelle, "libelle", 200)
    await _require(principal, structure_id)
    async with transaction():
        if await store.service_id_of(structure_id, code=code) is not None:
            raise DomainError("code_service_existant", "code", service_code=code)
        service_id = await store.create_service(structure_id, code, libelle)
        if requires_engagement:
            await store.update_service(service_id, {"requires_engagement": True})
        await _journal(principal, structure_id, "service_cree", code=code, libelle=libelle, requires_engagement=requires_engagement)
    return msgspec.structs.asdict(await store.service_entry(service_id))


async def update_service(principal: Principal, structure_id: int, service_id: int, *, libelle: str | None = None,
                         requires_engagement: bool | None = None, active: bool | None = None) -> dict:
    """Modify, activate or deactivate a service. A deactivated service takes no new invoice (deposit and
    routing name it); the invoices it already received stay where they are."""
    await _require(principal, structure_id)
    values: dict[str, Any] = {}
    if libelle is not None:
        values["libelle"] = _service_text(libelle, "libelle", 200)
    if requires_engagement is not None:
        values["requires_engagement"] = bool(requires_engagement)
    if active is not None:
        values["active"] = bool(active)
    async with transaction():
        service = await store.service_entry(service_id)
        if service is None or service.structure_id != structure_id:
            raise NotFound('service')
        before = msgspec.structs.asdict(service)
        changed = {name: value for name, value in values.items() if before[name] != value}
        if changed:
            await store.update_service(service_id, changed)
            # One literal per kind, in the call, so the catalogue test sees every kind the journal gets.
            await _journal(principal, structure_id,
                           ("service_active" if changed["active"] else "service_desactive") if set(changed) == {"active"}
                           else "service_modifie", code=service.code, before={n: before[n] for n in changed}, after=changed)
    return msgspec.structs.asdict(await store.service_entry(service_id))


# Afficher un utilisateur: export ---------------------------------------------------------------------------

EXPORT_HEADERS = (("name", "Utilisateur"), ("email", "Adresse de connexion"), ("contact_email", "Adresse email de contact"),
                  ("notifications", "Choix de réception de notifications"), ("created_at", "Date de création"),
                  ("last_login_at", "Date de dernière connexion"), ("lang", "Langue"), ("status", "Statut de l'utilisateur"),
                  ("services", "Services"), ("profiles", "Profils"))


def _export_row(user: dict) -> list:
    notifications = "Activer" if user["notify_all"] or user["notify_billing"] else "Désactiver"
    when = {k: user[k].strftime("%d/%m/%Y %H:%M:%S") if user[k] else "" for k in ("created_at", "last_login_at")}
    values = {**user, **when, "notifications": notifications, "lang": "Français" if user["lang"] == "fr" else "English",
              "status": (user["status"] or "").upper(), "services": ", ".join(s["code"] for s in user["services"]) or "structure entière",
              "profiles": ", ".join([f"{Application(a).label()} {Level(lv).label()}" for a, lv in sorted(user["profiles"].items())]
                                    + [f"{Application(a).label()} {Level(lv).label()} ({s['code']})" for s in user["services"]
                                       for a, lv in sorted(s.get("profiles", {}).items())])}
    return [safe_cell(values[key]) for key, _ in EXPORT_HEADERS]


async def export_users(principal: Principal, structure_id: int, fmt: str, *, search: str = "",
                       user_id: int | None = None) -> tuple[bytes, str]:
    """The users listed (or one of them) as CSV or XLSX: (content, file name). Cells that a spreadsheet
    would run as formulas are neutralised."""
    if fmt not in ("csv", "xlsx"):
        raise DomainError("format_inconnu", variant="format_export_inconnu")
    rows = [u for u in await users(principal, structure_id, search) if user_id is None or u["id"] == user_id]
    if user_id is not None and not rows:
        raise NotFound('membre')
    lines = [[label for _, label in EXPORT_HEADERS], *map(_export_row, rows)]
    name = f"utilisateurs-{structure_id}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(lines)
        return out.getvalue().encode("utf-8-sig"), name
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Utilisateurs")
    for line in lines:
        sheet.append(line)
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return out_bytes.getvalue(), name


# Rattacher un utilisateur -----------------------------------------------------------------------------------

async def attach_user(principal: Principal, structure_id: int, *, email: str, service_ids: list[int] | None = None,
                      profiles: dict[str, str | None] | None = None, first_name: str = "", last_name: str = "") -> dict:
    """A gestionnaire attaches someone directly (no request), at structure or service level, with the
    profiles chosen. An address with no account yet gets one, pending, and an invitation to activate it
    (the names are then required). Returns {"user_id", "invited"}."""
    email = account_rules.check_email(email or "")  # a RuleViolation about "email"
    chosen = rules.profile_choice(profiles or {})
    await _require(principal, structure_id)
    asked, codes = await services_asked(structure_id, service_ids)
    scopes = asked or [None]
    structure = await store.structure(structure_id)
    async with transaction():
        user = await accounts.user_by_email(email)
        invited = user is None
        if invited:
            if len(first_name.strip()) > 100 or len(last_name.strip()) > 100:
                raise DomainError("champ_trop_long", "last_name", variant="nom_prenom")
            if not first_name.strip() or not last_name.strip():
                raise DomainError("nom_obligatoire", "last_name")
            user_id = await accounts.create_user(email=email, first_name=first_name.strip(), last_name=last_name.strip(), lang="fr",
                                                 consent_survey=False, purposes=[])
            for application in DEFAULT_WORKSPACES:
                await store.open_workspace(user_id, str(application))
        else:
            user_id = user.id
            existing = [await store.attachment_between(user_id, structure_id, s) for s in scopes]
            if any(a is not None and a.status == store.APPROVED for a in existing):
                raise DomainError("deja_rattache", "email")
        for scope in scopes:
            await store.attach_directly(user_id, structure_id, scope)
        for application, level in chosen.items():
            if level:
                await store.set_profile(user_id, structure_id, application, level)
        where = codes or "structure entière"  # the journal's words (French, like the rest of it)
        await _journal(principal, structure_id, "utilisateur_rattache", user_id=user_id, email=email, services=where, invited=invited,
                       profiles={a: lv for a, lv in chosen.items() if lv})
        scope = _scope(codes)
        if invited:  # a new account: French, like the one a gestionnaire creates (lang="fr" above)
            await send_activation_link("activation_invitation", user_id=user_id, email=email, lang="fr",
                                       first_name=first_name.strip(), structure=structure.raison_sociale, scope=scope)
        else:
            await _mail("rattachement_direct", [user_id], structure=structure.raison_sociale, scope=scope)
    await _access_changed(user_id)
    await wake_sender()
    return {"user_id": user_id, "invited": invited}
