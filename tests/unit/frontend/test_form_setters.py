"""The form's change handlers read what ReactPy sends of an input: `value` and `checked` (no `type`)."""

from __future__ import annotations

from frontend.components.form import checkbox_setter, field_setter


def _state():
    values = {"kept": 1}

    def set_values(update):
        values.update(update(values))
    return values, set_values


def test_a_checkbox_unchecked_after_checking_is_false():
    """A checkbox's `value` is « on » whether checked or not: its handler must store `checked`."""
    values, set_values = _state()
    handle = checkbox_setter(set_values, "accept_terms")
    handle({"target": {"value": "on", "checked": True, "tagName": "INPUT"}})
    assert values["accept_terms"] is True
    handle({"target": {"value": "on", "checked": False, "tagName": "INPUT"}})
    assert values == {"kept": 1, "accept_terms": False}


def test_a_text_field_stores_its_value():
    values, set_values = _state()
    field_setter(set_values, "name")({"target": {"value": "Dupont", "checked": False, "tagName": "INPUT"}})
    assert values == {"kept": 1, "name": "Dupont"}
