"""An ERP's view of Chorale: PISTE calls with a bearer token and a cpro-account, no cookie, no Origin;
the credentials made through the « Raccordement » routes; a webhook receiver in another process."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import BASE_URL

ALL_SCOPES = ["deposit", "search", "process", "directory"]


@dataclass
class Credentials:
    client_id: str
    client_secret: str
    login: str
    password: str
    client_row: int
    account_id: int

    @property
    def cpro_account(self) -> str:
        return base64.b64encode(f"{self.login}:{self.password}".encode()).decode()


async def credentials_for(client, structure_id: int, scopes: list[str] | None = None) -> Credentials:
    """A technical account and an API client for the structure, made by its logged-in principal manager."""
    account = await client.post(f"/api/connections/{structure_id}/technical-accounts", json={})
    assert account.status_code == 201, account.text
    api = await client.post(f"/api/connections/{structure_id}/api-clients", json={"scopes": scopes or ALL_SCOPES, "name": "ERP"})
    assert api.status_code == 201, api.text
    return Credentials(api.json()["client_id"], api.json()["client_secret"], account.json()["login"], account.json()["password"],
                       api.json()["id"], account.json()["id"])


class Erp:
    """A machine client: its own httpx client, without the browser's Origin header nor any cookie."""

    def __init__(self, app, credentials: Credentials, *, base_url: str | None = None) -> None:
        """In the test's process (`app`), or over real HTTP to a running app (`base_url`, app None)."""
        self.http = (httpx.AsyncClient(base_url=base_url, timeout=30) if base_url else
                     httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL))
        self.credentials = credentials
        self.token: str | None = None

    async def __aenter__(self) -> "Erp":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.aclose()

    async def get_token(self) -> httpx.Response:
        response = await self.http.post("/api/oauth/token", data={
            "grant_type": "client_credentials", "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret, "scope": "openid"})
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response

    def headers(self, **overrides: str) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "cpro-account": self.credentials.cpro_account,
                   "Content-Type": "application/json;charset=utf-8"}
        headers.update(overrides)
        return headers

    async def call(self, path: str, body: dict | None = None, **headers: str) -> httpx.Response:
        return await self.http.post(path, content=json.dumps(body or {}), headers=self.headers(**headers))

    async def until_final(self, numero: str, timeout: float = 40) -> dict:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            response = await self.call("/cpro/transverses/v1/consulterCR", {"numeroFluxDepot": numero})
            assert response.status_code == 200, response.text
            if response.json()["etatCourantFlux"] in ("IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE"):
                return response.json()
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"flow {numero} not final: {response.json()}")
            await asyncio.sleep(0.2)


_RECEIVER = r"""
import http.server, json, sys
log = open(sys.argv[1], "a", buffering=1)
status = int(sys.argv[2])
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        log.write(json.dumps({"path": self.path, "headers": dict(self.headers), "body": body}) + "\n")
        answer = b'{"recu": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class WebhookReceiver:
    """An ERP's webhook endpoint on loopback, in another process; records every request it receives."""

    def __init__(self, folder: Path, status: int = 200) -> None:
        self.log = folder / "webhooks.log"
        self.log.touch()
        self.process = subprocess.Popen([sys.executable, "-c", _RECEIVER, str(self.log), str(status)], stdout=subprocess.PIPE,
                                        text=True)
        self.url = f"http://127.0.0.1:{int(self.process.stdout.readline())}/chorale"

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    async def wait_for(self, predicate, timeout: float = 40) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for request in self.received():
                if predicate(request):
                    return request
            await asyncio.sleep(0.1)
        raise AssertionError(f"no webhook matched; received {self.received()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)
