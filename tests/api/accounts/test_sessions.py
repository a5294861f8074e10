"""What the session lookup does before the composition root has handed it the other slices' parts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

import dataclasses

from backend.domain.accounts import ports
from backend.domain.accounts.identity import TokenClaims
from backend.domain.accounts.services import principal_for
from backend.domain.support import store as support
from tests.support.factories import make_user
from tests.support.rollback import rolled_back


@pytest.fixture
def unconfigured(client):
    configured = ports.current()
    ports.configure(ports.Ports(structures=configured.structures))
    yield
    ports.configure(configured)


async def test_without_sources_grants_are_read_later_and_no_impersonation_is_open(unconfigured):
    async with rolled_back():
        agent, user = await make_user(is_support=True), await make_user()
        imp = await support.open_impersonation(support_user_id=agent["id"], target_user_id=user["id"], reason="TICKET-9",
                                               expires_at=datetime.now(UTC) + timedelta(minutes=5), client_ip=None)
        assert (await principal_for(TokenClaims(user["id"], 0), with_grants=True)).grants is None
        actor = {"sub": str(agent["id"]), "imp": imp, "exp": int(time.time()) + 300}
        acting = await principal_for(TokenClaims(user["id"], 0, actor=actor))
        assert acting.user_id == agent["id"] and not acting.impersonated
        ports.configure(dataclasses.replace(ports.current(), impersonation_open=_always_open))
        assert (await principal_for(TokenClaims(user["id"], 0, actor=actor))).impersonator_id == agent["id"]


async def _always_open(impersonation_id) -> bool:
    return True
