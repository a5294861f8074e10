"""Déposer une facture, step 1: structure, cadre, the PDF; then its reading, step by step, live.

The PDF goes from the browser to `POST /api/invoices/uploads` (real progress, Cancel); the worker reads
it and publishes each step on this session's topic. Once it is read, the invoice is created as
« Provisoire » and the form opens (`/factures-emises/<id>/modifier`).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from reactpy import component, html, use_effect, use_ref, use_state

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.extraction import STEPS
from backend.domain.invoices.services import create_invoice
from backend.domain.invoices.uploads import upload_status
from backend.infra.errors import DomainError
from backend.infra.events import Event
from frontend.components.icons import icon
from frontend.components.issued_tabs import issued_tabs
from frontend.components.upload import UploadField
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from frontend.screens.invoice_common import use_issuing_structures
from frontend.screens.invoice_form_blocks import DEPOSIT_CADRES
from shared.cadres import Cadre
from shared.i18n import message_of

POLL_SECONDS = 1.5  # a lost live event must never leave the screen frozen


@component
def ReadingSteps(events: list[dict]):
    session = use_session()
    done = {e["step"] for e in events}
    failed = next((e for e in events if e["step"] == "echec"), None)
    current = next((s for s in STEPS if s not in done), None)

    def item(step: str):
        state = "done" if step in done else ("failed" if failed and step == current else ("active" if step == current else "pending"))
        return html.li({"key": step, "class_name": f"step {state}", "data-step": step, "data-state": state},
                       session.t(f"deposit.step.{step}"))

    return html.section(
        {"class_name": "card", "aria-labelledby": "reading-title"},
        html.h2({"id": "reading-title"}, session.t("deposit.steps")),
        html.ol({"class_name": "steps", "id": "deposit-steps", "aria-live": "polite"}, *[item(s) for s in STEPS]),
        html.div({"class_name": "alert alert-error", "role": "alert", "id": "deposit-error"},
                 message_of(failed, session.lang))
        if failed else "",
    )


@component
def DepositScreen():
    session = use_session()
    t = session.t
    structures = use_issuing_structures()
    chosen, set_chosen = use_state(None)
    cadre, set_cadre = use_state(str(Cadre.A1))
    upload, set_upload = use_state(None)  # the upload route's answer
    progress, set_progress = use_state({})  # file id -> job.progress events, kept even before the upload answers
    error, set_error = use_state(None)
    creating = use_ref(False)

    def on_event(event: Event) -> None:
        if event.type == "job.progress" and "file_id" in event.data:
            file_id = event.data["file_id"]
            set_progress(lambda old: {**old, file_id: [*old.get(file_id, []), event.data]})

    use_live_events([session.session_topic], on_event)
    file_id = upload["id"] if upload else None
    events = progress.get(file_id, []) if file_id else []
    ready = any(e["step"] == "pret" for e in events)
    structure_id = chosen or (structures[0].id if structures and len(structures) == 1 else None)

    @use_effect(dependencies=[file_id, ready])
    async def open_form():
        if not file_id:
            return
        while not ready:  # the events are the fast path; the database says the same if one is lost
            await asyncio.sleep(POLL_SECONDS)
            try:
                state = await upload_status(session.principal, file_id)
            except DomainError:
                return
            if state["extraction_status"] in ("pret", "echec"):
                step = "pret" if state["extraction_status"] == "pret" else "echec"
                set_progress(lambda old: {**old, file_id: [*old.get(file_id, []), {"step": step, **(state["extraction"] or {}).get("error", {})}]})
                return
        if creating.current:
            return
        creating.current = True
        try:
            invoice = await create_invoice(session.principal, upload_id=file_id, structure_id=structure_id, cadre=cadre)
        except DomainError as failure:
            creating.current = False
            set_error(failure.message(session.lang))
            return
        session.navigate(f"/factures-emises/{invoice['id']}/modifier")

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("invoices.deposit.title")), issued_tabs(t, "deposit"),
                        html.div({"class_name": "alert alert-warning", "role": "alert"}, t("deposit.no_structure")))

    def handle_done(body: dict) -> None:
        set_error(None)
        set_upload(body)

    def restart(_):
        set_upload(None)
        creating.current = False

    # The structure is read from its select by the browser when it sends (params_from), so a PDF dropped
    # right after choosing goes to the structure shown.
    url = "/api/invoices/uploads?" + urlencode({"role": "principal", "topic": session.session_topic})
    failed = any(e["step"] == "echec" for e in events)
    return html.div(
        {"class_name": "screen"},
        html.h1(t("invoices.deposit.title")),
        issued_tabs(t, "deposit"),
        html.section(
            {"class_name": "card form", "aria-labelledby": "deposit-new"},
            html.h2({"id": "deposit-new"}, t("invoices.deposit.title")),
            html.div(
                {"class_name": "form-row"},
                html.div({"class_name": "field"},
                         html.label({"html_for": "deposit-structure", "class_name": "required"}, t("deposit.structure")),
                         html.span({"class_name": "hint"}, t("deposit.structure_hint")),
                         html.select({"id": "deposit-structure", "disabled": upload is not None,
                                      "default_value": str(structure_id or ""),
                                      "on_change": lambda e: set_chosen(int(e["target"]["value"]) if e["target"]["value"] else None)},
                                     *([] if len(structures) == 1 else [html.option({"value": "", "key": "none"}, "—")]),
                                     *[html.option({"value": str(s.id), "key": str(s.id)}, f"{s.identifier} - {s.raison_sociale}")
                                       for s in structures])),
                html.div({"class_name": "field"},
                         html.label({"html_for": "deposit-cadre", "class_name": "required"}, t("deposit.cadre")),
                         html.span({"class_name": "hint"}, t("deposit.cadre_hint")),
                         html.select({"id": "deposit-cadre", "default_value": cadre, "disabled": upload is not None,
                                      "on_change": lambda e: set_cadre(e["target"]["value"])},
                                     *[html.option({"value": str(c), "key": str(c)}, c.label(session.lang)) for c in DEPOSIT_CADRES])),
            ),
            UploadField(url, input_id="deposit-file", label=t("deposit.file"), hint=t("deposit.file_hint"),
                        accept="application/pdf,.pdf", on_done=handle_done, disabled=structure_id is None,
                        required=True, params_from={"structure_id": "deposit-structure"}) if upload is None else html.p(
                {"class_name": "upload-done", "id": "deposit-file-name"}, icon("file"), " ", upload["original_name"], " ",
                html.button({"type": "button", "class_name": "btn-link", "on_click": restart}, t("deposit.another"))
                if failed or error else ""),
        ),
        ReadingSteps(events) if upload is not None else "",
        html.div({"class_name": "alert", "role": "status", "id": "deposit-manual"},
                 t("deposit.unreadable" if any(e.get("kind") == "unreadable" for e in events) else "deposit.manual"))
        if any(e.get("manual") for e in events) else "",
        html.p({"aria-busy": "true", "id": "deposit-creating"}, t("deposit.creating")) if ready and not error else "",
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
    )
