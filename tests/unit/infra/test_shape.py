"""`shape()` gives what the route's JSON would have held, converted once, and refuses an undeclared key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

import msgspec
import pytest
from litestar.serialization import encode_json

from backend.infra.schemas import UndeclaredField, shape


class Colour(StrEnum):
    RED = "red"


@dataclass
class Party:
    name: str


class Row(msgspec.Struct):
    amount: str
    when: datetime
    day: date
    by_id: dict[str, int]
    ratio: float
    colour: str
    party: dict[str, str]
    tags: list[str]


VALUE = {"amount": Decimal("1200.50"), "when": datetime(2026, 12, 2, 3, 4, tzinfo=UTC), "day": date(2026, 12, 2),
         "by_id": {7: 2}, "ratio": 0.5, "colour": Colour.RED, "party": Party("Mairie"), "tags": ("a", "b")}


def test_the_result_is_what_the_json_route_would_have_decoded():
    assert shape(VALUE, Row) == msgspec.json.decode(encode_json(VALUE), type=Row)
    assert shape(VALUE, Row).amount == "1200.50" and shape(VALUE, Row).by_id == {"7": 2}


def test_a_key_the_struct_does_not_declare_is_refused_even_nested():
    with pytest.raises(UndeclaredField, match="extra"):
        shape({**VALUE, "extra": 1}, Row)

    class Outer(msgspec.Struct):
        rows: list[Row]

    with pytest.raises(UndeclaredField, match=r"rows\.\[\]secret"):
        shape({"rows": [{**VALUE, "secret": "x"}]}, Outer)
