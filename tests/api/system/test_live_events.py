from __future__ import annotations

import asyncio
import subprocess
import sys

from backend.infra.events import get_hub


async def test_an_event_published_by_another_process_reaches_local_listeners(client):
    async with get_hub().listen(["session:t1"]) as queue:
        code = (
            "import asyncio;from backend.infra.events import publish;"
            "asyncio.run(publish('ping', ['session:t1', 'other'], {'n': 1}))"
        )
        await asyncio.to_thread(subprocess.run, [sys.executable, "-c", code], check=True)
        event = await asyncio.wait_for(queue.get(), 5)
    assert event.type == "ping" and event.data == {"n": 1}


async def test_listeners_only_receive_their_topics(client):
    from backend.infra.events import publish

    async with get_hub().listen(["session:a"]) as queue_a, get_hub().listen(["session:b"]) as queue_b:
        await publish("x", ["session:b"], {})
        event = await asyncio.wait_for(queue_b.get(), 5)
        assert event.type == "x"
        assert queue_a.empty()


async def test_the_live_check_job_reports_each_step_from_the_worker(client, worker):
    async with get_hub().listen(["session:job"]) as queue:
        response = await client.post("/api/system/live-check", params={"topic": "session:job"})
        assert response.status_code == 202
        steps = [(await asyncio.wait_for(queue.get(), 10)).data["step"] for _ in range(3)]
    assert steps == ["recu", "en_cours", "termine"]


async def test_the_live_check_refuses_a_topic_that_is_not_a_browser_session(client):
    response = await client.post("/api/system/live-check", params={"topic": "structure:1"})
    assert response.status_code == 400
