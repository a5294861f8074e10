from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

import re

from backend.infra.errors import ChoraleError
from backend.domain.system.services import check_health, start_live_check


SESSION_TOPIC = re.compile(r"session:[0-9a-z]{1,64}")


class SystemController(Controller):
    tags = ["système"]

    @get("/health", operation_id="health", exclude_from_auth=True)
    async def health(self) -> Response[dict]:
        checks = await check_health()
        ok = all(checks.values())
        return Response({"status": "ok" if ok else "degrade", **checks},
                        status_code=HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE)

    @post("/api/system/live-check", operation_id="startLiveCheck", status_code=202)
    async def live_check(self, topic: str) -> dict:
        # Only a browser session's own topic: the check must not be a way to write into others' feeds.
        if not SESSION_TOPIC.fullmatch(topic):
            raise ChoraleError("sujet_invalide", "Sujet de mise à jour invalide.", "Invalid update topic.")
        return {"job": await start_live_check(topic)}
