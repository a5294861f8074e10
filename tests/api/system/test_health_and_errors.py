from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import httpx

from backend.infra.embedded import EmbeddedRedis
from tests.support.servers import LiveApp


async def test_health_answers_ok_when_postgres_and_redis_answer(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "postgres": True, "redis": True}


def test_health_answers_503_when_redis_is_stopped_and_recovers_when_it_is_back():
    redis = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="chorale-health-"))).start(persistent=False)
    live = LiveApp(worker=False, env={"REDIS_URL": redis.url}).start()
    try:
        assert httpx.get(live.url + "/health").status_code == 200
        redis.stop()
        response = httpx.get(live.url + "/health", timeout=10)
        assert response.status_code == 503
        assert response.json()["redis"] is False and response.json()["postgres"] is True
        redis.start(persistent=False)
        assert httpx.get(live.url + "/health", timeout=10).status_code == 200
    finally:
        live.stop()
        redis.stop()
        shutil.rmtree(redis.directory, ignore_errors=True)


async def test_an_unknown_api_path_is_a_json_404_in_french(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "introuvable"
    assert body["message"] == "Ressource introuvable."


async def test_any_other_path_serves_the_single_page_offline(client):
    response = await client.get("/factures-emises")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "/_reactpy/assets/" in response.text
    assert "https://" not in response.text  # no CDN
    assets = await client.get(response.text.split('src="')[1].split('"')[0])
    assert assets.status_code == 200 and len(assets.content) > 10_000


async def test_the_openapi_schema_is_published(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert "/health" in response.json()["paths"]


async def test_an_oversized_body_is_refused_with_a_french_413(client):
    response = await client.post("/api/auth/session", content=b'{"email": "' + b"x" * (2 * 1024 * 1024) + b'"}',
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "requete_trop_volumineuse"
