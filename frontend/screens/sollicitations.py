"""« Sollicitations émises » (`/sollicitations`, `/sollicitations/<id>`) and support's queue
(`/support/sollicitations`, `/support/sollicitations/<id>`).

Both sides read through `sollicitations.services`, which applies who-sees-what; every screen listens to
the request's topics, so an answer, a reply or a change of state shows at once on the other side.
"""

from __future__ import annotations

from backend.domain.structures.permissions import Action, allows
from urllib.parse import urlencode

from reactpy import component, html, use_effect, use_state

import shared.i18n_sollicitations  # noqa: F401
import shared.i18n_support  # noqa: F401
from backend.domain.sollicitations import services
from backend.domain.sollicitations.rules import CATEGORIES, State, category_label, state_label, subcategory_label
from backend.infra.errors import DomainError
from frontend.components.data_table import Column, DataTable
from frontend.components.dialog import Dialog
from frontend.components.help_request import AttachedFiles, category_options
from frontend.components.shell import Link
from frontend.components.upload import UploadField
from frontend.components.attachment_summary import attachment_summary
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from frontend.hooks.pages import use_pages
from frontend.hooks.state import use_latest_state
from frontend.screens.invoice_common import fmt_moment

PAGE = 20
_COLOURS = {State.NOUVELLE: "blue", State.EN_COURS: "orange", State.ATTENTE_REPONSE: "red", State.RESOLUE: "green",
            State.CLOSE: "grey"}


@component
def StateBadge(state: str, badge_id: str | None = None):
    session = use_session()
    attrs = {"class_name": f"badge badge-{_COLOURS.get(State(state), 'blue')}", "data-state": state}
    if badge_id:
        attrs["id"] = badge_id
    return html.span(attrs, state_label(state, session.lang))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


_NUMBERED = ("lot", "facture")  # subjects named by their number (a screen is named by its path)


def _about(row: dict, t) -> str:
    if row["subject_kind"] in _NUMBERED:
        return t(f"help.about.{row['subject_kind']}", label=row["subject_label"] or f"n° {row['subject_id']}")
    return t("help.about.ecran", path=row["subject_path"])


def _columns(t, lang: str, base: str, *, support: bool) -> list[Column]:
    columns = [
        Column("number", t("soll.col.number"), render=lambda r: Link(f"{base}/{r['id']}", f"n° {r['id']}")),
        Column("date", t("soll.col.date"), render=lambda r: fmt_moment(_iso(r["created_at"]), lang)),
        Column("category", t("soll.col.category"),
               render=lambda r: f"{category_label(r['category'], lang)} — {subcategory_label(r['category'], r['subcategory'], lang)}"),
        Column("about", t("soll.col.about"), render=lambda r: _about(r, t)),
        Column("state", t("soll.col.state"), render=lambda r: StateBadge(r["state"])),
    ]
    if support:
        columns[3:3] = [Column("author", t("soll.col.author"), render=lambda r: r["author_name"] or "—"),
                        Column("structure", t("soll.col.structure"), render=lambda r: r["structure_name"] or "—")]
        columns.append(Column("assignee", t("soll.col.assignee"), render=lambda r: r["assignee_name"] or "—"))
    return columns


def _list_section(t, pages, more, columns, *, table_id: str, empty: str):
    return html.section(
        {"class_name": "card"},
        html.p({"aria-busy": "true"}, t("common.loading")) if pages is None else DataTable(
            columns, pages["items"], table_id=table_id, empty_text=empty, caption=t("soll.title")),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": more}, t("common.more")))
        if pages and pages["next"] else "",
    )


@component
def SollicitationsScreen():
    session = use_session()
    t, lang, principal = session.t, session.lang, session.principal
    topics, set_topics = use_state([f"sollicitations:user:{principal.user_id}"])

    @use_effect(dependencies=[principal.user_id])
    async def managed():
        set_topics(await services.live_topics(principal))  # a gestionnaire principal hears their structures' too

    pages, more, error, _ = use_pages(
        principal.user_id, lambda cursor: services.list_mine(principal, before=cursor, limit=PAGE), topics, lang)
    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("soll.title")),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        _list_section(t, pages, more, _columns(t, lang, "/sollicitations", support=False), table_id="sollicitations",
                      empty=t("soll.empty")),
    )


def use_sollicitation(sollicitation_id: str):
    """(the request as the principal may see it | None, error message | None, reload); reloaded live."""
    session = use_session()
    found, set_found = use_state(None)
    error, set_error = use_state(None)
    tick, set_tick = use_state(0)

    @use_effect(dependencies=[sollicitation_id, tick])
    async def load():
        try:
            set_found(await services.detail(session.principal, int(sollicitation_id)))
        except DomainError as failure:
            set_error(failure.message(session.lang))

    def reload(*_):
        set_tick(lambda n: n + 1)

    use_live_events([f"sollicitation:{sollicitation_id}"], reload)
    return found, error, reload


@component
def Conversation(found: dict):
    session = use_session()
    t, lang = session.t, session.lang
    return html.section(
        {"class_name": "card", "aria-labelledby": "soll-conversation"},
        html.h2({"id": "soll-conversation"}, t("soll.conversation")),
        html.ol({"class_name": "conversation", "id": "soll-messages", "aria-live": "polite"}, *[
            html.li({"key": str(m["id"]), "class_name": "message" + (" internal" if m["internal"] else "")
                     + (" from-support" if m["from_support"] else ""),
                     "data-internal": "true" if m["internal"] else "false"},
                    html.p({"class_name": "meta"},
                           html.strong(t("soll.support") if m["from_support"] and not session.principal.is_support else m["author_name"]),
                           f" — {fmt_moment(_iso(m['created_at']), lang)}",
                           html.em(f" — {t('soll.internal')}") if m["internal"] else ""),
                    html.p({"class_name": "body", "style": {"white-space": "pre-wrap"}}, m["body"]),
                    html.ul({"class_name": "files"}, *[
                        html.li({"key": str(f["id"])},
                                html.a({"href": f"/api/sollicitations/{found['id']}/files/{f['id']}", "download": f["original_name"]},
                                       f["original_name"]))
                        for f in m["files"]]) if m["files"] else "")
            for m in found["messages"]]),
    )


@component
def MessageForm(sollicitation_id: int, *, label: str, button: str, form_id: str, send, with_files: bool = True,
                prefill: str | None = None):
    """A message box (uncontrolled) with its attachments; `send(text, file_ids)` raises DomainError to refuse."""
    session = use_session()
    t, lang = session.t, session.lang
    text, set_text, text_ref = use_latest_state(prefill or "")
    files, set_files, files_ref = use_latest_state([])
    error, set_error = use_state(None)
    generation, set_generation = use_state(0)

    async def submit(_):
        try:
            await send(text_ref.current, [f["id"] for f in files_ref.current])
        except DomainError as failure:
            set_error(failure.message(lang))
            return
        set_error(None)
        set_text("")
        set_files([])
        set_generation(lambda n: n + 1)  # a fresh, empty box

    return html.div(
        {"class_name": "form", "id": form_id, "key": f"{form_id}-{generation}"},
        html.div({"class_name": "field"},
                 html.label({"html_for": f"{form_id}-text", "class_name": "required"}, label),
                 html.textarea({"id": f"{form_id}-text", "rows": 5, "default_value": prefill or "",
                                "on_change": lambda e: set_text(e["target"]["value"])})),
        html._(UploadField("/api/sollicitations/files", input_id=f"{form_id}-file", label=t("help.files"), hint=t("help.files_hint"),
                           on_done=lambda body: set_files(lambda old: [*old, body]), key=f"{form_id}-upload-{len(files)}"),
               AttachedFiles(files, lambda file_id: set_files(lambda old: [f for f in old if f["id"] != file_id])))
        if with_files else "",
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": f"{form_id}-send", "on_click": submit}, button)),
    )


def _header(found: dict, t, lang: str, back: tuple[str, str]):
    return html._(
        html.p(Link(back[0], "← " + back[1])),
        html.h1(t("soll.detail"), f" n° {found['id']} ", StateBadge(found["state"], badge_id="soll-state")),
        html.p({"id": "soll-summary"},
               f"{category_label(found['category'], lang)} — {subcategory_label(found['category'], found['subcategory'], lang)} · "
               f"{fmt_moment(_iso(found['created_at']), lang)} · ", _about(found, t)),
    )


@component
def SollicitationScreen(sollicitation_id: str):
    session = use_session()
    t, lang, principal = session.t, session.lang, session.principal
    found, error, reload = use_sollicitation(sollicitation_id)
    confirming, set_confirming = use_state(False)
    close_error, set_close_error = use_state(None)

    if error:
        return html.div({"class_name": "screen"}, html.h1(t("soll.detail")),
                        html.div({"class_name": "alert alert-error", "role": "alert"}, error))
    if found is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))

    async def reply(text: str, file_ids: list[int]) -> None:
        await services.reply(principal, found["id"], text, file_ids)
        reload()

    async def close(_):
        set_confirming(False)
        try:
            await services.close(principal, found["id"])
        except DomainError as failure:
            set_close_error(failure.message(lang))
        reload()

    closed = found["state"] == str(State.CLOSE)
    return html.div(
        {"class_name": "screen"},
        _header(found, t, lang, ("/sollicitations", t("soll.back"))),
        html.p(Link(found["subject_path"], t("soll.open_subject"), class_name="btn btn-secondary"))
        if found["subject_kind"] != "ecran" else "",
        html.p({"class_name": "hint"}, t("soll.live")),
        Conversation(found),
        html.div({"class_name": "alert", "role": "status"}, t("soll.closed")) if closed else html.section(
            {"class_name": "card"},
            MessageForm(found["id"], label=t("soll.reply"), button=t("soll.send_reply"), form_id="soll-reply", send=reply),
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn btn-secondary", "id": "soll-close",
                                  "on_click": lambda _: set_confirming(True)}, t("soll.close"))),
            html.div({"class_name": "alert alert-error", "role": "alert"}, close_error) if close_error else "",
        ),
        Dialog(t("soll.close"), html.p(t("soll.close_confirm")),
               actions=(html.button({"type": "button", "class_name": "btn btn-secondary", "autofocus": True,
                                     "on_click": lambda _: set_confirming(False)}, t("help.cancel")),
                        html.button({"type": "button", "class_name": "btn", "id": "soll-close-confirm", "on_click": close},
                                    t("soll.close"))),
               on_close=lambda: set_confirming(False), dialog_id="soll-close-dialog", role="alertdialog") if confirming else "",
    )


# Support -----------------------------------------------------------------------------------------

def _forbidden(t):
    return html.div({"class_name": "screen"}, html.h1(t("support.title")),
                    html.div({"class_name": "alert alert-error", "role": "alert"}, t("support.forbidden")))


def _is_agent(principal) -> bool:
    return allows(principal, Action.SUPPORT_ANSWER)


def _filter_select(select_id: str, label: str, value: str, options: list[tuple[str, str]], on_change):
    return html.div({"class_name": "field"},
                    html.label({"html_for": select_id}, label),
                    html.select({"id": select_id, "default_value": value, "on_change": lambda e: on_change(e["target"]["value"])},
                                *[html.option({"value": v, "key": v or "any"}, text) for v, text in options]))


@component
def SupportQueueScreen():
    session = use_session()
    t, lang, principal = session.t, session.lang, session.principal
    route = session.route
    filters = {name: route.param(name) for name in ("etat", "categorie", "agent", "anciennete", "siret")}
    draft, set_draft, draft_ref = use_latest_state(filters)
    key = urlencode(filters)
    pages, more, error, _ = use_pages(
        key if _is_agent(principal) else None,
        lambda cursor: services.queue(principal, state=filters["etat"] or None, category=filters["categorie"] or None,
                                      assignee=filters["agent"] or None,
                                      siret=filters["siret"] or None,
                                      older_than_days=int(filters["anciennete"]) if filters["anciennete"].isdigit() else None,
                                      before=cursor, limit=PAGE),
        [services.SUPPORT_TOPIC], lang)
    if not _is_agent(principal):
        return _forbidden(t)

    def set_filter(name: str):
        return lambda value: set_draft(lambda old: {**old, name: value})

    def apply(_=None):
        chosen = {k: v for k, v in draft_ref.current.items() if v}
        session.navigate("/support/sollicitations" + (f"?{urlencode(chosen)}" if chosen else ""))

    def on_key(e):
        if e.get("key") == "Enter":
            apply()

    return html.div(
        {"class_name": "screen wide"},
        html.p(Link("/support", "← " + t("support.title")), " · ", Link("/support/journal", t("support.journal"))),
        html.h1(t("queue.title")),
        html.div(
            {"class_name": "card filters", "role": "search", "id": "queue-filters", "on_key_down": on_key},
            _filter_select("queue-state", t("queue.filter.state"), filters["etat"],
                           [("", t("queue.any")), *[(str(s), state_label(s, lang)) for s in State]], set_filter("etat")),
            _filter_select("queue-category", t("queue.filter.category"), filters["categorie"],
                           [("", t("queue.any")), *category_options(lang)], set_filter("categorie")),
            _filter_select("queue-assignee", t("queue.filter.assignee"), filters["agent"],
                           [("", t("queue.any")), ("moi", t("queue.me")), ("aucun", t("queue.nobody"))], set_filter("agent")),
            _filter_select("queue-age", t("queue.filter.age"), filters["anciennete"],
                           [("", t("queue.any")), *[(d, t(f"queue.age.{d}")) for d in ("1", "3", "7")]], set_filter("anciennete")),
            html.div({"class_name": "field"},
                     html.label({"html_for": "queue-siret"}, t("queue.filter.structure")),
                     html.input({"id": "queue-siret", "type": "search", "inputmode": "numeric", "default_value": filters["siret"],
                                 "on_change": lambda e: set_filter("siret")(e["target"]["value"].strip())})),
            html.button({"type": "button", "class_name": "btn", "id": "queue-apply", "on_click": apply}, t("queue.filter.apply")),
        ),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        _list_section(t, pages, more, _columns(t, lang, "/support/sollicitations", support=True), table_id="queue",
                      empty=t("queue.empty")),
    )


@component
def SupportSollicitationScreen(sollicitation_id: str):
    session = use_session()
    t, lang, principal = session.t, session.lang, session.principal
    found, error, reload = use_sollicitation(sollicitation_id)
    template, set_template = use_state("")
    action_error, set_action_error = use_state(None)
    if not _is_agent(principal):
        return _forbidden(t)
    if error:
        return html.div({"class_name": "screen"}, html.h1(t("soll.detail")),
                        html.div({"class_name": "alert alert-error", "role": "alert"}, error))
    if found is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    sid = found["id"]

    def act(call):
        async def handle(_=None):
            try:
                await call()
                set_action_error(None)
            except DomainError as failure:
                set_action_error(failure.message(lang))
            reload()
        return handle

    async def answer(text: str, file_ids: list[int]) -> None:
        await services.reply(principal, sid, text, file_ids)
        set_template("")
        reload()

    async def note(text: str, _files: list[int]) -> None:
        await services.add_note(principal, sid, text)
        reload()

    templates = services.templates(lang)
    prefill = next((x["text"] for x in templates if x["key"] == template), None)
    closed = found["state"] == str(State.CLOSE)
    mine = found["assignee_id"] == principal.user_id
    return html.div(
        {"class_name": "screen wide"},
        _header(found, t, lang, ("/support/sollicitations", t("queue.title"))),
        html.p(f"{found['author_name']} — {found.get('author_email') or ''}",
               f" · {t('common.label', label=t('soll.col.assignee'))}{found['assignee_name'] or '—'}"),
        html.div({"class_name": "alert alert-error", "role": "alert"}, action_error) if action_error else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "id": "queue-take",
                              "on_click": act(lambda: services.assign(principal, sid, None if mine else principal.user_id))},
                             t("queue.release") if mine else t("queue.take")),
                 html.button({"type": "button", "class_name": "btn btn-secondary", "id": "queue-resolve",
                              "on_click": act(lambda: services.resolve(principal, sid))}, t("queue.resolve"))
                 if found["state"] not in (str(State.RESOLUE), str(State.CLOSE)) else "") if not closed else "",
        html.section(
            {"class_name": "card", "aria-labelledby": "queue-context", "id": "queue-context-card"},
            html.h2({"id": "queue-context"}, t("queue.context")),
            # a lot or an invoice is named by its number, with the screen it was asked from; a screen by its path, once
            html.p({"id": "queue-linked"}, html.strong(t("common.label", label=t("queue.linked"))), _about(found, t),
                   f" ({found['subject_path']})" if found["subject_kind"] in _NUMBERED else ""),
            html.h3(t("queue.structures")),
            html.ul({"id": "queue-structures"}, *[
                html.li({"key": str(a["id"])}, attachment_summary(a, lang)) for a in found.get("author_structures") or []]),
            html.form(
                {"method": "post", "action": f"/api/support/sollicitations/{sid}/intervention/form", "id": "queue-intervene-form"},
                html.p({"class_name": "hint"}, t("queue.intervene_hint")),
                html.button({"type": "submit", "class_name": "btn", "id": "queue-intervene"}, t("queue.intervene"))),
            html.h3(t("queue.interventions")),
            html.ul({"id": "queue-interventions"}, *[
                html.li({"key": str(i["id"]), "data-impersonation": str(i["id"])},
                        f"{fmt_moment(_iso(i['started_at']), lang)} → {fmt_moment(_iso(i['ended_at']), lang)} — {i['support_email']}")
                for i in found.get("interventions") or []]) if found.get("interventions") else html.p(
                {"class_name": "empty", "id": "queue-no-intervention"}, t("queue.no_intervention")),
        ),
        Conversation(found),
        "" if closed else html.section(
            {"class_name": "card"},
            _filter_select("queue-template", t("queue.template"), template,
                           [("", t("queue.template.none")), *[(x["key"], x["label"]) for x in templates]], set_template),
            # keyed by the template: choosing one starts the box afresh with its text
            MessageForm(sid, label=t("queue.answer"), button=t("queue.send_answer"), form_id="queue-answer", send=answer,
                        prefill=prefill, key=f"answer-{template}"),
        ),
        "" if closed else html.section(
            {"class_name": "card"},
            MessageForm(sid, label=t("queue.note"), button=t("queue.add_note"), form_id="queue-note", send=note, with_files=False),
        ),
    )
