"""Mon compte: the user's details, preferences, structures, profiles, workspaces, attachment requests."""

from __future__ import annotations

from backend.domain.accounts.identity import Principal
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, NotFound
from shared.applications import Application


async def my_account(principal: Principal) -> dict:
    async with connection() as conn:
        user = await conn.fetchrow(
            """SELECT id, email, contact_email, first_name, last_name, lang, notify_all, notify_billing, notify_digest, created_at,
                      activated_at, last_login_at FROM user_account WHERE id = $1""", principal.user_id)
        structures = await conn.fetch(
            """SELECT s.id, s.identifier, s.raison_sociale, s.libelle, s.is_public, a.status, a.is_principal,
                      (SELECT code FROM service WHERE id = a.service_id) AS service_code,
                      coalesce((SELECT json_agg(json_build_object('application', p.application, 'level', p.level) ORDER BY p.application)
                                FROM profile p WHERE p.user_id = a.user_id AND p.structure_id = s.id), '[]') AS profiles
               FROM attachment a JOIN structure s ON s.id = a.structure_id
               WHERE a.user_id = $1 AND a.status <> 'detache' ORDER BY s.raison_sociale""", principal.user_id)
        workspaces = await conn.fetch("SELECT application, active FROM workspace WHERE user_id = $1", principal.user_id)
        requests = await conn.fetch(
            """SELECT r.id, u.email, u.first_name, u.last_name, s.raison_sociale, r.created_at
               FROM attachment r JOIN user_account u ON u.id = r.user_id JOIN structure s ON s.id = r.structure_id
               WHERE r.status = 'demande' AND r.structure_id IN (
                   SELECT structure_id FROM attachment WHERE user_id = $1 AND is_principal AND status = 'approuve')
               ORDER BY r.created_at""", principal.user_id)
    import json

    return {
        "user": dict(user),
        "structures": [{**dict(r), "profiles": json.loads(r["profiles"]) if isinstance(r["profiles"], str) else r["profiles"]}
                       for r in structures],
        "workspaces": {r["application"]: r["active"] for r in workspaces},
        "attachment_requests": [dict(r) for r in requests],
    }


async def update_details(principal: Principal, *, first_name: str | None = None, last_name: str | None = None,
                         contact_email: str | None = None, lang: str | None = None, notify_all: bool | None = None,
                         notify_billing: bool | None = None, notify_digest: bool | None = None) -> None:
    from backend.domain.accounts.rules import RuleViolation, check_email

    if first_name is not None and not first_name.strip() or last_name is not None and not last_name.strip():
        raise ChoraleError("champ_obligatoire", "Le nom et le prénom sont obligatoires.", "First and last names are required.")
    if contact_email is not None:
        from backend.domain.support.guards import refuse_while_impersonating

        refuse_while_impersonating(principal, "changer_email")
    if contact_email:
        try:
            contact_email = check_email(contact_email)
        except RuleViolation as v:
            raise ChoraleError(v.code, v.message_fr, v.message_en, field="contact_email") from None
    if lang is not None and lang not in ("fr", "en"):
        raise ChoraleError("langue_inconnue", "Langue inconnue.", "Unknown language.", field="lang")
    async with connection() as conn:
        await conn.execute(
            """UPDATE user_account SET first_name = coalesce($2, first_name), last_name = coalesce($3, last_name),
                   contact_email = CASE WHEN $4::text IS NULL THEN contact_email ELSE nullif($4::text, '') END,
                   lang = coalesce($5, lang), notify_all = coalesce($6, notify_all), notify_billing = coalesce($7, notify_billing),
                   notify_digest = coalesce($8, notify_digest)
               WHERE id = $1""",
            principal.user_id, first_name and first_name.strip(), last_name and last_name.strip(), contact_email, lang,
            notify_all, notify_billing, notify_digest)


async def set_workspace(principal: Principal, application: str, active: bool) -> None:
    if application not in {str(a) for a in Application}:
        raise ChoraleError("espace_inconnu", "Espace de travail inconnu.", "Unknown workspace.")
    async with connection() as conn:
        await conn.execute(
            """INSERT INTO workspace (user_id, application, active) VALUES ($1, $2, $3)
               ON CONFLICT (user_id, application) DO UPDATE SET active = EXCLUDED.active""",
            principal.user_id, application, active)


async def decide_attachment(principal: Principal, request_id: int, approve: bool) -> None:
    """A gestionnaire principal approves (with Factures émises consultation) or refuses a request."""
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow(
                """SELECT r.user_id, r.structure_id FROM attachment r WHERE r.id = $1 AND r.status = 'demande'
                   AND EXISTS (SELECT 1 FROM attachment g WHERE g.user_id = $2 AND g.structure_id = r.structure_id
                               AND g.is_principal AND g.status = 'approuve') FOR UPDATE""", request_id, principal.user_id)
            if row is None:
                raise NotFound("Demande de rattachement introuvable.", "Attachment request not found.")
            await conn.execute("UPDATE attachment SET status = $2 WHERE id = $1", request_id, "approuve" if approve else "detache")
            if approve:
                await conn.execute(
                    """INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, $3, 'consultation')
                       ON CONFLICT DO NOTHING""", row["user_id"], row["structure_id"], str(Application.FACTURES_EMISES))


async def change_password(principal: Principal, current: str, password: str, confirmation: str) -> None:
    from backend.domain.accounts import rules
    from backend.domain.accounts.passwords import hash_secret, verify_secret
    from backend.domain.support.guards import refuse_while_impersonating

    refuse_while_impersonating(principal, "changer_mot_de_passe")
    try:
        rules.check_password(password, confirmation)
    except rules.RuleViolation as v:
        raise ChoraleError(v.code, v.message_fr, v.message_en, field=v.field or "password") from None
    async with connection() as conn:
        stored = await conn.fetchval("SELECT password_hash FROM user_account WHERE id = $1", principal.user_id)
        if not verify_secret(stored, current):
            raise ChoraleError("mot_de_passe_actuel", "Le mot de passe actuel est incorrect.", "The current password is wrong.",
                               field="current")
        await conn.execute("UPDATE user_account SET password_hash = $2 WHERE id = $1", principal.user_id, hash_secret(password))
