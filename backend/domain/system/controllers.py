from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

import re

from backend.infra import rate_limit
from backend.infra.errors import DomainError
from backend.infra.rate_limit import Limit, peer_address
from backend.domain.system.schemas import Health
from backend.domain.system.services import check_health, start_live_check
from backend.infra.schemas import Job


SESSION_TOPIC = re.compile(r"session:[0-9a-z]{1,64}")
LIVE_CHECKS_PER_IP = Limit("live-check-ip", 10, 60)


class SystemController(Controller):
    tags = ["système"]

    @get("/health", operation_id="health", exclude_from_auth=True)
    async def health(self) -> Response[Health]:
        """200 when PostgreSQL and Redis answer, else 503 with the same body."""
        checks = await check_health()
        ok = all(checks.values())
        return Response(Health(status="ok" if ok else "degrade", **checks),
                        status_code=HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE)

    @post("/api/system/live-check", operation_id="startLiveCheck", status_code=202)
    async def live_check(self, request: Request, topic: str) -> Job:
        # Anonymous (the login page checks too) but each check is a worker job: limited per address.
        await rate_limit.hit(LIVE_CHECKS_PER_IP, peer_address(request.scope))
        # Only a browser session's own topic: the check must not be a way to write into others' feeds.
        if not SESSION_TOPIC.fullmatch(topic):
            raise DomainError('sujet_invalide')
        return Job(job=await start_live_check(topic))
