"""List cursors are signed (issue 20, item 8): a forged one starts the list at its first page."""

from __future__ import annotations


def test_a_forged_cursor_is_ignored_and_a_genuine_one_decodes() -> None:
    import base64
    import json

    from backend.domain.dashboard.rules import decode_cursor, encode_cursor

    genuine = encode_cursor(["2026-01-01 00:00:00+00:00", 5])
    assert decode_cursor(genuine) == ["2026-01-01 00:00:00+00:00", 5]
    for values in (["x", 2**70], [{"a": 1}, 1], ["2026-01-01", 5]):
        forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
        assert decode_cursor(forged) is None, values
    tampered = base64.urlsafe_b64decode(genuine)
    assert decode_cursor(base64.urlsafe_b64encode(tampered[:-2] + b"9]").decode()) is None
