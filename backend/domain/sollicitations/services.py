"""Sollicitations use cases: a user asks support from the screen they are on, follows the conversation,
replies and closes; support works the queue (assignment, internal notes, answers, resolution) and starts
an intervention as the user from the request itself.

Who sees what (`rules.may_see`): the author, their structure's gestionnaire principal, and support. A
request anyone else names answers 404, as if it did not exist; internal notes never leave support.
Every change is one transaction; its live event and the mail it queued go out after the commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from backend.domain.accounts import store as accounts
from backend.domain.accounts.identity import Principal
from backend.domain.invoices.services import clean_name, store_upload, visible_invoice
from backend.domain.lots.services import get_lot
from backend.domain.notifications.services import absolute_link, queue_template, wake_sender
from backend.domain.sollicitations import rules, store
from backend.domain.sollicitations.rules import Move, RuleError, State, Subject
from backend.domain.structures import store as structures
from backend.domain.policy import rules as policy
from backend.domain.structures.permissions import Action, grants_of, is_attached
from backend.domain.support import services as support
from backend.infra import storage
from backend.infra.database import transaction
from backend.infra.errors import DomainError, Forbidden, NotFound
from backend.infra.events import publish
from backend.infra.files import ALLOWED_ATTACHMENT_TYPES, CONTENT_TYPES, sniff_type
from backend.infra.pages import keyset_page, page_size
import shared.i18n_sollicitations  # noqa: F401  (registers the templates' texts)
from shared.i18n import t

SUPPORT_TOPIC = "sollicitations:support"


def _refusal(error: RuleError) -> DomainError:
    return error.with_status(422)


def not_found() -> NotFound:
    return NotFound('sollicitation')


def _is_support(principal: Principal) -> bool:
    """Support powers belong to the agent themself, never to a session acting as a user (the policy's
    support actions need no grants: decided without reading them)."""
    return policy.decide(principal, (), Action.SUPPORT_ANSWER).allowed


async def _managed_structures(principal: Principal) -> frozenset[int]:
    """The structures whose gestionnaire principal the user is: the policy's one predicate (an approved attachment)."""
    return frozenset(g.structure_id for g in await grants_of(principal) if g.is_principal)


async def _visible(principal: Principal, sollicitation_id: int, *, for_update: bool = False) -> store.Sollicitation:
    found = await store.get(sollicitation_id, for_update=for_update)
    if found is None or not rules.may_see(
            viewer_id=principal.user_id, is_support=_is_support(principal), author_id=found.author_id,
            structure_id=found.structure_id,
            managed_structures=await _managed_structures(principal) if found.author_id != principal.user_id else frozenset()):
        raise not_found()
    return found


def topics(s: store.Sollicitation) -> list[str]:
    found = [f"sollicitation:{s.id}", f"sollicitations:user:{s.author_id}", SUPPORT_TOPIC]
    if s.structure_id is not None:
        found.append(f"sollicitations:structure:{s.structure_id}")
    return found


async def _announce(s: store.Sollicitation) -> None:
    # Only the id: whoever listens reads the request again through the rules of access.
    await publish("sollicitation.changed", topics(s), {"id": s.id, "state": s.state})


def view(s: store.Sollicitation) -> dict[str, Any]:
    return {"id": s.id, "author_id": s.author_id, "structure_id": s.structure_id, "category": s.category,
            "subcategory": s.subcategory, "state": s.state, "subject_kind": s.subject_kind, "subject_id": s.subject_id,
            "subject_path": s.subject_path, "subject_label": s.subject_label, "assignee_id": s.assignee_id,
            "created_at": s.created_at, "updated_at": s.updated_at}


def file_view(f: store.File) -> dict[str, Any]:
    return {"id": f.id, "message_id": f.message_id, "original_name": f.original_name, "content_type": f.content_type,
            "size": f.size}


# Asking ------------------------------------------------------------------------------------------

async def _subject(principal: Principal, path: str) -> tuple[rules.Context, int | None, str | None]:
    """What the request is about, with the structure it concerns and the number the user saw. A lot or
    invoice the user may not see is not linked (the screen's path is kept)."""
    context = rules.context_of(path)
    try:
        if context.kind == Subject.LOT:
            lot = await get_lot(principal, context.object_id)
            return context, lot["structure_id"], lot["number"]
        if context.kind == Subject.INVOICE:
            invoice = await visible_invoice(principal, context.object_id)
            structure_id = invoice["supplier_structure_id"]
            if not await is_attached(principal, structure_id) and invoice["recipient_structure_id"]:
                structure_id = invoice["recipient_structure_id"]
            return context, structure_id, invoice["number"]
    except NotFound:
        context = rules.Context(Subject.SCREEN, None, context.path)
    memberships = [m for m in await structures.memberships_of(principal.user_id) if m.status == structures.APPROVED]
    return context, (memberships[0].id if len(memberships) == 1 else None), None


async def create(principal: Principal, *, category: str, subcategory: str, message: str, path: str = "/",
                 file_ids: Iterable[int] = ()) -> dict[str, Any]:
    """« Posez une question »: the request, its first message and its files, linked to where it was asked."""
    if policy.while_acting(principal, Action.SOLLICITATION_CREATE) is not None:
        raise Forbidden(code='bloque_pendant_intervention')
    try:
        category, subcategory = rules.check_category(category, subcategory)
        body = rules.clean_message(message)
    except RuleError as error:
        raise _refusal(error) from None
    file_ids = _file_ids(file_ids)
    context, structure_id, label = await _subject(principal, path)
    async with transaction():
        created = await store.create(author_id=principal.user_id, structure_id=structure_id, category=category,
                                     subcategory=subcategory, state=str(State.NOUVELLE), subject_kind=str(context.kind),
                                     subject_id=context.object_id, subject_path=context.path, subject_label=label)
        first = await store.add_message(created.id, author_id=principal.user_id, from_support=False, internal=False, body=body)
        await _attach(file_ids, principal, created.id, first.id)
    await _announce(created)
    return view(created)


def _file_ids(file_ids: Iterable[int]) -> list[int]:
    ids = sorted({int(i) for i in file_ids})
    if len(ids) > rules.MAX_FILES:
        raise DomainError('trop_de_fichiers', "file_ids", status_code=422, MAX_FILES=rules.MAX_FILES)
    return ids


async def _attach(file_ids: list[int], principal: Principal, sollicitation_id: int, message_id: int) -> None:
    if await store.attach_files(file_ids, uploaded_by=principal.user_id, sollicitation_id=sollicitation_id,
                                message_id=message_id) != len(file_ids):
        # Someone else's file, or one already sent: nothing of this message is kept.
        raise DomainError('fichier_inconnu', "file_ids", status_code=422)


async def upload_file(principal: Principal, chunks: AsyncIterable[bytes], *, content_length: int | None,
                      name: str | None) -> dict[str, Any]:
    """An attachment for a request or a reply not yet sent: the invoice files' limits (30 MB) and types
    (BMP, PNG, XML, CSV, TIFF, PDF by content); refused with nothing kept."""
    stored = await store_upload(chunks, content_length=content_length, area="sollicitations")
    kind = sniff_type(stored.head)
    if stored.size == 0 or kind not in ALLOWED_ATTACHMENT_TYPES:
        storage.delete(stored.key)
        raise DomainError('type_refuse', "file", status_code=415)
    try:
        async with transaction():
            row = await store.add_file(uploaded_by=principal.user_id, original_name=clean_name(name),
                                       content_type=CONTENT_TYPES[kind], size=stored.size, sha256=stored.sha256,
                                       storage_key=stored.key)
    except BaseException:
        storage.delete(stored.key)
        raise
    return file_view(row)


async def delete_unsent_files(older_than_hours: float = 24, batch: int = 500) -> int:
    """Attachments uploaded for a question or a reply never sent: their rows, then their files."""
    async with transaction():
        keys = await store.delete_unsent_files(timedelta(hours=older_than_hours), batch)
    for key in keys:
        storage.delete(key)
    return len(keys)


async def attachment(principal: Principal, sollicitation_id: int, file_id: int) -> store.File:
    """A file of a request the principal may see (404 otherwise, for the request and the file alike)."""
    await _visible(principal, sollicitation_id)
    found = await store.file(sollicitation_id, file_id)
    if found is None:
        raise NotFound('fichier')
    return found


# Reading -----------------------------------------------------------------------------------------

async def list_mine(principal: Principal, *, before: int | None = None, limit: int = 20) -> dict[str, Any]:
    """« Sollicitations émises »: the user's requests, and their managed structures' ones, newest first."""
    limit = page_size(limit)
    rows = await store.visible_page(principal.user_id, await _managed_structures(principal), before=before, limit=limit + 1)
    return keyset_page(rows, limit, view, cursor=lambda s: s.id)


async def live_topics(principal: Principal) -> list[str]:
    """What « Sollicitations émises » listens to: the user's requests and their managed structures'."""
    return [f"sollicitations:user:{principal.user_id}",
            *[f"sollicitations:structure:{sid}" for sid in sorted(await _managed_structures(principal))]]


async def detail(principal: Principal, sollicitation_id: int) -> dict[str, Any]:
    """The request and its conversation; support also gets internal notes, the user's structures and the
    interventions started from it."""
    found = await _visible(principal, sollicitation_id)
    staff = _is_support(principal)
    messages = await store.messages_of(sollicitation_id, with_internal=staff)
    files = await store.files_of(sollicitation_id)
    names = await accounts.display_names({m.author_id for m in messages} | {found.author_id, found.assignee_id})
    answer = {**view(found), "author_name": names.get(found.author_id), "assignee_name": names.get(found.assignee_id),
              "messages": [{"id": m.id, "author_name": names.get(m.author_id), "from_support": m.from_support,
                            "internal": m.internal, "body": m.body, "created_at": m.created_at,
                            "files": [file_view(f) for f in files if f.message_id == m.id]} for m in messages]}
    if staff:
        author = await accounts.user(found.author_id)
        answer["author_email"] = author.email if author else None
        answer["author_structures"] = [msgspec.structs.asdict(a) for a in await structures.attachments_of(found.author_id)]
        answer["interventions"] = await support.interventions_for_sollicitation(principal, sollicitation_id)
    return answer


async def queue(principal: Principal, *, state: str | None = None, category: str | None = None, assignee: str | None = None,
                structure_id: int | None = None, siret: str | None = None, older_than_days: int | None = None,
                before: int | None = None, limit: int = 20) -> dict[str, Any]:
    """Support's queue, every request, filtered; `assignee`: "moi", "aucun" or an agent's id; the
    structure by its id or its SIRET (an unknown SIRET matches nothing)."""
    support.require_support(principal)
    if siret and structure_id is None:
        structure_id = await structures.structure_id_by_siret("".join(siret.split())) or 0
    if state and state not in {str(s) for s in State}:
        raise DomainError('etat_invalide', "state", status_code=422)
    assignee_id, unassigned = None, False
    if assignee == "moi":
        assignee_id = principal.user_id
    elif assignee == "aucun":
        unassigned = True
    elif assignee:
        if not assignee.isdigit():
            raise DomainError('agent_invalide', "assignee", variant='agent_inconnu', status_code=422)
        assignee_id = int(assignee)
    older = datetime.now(UTC) - timedelta(days=older_than_days) if older_than_days else None
    filters = store.QueueFilter(state=state or None, category=category or None, assignee_id=assignee_id, unassigned=unassigned,
                                structure_id=structure_id, older_than=older)
    limit = page_size(limit)
    rows = await store.queue_page(filters, before=before, limit=limit + 1)
    page = keyset_page(rows, limit, view, cursor=lambda s: s.id)
    names = await accounts.display_names({r["author_id"] for r in page["items"]} | {r["assignee_id"] for r in page["items"]})
    parties = await structures.party_names(r["structure_id"] for r in page["items"])
    for item in page["items"]:
        item["author_name"], item["assignee_name"] = names.get(item["author_id"]), names.get(item["assignee_id"])
        item["structure_name"] = parties[item["structure_id"]][1] if item["structure_id"] in parties else None
    return page


# Changing ----------------------------------------------------------------------------------------

async def _move(principal: Principal, sollicitation_id: int, move: Move, **changes) -> store.Sollicitation:
    """The request locked, the move checked against the table, the new state written (same transaction)."""
    found = await _visible(principal, sollicitation_id, for_update=True)
    try:
        state = rules.next_state(found.state, move)
    except RuleError as error:
        raise error.with_status(409) from None
    return await store.update(sollicitation_id, state=str(state), **changes)


async def reply(principal: Principal, sollicitation_id: int, message: str, file_ids: Iterable[int] = ()) -> dict[str, Any]:
    """A message in the conversation: support's answer (mailed to the author per their preferences) or
    the user's reply (the request goes back to support)."""
    if policy.while_acting(principal, Action.SOLLICITATION_REPLY) is not None:
        raise Forbidden('support_repond_depuis', code='bloque_pendant_intervention')
    try:
        body = rules.clean_message(message)
    except RuleError as error:
        raise _refusal(error) from None
    file_ids = _file_ids(file_ids)
    staff = _is_support(principal)
    async with transaction():
        changed = await _move(principal, sollicitation_id, Move.ANSWER if staff else Move.USER_REPLY)
        written = await store.add_message(sollicitation_id, author_id=principal.user_id, from_support=staff, internal=False, body=body)
        await _attach(file_ids, principal, sollicitation_id, written.id)
        mailed = await _mail_answer(changed, body) if staff else False
    await _announce(changed)
    if mailed:
        await wake_sender()
    return view(changed)


async def _mail_answer(s: store.Sollicitation, body: str) -> bool:
    recipients = await accounts.notification_recipients([s.author_id], active_only=True)
    for user in recipients:
        if rules.mail_on_answer(user.notify_all, user.notify_billing):
            await queue_template("sollicitation_reponse", to=user.address, lang=user.lang, first_name=user.first_name,
                                 user_id=user.id, id=s.id, category=lambda lang: rules.category_label(s.category, lang),
                                 answer=body, link=absolute_link(f"/sollicitations/{s.id}"))
            return True
    return False


async def add_note(principal: Principal, sollicitation_id: int, message: str) -> dict[str, Any]:
    """An internal note: support's only, never shown to the user; the state does not change."""
    support.require_support(principal)
    try:
        body = rules.clean_message(message)
    except RuleError as error:
        raise _refusal(error) from None
    async with transaction():
        found = await _visible(principal, sollicitation_id, for_update=True)
        if found.state == str(State.CLOSE):
            raise DomainError('sollicitation_close', status_code=409)
        await store.add_message(sollicitation_id, author_id=principal.user_id, from_support=True, internal=True, body=body)
        found = await store.update(sollicitation_id)
    await publish("sollicitation.changed", [f"sollicitation:{found.id}", SUPPORT_TOPIC], {"id": found.id})
    return view(found)


async def assign(principal: Principal, sollicitation_id: int, assignee_id: int | None) -> dict[str, Any]:
    """To a support agent (taking it puts a new request « en cours »)."""
    support.require_support(principal)
    if assignee_id is not None:
        agent = await accounts.user(assignee_id)
        if agent is None or not agent.is_support:
            raise DomainError('agent_invalide', "assignee_id", status_code=422)
    async with transaction():
        changed = await _move(principal, sollicitation_id, Move.TAKE, assignee_id=assignee_id)
    await _announce(changed)
    return view(changed)


async def resolve(principal: Principal, sollicitation_id: int) -> dict[str, Any]:
    support.require_support(principal)
    async with transaction():
        changed = await _move(principal, sollicitation_id, Move.RESOLVE)
    await _announce(changed)
    return view(changed)


async def close(principal: Principal, sollicitation_id: int) -> dict[str, Any]:
    """The author (or their gestionnaire principal) closes it: nothing changes afterwards."""
    if _is_support(principal) or policy.while_acting(principal, Action.SOLLICITATION_REPLY) is not None:
        raise Forbidden('seul_auteur_clot')
    async with transaction():
        changed = await _move(principal, sollicitation_id, Move.CLOSE)
    await _announce(changed)
    return view(changed)


async def start_intervention(principal: Principal, sollicitation_id: int, client_ip: str | None = None) -> tuple[str, str]:
    """Support acts as the author in one step, the request being the reason: (session token, the screen
    the request was opened from, to look at it as the user)."""
    support.require_support(principal)
    found = await _visible(principal, sollicitation_id)
    reason = (f"Sollicitation n° {found.id} — {rules.category_label(found.category)} / "
              f"{rules.subcategory_label(found.category, found.subcategory)}")
    token = await support.start_impersonation(principal, found.author_id, reason, client_ip, sollicitation_id=found.id)
    await publish("sollicitation.changed", [f"sollicitation:{found.id}", SUPPORT_TOPIC], {"id": found.id})
    return token, found.subject_path


def templates(lang: str = "fr") -> list[dict[str, str]]:
    """Support's answer templates, their label and text in `lang`."""
    return [{"key": key, "label": t(rules.template_key(key, "label"), lang), "text": t(rules.template_key(key, "text"), lang)}
            for key in rules.TEMPLATES]
