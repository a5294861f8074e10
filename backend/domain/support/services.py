"""Support use cases: find a user, see their state, unlock, resend activation, act as them — all journaled."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.domain.accounts import rules as account_rules
from backend.domain.accounts import tokens
from backend.domain.accounts.identity import Principal, encode_session
from backend.domain.notifications.services import absolute_link, queue_mail, wake_sender
from backend.domain.support import rules
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, Forbidden, NotFound


def require_support(principal: Principal) -> None:
    """Support routes answer only to the support agent themself (not while acting as someone)."""
    if not principal.is_support or principal.impersonated:
        raise Forbidden("Réservé au support.", "Support staff only.")


async def journal_event(conn, *, support_user_id: int, event: str, target_user_id: int | None = None,
                        impersonation_id: int | None = None, method: str | None = None, path: str | None = None,
                        status_code: int | None = None, client_ip: str | None = None, detail: str | None = None) -> None:
    await conn.execute(
        """INSERT INTO support_journal (support_user_id, target_user_id, impersonation_id, event, method, path, status_code,
                                        client_ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        support_user_id, target_user_id, impersonation_id, event, method, path, status_code, client_ip, detail)


async def search_users(principal: Principal, query: str, limit: int = 30) -> list[dict]:
    require_support(principal)
    text = " ".join(query.split())
    if len(text) < 2:
        return []
    like = f"%{text.lower()}%"
    async with connection() as conn:
        rows = await conn.fetch(
            """SELECT DISTINCT u.id, u.email, u.first_name, u.last_name, u.status, u.is_support, u.last_login_at,
                      (u.locked_until IS NOT NULL AND u.locked_until > now()) AS locked
               FROM user_account u
               LEFT JOIN attachment a ON a.user_id = u.id
               LEFT JOIN structure s ON s.id = a.structure_id
               WHERE lower(u.email) LIKE $1 OR lower(u.first_name || ' ' || u.last_name) LIKE $1
                  OR lower(u.last_name || ' ' || u.first_name) LIKE $1 OR s.identifier LIKE $2 OR lower(s.raison_sociale) LIKE $1
               ORDER BY u.email LIMIT $3""", like, text.replace(" ", "") + "%", limit)
    return [dict(r) for r in rows]


async def user_detail(principal: Principal, user_id: int) -> dict:
    require_support(principal)
    async with connection() as conn:
        user = await conn.fetchrow(
            """SELECT id, email, first_name, last_name, status, is_support, is_admin, created_at, activated_at, last_login_at,
                      failed_logins, locked_until, (locked_until IS NOT NULL AND locked_until > now()) AS locked
               FROM user_account WHERE id = $1""", user_id)
        if user is None:
            raise NotFound("Utilisateur introuvable.", "User not found.")
        attachments = await conn.fetch(
            """SELECT s.id, s.identifier, s.raison_sociale, a.status, a.is_principal,
                      coalesce((SELECT string_agg(p.application || ' ' || p.level, ', ' ORDER BY p.application)
                                FROM profile p WHERE p.user_id = a.user_id AND p.structure_id = s.id), '') AS profiles
               FROM attachment a JOIN structure s ON s.id = a.structure_id WHERE a.user_id = $1 ORDER BY s.raison_sociale""", user_id)
        errors = await conn.fetch(
            """SELECT i.id, i.number, i.status, i.status_at, i.routing_error FROM invoice i
               WHERE i.created_by = $1 AND i.status IN ('ERREUR_ACHEMINEMENT', 'REJETEE', 'A_RECYCLER')
               ORDER BY i.status_at DESC LIMIT 10""", user_id)
    return {"user": dict(user), "attachments": [dict(a) for a in attachments], "recent_errors": [dict(e) for e in errors]}


async def unlock(principal: Principal, user_id: int, client_ip: str | None = None) -> None:
    require_support(principal)
    async with connection() as conn:
        async with conn.transaction():
            done = await conn.fetchval(
                """UPDATE user_account SET failed_logins = 0, locked_until = NULL,
                       status = CASE WHEN status = 'verrouille' THEN 'actif' ELSE status END WHERE id = $1 RETURNING id""", user_id)
            if done is None:
                raise NotFound("Utilisateur introuvable.", "User not found.")
            await journal_event(conn, support_user_id=principal.user_id, target_user_id=user_id, event="deverrouillage",
                                client_ip=client_ip)


async def resend_activation(principal: Principal, user_id: int, client_ip: str | None = None) -> None:
    require_support(principal)
    async with connection() as conn:
        async with conn.transaction():
            user = await conn.fetchrow("SELECT id, email, first_name, status FROM user_account WHERE id = $1", user_id)
            if user is None:
                raise NotFound("Utilisateur introuvable.", "User not found.")
            if user["status"] != "en_attente":
                raise ChoraleError("deja_active", "Ce compte est déjà activé.", "This account is already activated.")
            token = await tokens.issue(conn, user_id, "activation", account_rules.ACTIVATION_LINK_LIFETIME)
            await queue_mail(conn, to=user["email"], kind="activation", user_id=user_id,
                             subject="Chorale — activez votre compte utilisateur",
                             body_text=(f"Bonjour {user['first_name']},\n\nLe support de Chorale vous renvoie le lien d'activation de votre "
                                        f"compte (valable 48 heures) :\n{absolute_link('/activation/' + token)}\n\n— Chorale"))
            await journal_event(conn, support_user_id=principal.user_id, target_user_id=user_id, event="renvoi_activation",
                                client_ip=client_ip)
    await wake_sender()


async def start_impersonation(principal: Principal, user_id: int, reason: str, client_ip: str | None = None) -> str:
    """Returns the session token carrying both identities."""
    require_support(principal)
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ChoraleError("motif_obligatoire", "Indiquez le motif de l'intervention (référence du ticket).",
                           "Give the reason for acting as this user (ticket reference).", field="reason")
    async with connection() as conn:
        async with conn.transaction():
            target = await conn.fetchrow("SELECT id, status, is_support, is_admin FROM user_account WHERE id = $1", user_id)
            if target is None:
                raise NotFound("Utilisateur introuvable.", "User not found.")
            refusal = rules.may_impersonate(dict(target))
            if refusal == "cible_protegee":
                raise Forbidden("Impossible d'agir en tant qu'un membre du support ou un administrateur.",
                                "Support staff and administrators cannot be impersonated.", code="cible_protegee")
            if refusal:
                raise ChoraleError(refusal, "Ce compte n'est pas actif : impossible d'agir en son nom.", "This account is not active.")
            expires = datetime.now(UTC) + rules.impersonation_lifetime()
            impersonation_id = await conn.fetchval(
                """INSERT INTO impersonation (support_user_id, target_user_id, reason, expires_at, client_ip)
                   VALUES ($1, $2, $3, $4, $5) RETURNING id""", principal.user_id, user_id, reason, expires, client_ip)
            await journal_event(conn, support_user_id=principal.user_id, target_user_id=user_id, impersonation_id=impersonation_id,
                                event="debut", client_ip=client_ip, detail=reason)
    return _token(user_id, principal.user_id, impersonation_id, expires, actions=False)


def _token(target_id: int, support_id: int, impersonation_id: int, expires: datetime, *, actions: bool) -> str:
    return encode_session(target_id, actor={"sub": str(support_id), "imp": impersonation_id, "exp": int(expires.timestamp()),
                                            "actions": actions})


async def enable_actions(principal: Principal, confirm: bool, client_ip: str | None = None) -> str:
    if not principal.impersonated:
        raise ChoraleError("pas_d_intervention", "Aucune intervention en cours.", "No impersonation in progress.")
    if not confirm:
        raise ChoraleError("confirmation_obligatoire", "Confirmez l'activation des actions.", "Confirm enabling actions.",
                           field="confirm")
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow("UPDATE impersonation SET actions_enabled_at = now() WHERE id = $1 AND ended_at IS NULL "
                                      "RETURNING expires_at", principal.impersonation_id)
            if row is None:
                raise ChoraleError("pas_d_intervention", "Aucune intervention en cours.", "No impersonation in progress.")
            await journal_event(conn, support_user_id=principal.impersonator_id, target_user_id=principal.user_id,
                                impersonation_id=principal.impersonation_id, event="actions_activees", client_ip=client_ip)
    return _token(principal.user_id, principal.impersonator_id, principal.impersonation_id, row["expires_at"], actions=True)


async def end_impersonation(principal: Principal, client_ip: str | None = None) -> str:
    """Ends the intervention; returns the support agent's own session token."""
    if not principal.impersonated:
        raise ChoraleError("pas_d_intervention", "Aucune intervention en cours.", "No impersonation in progress.")
    async with connection() as conn:
        async with conn.transaction():
            await conn.execute("UPDATE impersonation SET ended_at = now() WHERE id = $1 AND ended_at IS NULL", principal.impersonation_id)
            await journal_event(conn, support_user_id=principal.impersonator_id, target_user_id=principal.user_id,
                                impersonation_id=principal.impersonation_id, event="fin", client_ip=client_ip)
    return encode_session(principal.impersonator_id)


async def record_request(principal: Principal, method: str, path: str, status_code: int, client_ip: str | None) -> None:
    async with connection() as conn:
        await journal_event(conn, support_user_id=principal.impersonator_id, target_user_id=principal.user_id,
                            impersonation_id=principal.impersonation_id, event="requete", method=method, path=path[:500],
                            status_code=status_code, client_ip=client_ip)


async def journal(principal: Principal, *, user_id: int | None = None, support_user_id: int | None = None,
                  before_id: int | None = None, limit: int = 50) -> list[dict]:
    require_support(principal)
    async with connection() as conn:
        rows = await conn.fetch(
            """SELECT j.*, s.email AS support_email, t.email AS target_email FROM support_journal j
               JOIN user_account s ON s.id = j.support_user_id LEFT JOIN user_account t ON t.id = j.target_user_id
               WHERE ($1::bigint IS NULL OR j.target_user_id = $1) AND ($2::bigint IS NULL OR j.support_user_id = $2)
                 AND ($3::bigint IS NULL OR j.id < $3)
               ORDER BY j.id DESC LIMIT $4""", user_id, support_user_id, before_id, limit)
    return [dict(r) for r in rows]


async def my_interventions(principal: Principal) -> list[dict]:
    """What the user sees in Mon compte: when and why support acted as them."""
    async with connection() as conn:
        rows = await conn.fetch(
            """SELECT i.id, i.started_at, i.ended_at, i.expires_at, i.reason, s.first_name || ' ' || s.last_name AS support_name,
                      i.actions_enabled_at IS NOT NULL AS actions_enabled
               FROM impersonation i JOIN user_account s ON s.id = i.support_user_id
               WHERE i.target_user_id = $1 ORDER BY i.started_at DESC LIMIT 50""", principal.user_id)
    return [dict(r) for r in rows]


async def impersonation_open(conn, impersonation_id: int | None) -> bool:
    if impersonation_id is None:
        return False
    return bool(await conn.fetchval("SELECT 1 FROM impersonation WHERE id = $1 AND ended_at IS NULL AND expires_at > now()",
                                    int(impersonation_id)))
