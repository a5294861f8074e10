"""Response bodies of the system routes."""

from __future__ import annotations

import msgspec


class Health(msgspec.Struct):
    """`ok` when PostgreSQL and Redis answer, else `degrade` (with 503)."""

    status: str
    postgres: bool
    redis: bool
