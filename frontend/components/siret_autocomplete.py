"""Live SIRET autocomplete: suggestions while typing, keyboard navigation, stale answers dropped.

Used wherever a structure is picked (sign-up, deposit recipient, searches). The input is uncontrolled
(controlled inputs lose characters at typing speed); each keystroke updates the query, and an effect
searches at once: the search takes about a millisecond, so a fixed debounce (150 ms here before) was
most of the wait a person felt. Keystrokes closer together than a person types (a paste, a held key) are
a burst: only then does the effect wait BURST_WAIT, and the next keystroke cancels that wait, so a burst
costs one search. A search under way is never cancelled (shielded: cancelling a PostgreSQL query costs
more than finishing it); the latest-query ref drops an answer that arrives for an older query, so stale
suggestions never show. At most one search per keystroke (bench/autocomplete.py measures it).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from reactpy import component, event, html, use_effect, use_ref, use_state

import shared.i18n_directory  # noqa: F401
from backend.domain.directory.services import search
from frontend.context import use_session
from frontend.js import RestoreFocus

BURST_GAP = 0.06   # keystrokes closer than this come from a paste or a held key, not from a person typing
BURST_WAIT = 0.04  # within a burst, wait this long for the next keystroke before searching


def establishment_line(item: dict) -> str:
    return " ".join(part for part in (item.get("address"), item.get("postcode"), item.get("city")) if part)


@component
def SiretAutocomplete(on_select: Callable[[dict | None], None], *, input_id: str = "siret-search", label: str | None = None,
                      public_only: bool = False, include_closed: bool = True, selected: dict | None = None,
                      error: str | None = None, required: bool = False):
    session = use_session()
    query, set_query = use_state("")
    results, set_results = use_state(None)  # None: nothing asked yet
    invalid, set_invalid = use_state(False)
    loading, set_loading = use_state(False)
    active, set_active = use_state(-1)
    open_, set_open = use_state(False)
    latest = use_ref("")
    last_key = use_ref(0.0)  # when the previous keystroke came (monotonic seconds)
    in_burst = use_ref(False)
    searches = use_ref(0)  # searches run by this input (shown as data-searches: the benchmark counts them)
    answered, set_answered = use_state({"query": None, "ms": None})  # the query whose answer is shown
    # once the user has chosen (or dropped) a structure, the element that had focus is replaced: focus
    # then goes on to the next field (or back to the input after « Changer »), never to <body>
    picked, set_picked = use_state(False)

    @use_effect(dependencies=[query, public_only, include_closed])
    async def run_search():
        latest.current = query
        if not query.strip():
            set_results(None)
            set_loading(False)
            set_answered({"query": query, "ms": None})
            return
        set_loading(True)
        if in_burst.current:
            await asyncio.sleep(BURST_WAIT)  # cancelled, with no search, if the burst goes on
        searches.current += 1
        started = time.perf_counter()
        found = await asyncio.shield(search(query, limit=10, public_only=public_only, include_closed=include_closed))
        if latest.current != query:
            return  # an older answer: the user has typed on
        set_answered({"query": query, "ms": round((time.perf_counter() - started) * 1000, 2)})
        set_results([item.to_dict() for item in found.items])
        set_invalid(found.invalid_siret)
        set_active(0 if found.items else -1)
        set_open(True)
        set_loading(False)

    def choose(item: dict | None) -> None:
        set_open(False)
        set_picked(True)
        on_select(item)

    def handle_input(e):
        now = time.monotonic()
        in_burst.current = now - last_key.current < BURST_GAP
        last_key.current = now
        set_query(e["target"]["value"])
        set_open(True)

    def handle_key(e):
        key = e.get("key")
        items = results or []
        if key == "ArrowDown" and items:
            set_open(True)
            set_active(lambda i: min(i + 1, len(items) - 1))
        elif key == "ArrowUp" and items:
            set_active(lambda i: max(i - 1, 0))
        elif key == "Enter" and open_ and 0 <= active < len(items):
            choose(items[active])
        elif key == "Escape":
            set_open(False)

    list_id = f"{input_id}-listbox"
    label_text = label or session.t("directory.search_label")
    if selected:
        return html.div(
            {"class_name": "field"},
            html.span({"class_name": "label"}, label_text),
            html.div(
                {"class_name": "selected-structure card", "id": f"{input_id}-selected", "data-siret": selected["siret"]},
                html.strong(selected.get("label") or selected.get("denomination")),
                html.span({"class_name": "option-sub"}, f"SIRET {selected['siret']} — {establishment_line(selected)}"),
                html.button({"type": "button", "class_name": "btn-link", "on_click": lambda _: choose(None)},
                            session.t("directory.change")),
            ),
            RestoreFocus({"armed": picked, "key": "focus-next"}),
        )

    items = results or []
    expanded = open_ and results is not None and bool(query.strip())
    status = ""
    if loading:
        status = session.t("directory.searching")
    elif results is not None and invalid:
        status = session.t("directory.invalid_siret")
    elif results is not None and not items and query.strip():
        status = session.t("directory.no_result")

    def option(index: int, item: dict):
        badges = []
        if item["is_public"]:
            badges.append(html.span({"class_name": "badge badge-blue"}, session.t("directory.public")))
        if not item["active"]:
            badges.append(html.span({"class_name": "badge badge-red"}, session.t("directory.closed")))

        @event(prevent_default=True)
        def pick(_):
            choose(item)

        return html.li(
            {"key": item["siret"], "id": f"{input_id}-option-{index}", "role": "option",
             "aria-selected": "true" if index == active else "false", "on_mouse_down": pick,
             "data-siret": item["siret"]},
            html.span({"class_name": "option-main"}, item["label"], " ", *badges),
            html.span({"class_name": "option-sub"}, f"SIRET {item['siret']} — {establishment_line(item)}"),
        )

    return html.div(
        {"class_name": "field combobox", "data-answered": answered["query"] if answered["query"] is not None else "",
         "data-search-ms": str(answered["ms"] or ""), "data-searches": str(searches.current)},
        html.label({"html_for": input_id, "class_name": "required" if required else ""}, label_text),
        html.span({"class_name": "hint", "id": f"{input_id}-hint"}, session.t("directory.search_hint")),
        html.input({
            "id": input_id, "type": "text", "role": "combobox", "autocomplete": "off",
            "aria-autocomplete": "list", "aria-expanded": "true" if expanded and items else "false",
            "aria-controls": list_id, "aria-describedby": f"{input_id}-hint {input_id}-status",
            "aria-activedescendant": f"{input_id}-option-{active}" if expanded and active >= 0 else "",
            "aria-invalid": "true" if (invalid or error) else "false",
            "on_change": handle_input, "on_key_down": handle_key,
            "on_blur": lambda _: set_open(False), "on_focus": lambda _: set_open(True),
        }),
        html.ul({"id": list_id, "role": "listbox", "hidden": not (expanded and items)},
                *[option(i, item) for i, item in enumerate(items)]) if expanded and items else "",
        html.div({"id": f"{input_id}-status", "class_name": "combobox-status" + (" error" if invalid else ""),
                  "role": "status", "aria-live": "polite"}, status),
        html.div({"class_name": "error"}, error) if error else "",
        RestoreFocus({"armed": picked, "targetId": input_id, "key": "focus-input"}),
    )
