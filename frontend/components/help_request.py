"""« Besoin d'aide ? Posez une question »: the button every screen's shell shows, and its form.

The request is linked to the screen it is asked from (the current path: a lot's or invoice's report
links that lot or invoice, see `sollicitations.rules.context_of`). Attachments upload as soon as they
are chosen, with the invoice files' limits, and are sent with the question.
"""

from __future__ import annotations

from backend.domain.structures.permissions import Action, allows
from reactpy import component, event, html, use_state

import shared.i18n_sollicitations  # noqa: F401
from backend.domain.sollicitations import services
from backend.domain.sollicitations.rules import CATEGORIES, Subject, category_label, context_of, subcategory_label, topic_of
from backend.infra.errors import DomainError
from frontend.components.dialog import Dialog
from frontend.components.upload import UploadField
from frontend.context import use_session
from frontend.hooks.state import use_latest_state
from shared.formatting import file_size


def category_options(lang: str) -> list[tuple[str, str]]:
    return [(key, category_label(key, lang)) for key in CATEGORIES]


def subcategory_options(category: str, lang: str) -> list[tuple[str, str]]:
    return [(key, subcategory_label(category, key, lang)) for key in CATEGORIES[category]]


def select_field(select_id: str, label: str, options: list[tuple[str, str]], on_change, *, key: str,
                 selected: str | None = None, autofocus: bool = False):
    """Uncontrolled (the browser keeps the choice); a new `key` starts it afresh on `selected` (else the first option)."""
    return html.div({"class_name": "field", "key": key},
                    html.label({"html_for": select_id, "class_name": "required"}, label),
                    html.select({"id": select_id, "default_value": selected or options[0][0], "autofocus": autofocus,
                                 "on_change": lambda e: on_change(e["target"]["value"])},
                                *[html.option({"value": v, "key": v}, text) for v, text in options]))


@component
def AttachedFiles(files: list[dict], on_remove):
    session = use_session()
    if not files:
        return html._()
    return html.ul({"class_name": "attached-files"}, *[
        html.li({"key": str(f["id"])}, f"{f['original_name']} ({file_size(f['size'], session.lang)}) ",
                html.button({"type": "button", "class_name": "btn-link", "on_click": lambda _, i=f["id"]: on_remove(i),
                             "aria-label": f"{session.t('help.remove')} {f['original_name']}"}, session.t("help.remove")))
        for f in files])


@component
def HelpRequest():
    session = use_session()
    t, lang = session.t, session.lang
    opened, set_opened = use_state(False)
    category, set_category = use_state(next(iter(CATEGORIES)))
    subcategory, set_subcategory = use_state(None)
    message, set_message, message_ref = use_latest_state("")
    files, set_files, files_ref = use_latest_state([])
    error, set_error = use_state(None)
    sent, set_sent = use_state(None)
    principal = session.principal
    # Support writes from its queue, not through a user's form; acting as a user, it does not write as them.
    if not allows(principal, Action.SOLLICITATION_CREATE) or allows(principal, Action.SUPPORT_ANSWER):
        return html._()
    context = context_of(session.route.path)

    def open_form(_):
        # Opened from a lot's screen, the question is about a lot; from an invoice, its processing; and so on.
        asked_about, subject = topic_of(session.route.path)
        set_category(asked_about)
        set_subcategory(subject)
        set_opened(True)

    def close(*_):
        set_opened(False)
        set_sent(None)
        set_error(None)
        set_files([])
        set_message("")

    def see(sollicitation_id: int):
        @event(prevent_default=True)
        def handle(_):
            close()  # the dialog lives in the shell: it would stay open over the next screen
            session.navigate(f"/sollicitations/{sollicitation_id}")
        return handle

    def choose_category(value: str) -> None:
        set_category(value)
        set_subcategory(None)

    async def send(_):
        try:
            created = await services.create(principal, category=category, message=message_ref.current,
                                            subcategory=subcategory or next(iter(CATEGORIES[category])),
                                            path=session.route.path, file_ids=[f["id"] for f in files_ref.current])
        except DomainError as failure:
            set_error(failure)
            return
        set_error(None)
        set_sent(created)

    about = {Subject.LOT: "help.about.lot", Subject.INVOICE: "help.about.facture"}.get(context.kind, "help.about.ecran")
    what = t(about, label=f"n° {context.object_id}", path=context.path)
    trigger = html.button({"type": "button", "class_name": "btn btn-secondary help-open", "id": "help-open",
                           "aria-haspopup": "dialog", "on_click": open_form}, t("help.open"))
    if not opened:
        return trigger
    if sent is not None:
        body = html.p({"id": "help-sent", "role": "status"}, t("help.sent", id=sent["id"]))
        actions = (html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": close, "autofocus": True},
                               t("help.close")),
                   html.a({"href": f"/sollicitations/{sent['id']}", "class_name": "btn", "on_click": see(sent["id"])}, t("help.see")))
    else:
        field_error = getattr(error, "field", None)
        body = html.div(
            {"class_name": "form", "id": "help-form"},
            html.p({"class_name": "hint", "id": "help-about"}, t("help.about", what=what)),
            html.div({"class_name": "form-row"},
                     select_field("help-category", t("help.category"), category_options(lang), choose_category, key="category",
                                  selected=category, autofocus=True),
                     select_field("help-subcategory", t("help.subcategory"), subcategory_options(category, lang), set_subcategory,
                                  key=f"sub-{category}", selected=subcategory)),
            html.div({"class_name": "field"},
                     html.label({"html_for": "help-message", "class_name": "required"}, t("help.message")),
                     html.textarea({"id": "help-message", "rows": 5, "required": True,
                                    "aria-invalid": "true" if field_error == "message" else "false",
                                    "on_change": lambda e: set_message(e["target"]["value"])})),
            UploadField("/api/sollicitations/files", input_id="help-file", label=t("help.files"), hint=t("help.files_hint"),
                        on_done=lambda body: set_files(lambda old: [*old, body]), key=f"upload-{len(files)}"),
            AttachedFiles(files, lambda file_id: set_files(lambda old: [f for f in old if f["id"] != file_id])),
            html.div({"class_name": "alert alert-error", "role": "alert", "id": "help-error"}, error.message(lang)) if error else "",
        )
        actions = (html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": close}, t("help.cancel")),
                   html.button({"type": "button", "class_name": "btn", "id": "help-send", "on_click": send}, t("help.send")))
    return html._(trigger, Dialog(t("help.title"), body, actions=actions, on_close=close, dialog_id="help-dialog"))
