"""The services a rattachement asks for, as labelled checkboxes (none ticked: the whole structure, the
guide's « maille structure »). « Mes rattachements », the sign-up for a registered structure and « Rattacher
un utilisateur » offer the same choice."""

from __future__ import annotations

from reactpy import component, html


def ticker(set_ticked, item_id: int):
    """A checkbox's on_change adding `item_id` to, or removing it from, a sorted tuple state (ReactPy
    sends `checked` but not the input's type, so it is read here rather than through field_setter)."""
    def handle(event):
        on = bool(event["target"].get("checked"))
        set_ticked(lambda old: tuple(sorted(set(old) | {item_id})) if on else tuple(x for x in old if x != item_id))
    return handle


@component
def ServiceChoice(prefix: str, services: list[dict], set_ticked, *, legend: str, ticked: tuple[int, ...] = (),
                  hint: str | None = None, empty: str = "", error: str | None = None):
    """One native checkbox per active service ({id, code, libelle}), so Tab and Space work; `empty` is
    shown when the structure has none. Ids: `<prefix>-services` (the fieldset), `<prefix>-service-<code>`."""
    hint = hint if services else None  # with no service, `empty` says it all
    described = " ".join(i for i, text in ((f"{prefix}-services-hint", hint), (f"{prefix}-services-error", error)) if text)
    return html.fieldset(
        {"id": f"{prefix}-services", **({"aria-describedby": described} if described else {})},
        html.legend(legend),
        html.p({"class_name": "hint", "id": f"{prefix}-services-hint"}, hint) if hint else "",
        *([html.div({"class_name": "check", "key": str(s["id"])},
                    html.input({"type": "checkbox", "id": f"{prefix}-service-{s['code']}", "default_checked": s["id"] in ticked,
                                "on_change": ticker(set_ticked, s["id"])}),
                    html.label({"html_for": f"{prefix}-service-{s['code']}"}, f"{s['code']} — {s['libelle']}")) for s in services]
          or [html.p({"class_name": "empty"}, empty)]),
        html.p({"class_name": "field-error", "role": "alert", "id": f"{prefix}-services-error"}, error) if error else "",
    )
