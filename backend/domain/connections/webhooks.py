"""Webhooks: events become deliveries, which the worker sends signed and retries with backoff.

Every invoice move and lot step is written to the transactional outbox in its own transaction, then
relayed once committed to a Redis stream (backend/infra/events.py DURABLE_STREAM; the relay is
backend/domain/system/outbox.py, at least once). The worker's dispatcher reads that stream in a
consumer group: on start it takes up what it had read but not finished, then every entry added since the
group last read (so an event published while no worker ran is delivered when one starts), and it takes
over, periodically, the entries a dead worker left unfinished. Each entry becomes one delivery per
(event, endpoint) — a unique key, so an entry read twice (a worker killed between recording and
acknowledging) or relayed twice (a relay cut between the stream and its commit) is recorded once and only
the one that recorded it enqueues the sending — and is acknowledged once recorded.

SSRF: an endpoint's host is resolved before each attempt and refused when any address is not public
(private ranges, link-local and cloud metadata, reserved), loopback only in demo mode. The request then
goes to the checked address itself (the Host header and TLS name stay the URL's), so a DNS answer that
changes between the check and the connection (rebinding) cannot redirect it; redirects are not followed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import socket
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from backend.domain.connections import rules, store
from backend.domain.connections.rules import RuleError, WebhookEvent
from backend.infra.database import transaction
from backend.infra.errors import ChoraleError
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from backend.infra.events import DURABLE_STREAM, Event
from backend.infra.redis import get_arq
from backend.settings import get_settings
from shared.invoice_status import InvoiceStatus

log = logging.getLogger(__name__)
TIMEOUT = 10.0
MAX_RESPONSE_KEPT = 500


def _loopback() -> bool:
    from backend.domain.connections.services import loopback_allowed

    return loopback_allowed()


async def _addresses(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


async def checked_address(url: str) -> tuple[str, str, int]:
    """(scheme, a public address of the URL's host, port), or RuleError."""
    host, port = rules.check_webhook_url(url, allow_loopback=_loopback())
    try:
        addresses = await _addresses(host, port)
    except OSError:
        raise RuleError("hote_introuvable", host=host) from None
    if not addresses or any(rules.refused_address(a, allow_loopback=_loopback()) for a in addresses):
        raise RuleError("adresse_refusee")
    return urlsplit(url).scheme, addresses[0], port


async def check_resolves_public(url: str) -> None:
    try:
        await checked_address(url)
    except RuleError as error:
        raise error.with_status(422, field="url") from None


# From events to deliveries ------------------------------------------------------------------------

def _structures(topics: tuple[str, ...], prefix: str) -> list[int]:
    return [int(topic.split(":", 1)[1]) for topic in topics if topic.startswith(prefix) and topic.split(":", 1)[1].isdigit()]


def deliveries_for(event: Event) -> list[tuple[str, list[int], dict[str, Any]]]:
    """(webhook event, structures concerned, payload) for one live event; [] for events webhooks ignore."""
    at = datetime.now(UTC).isoformat()
    if event.type == "invoice.status" and event.data.get("id"):
        structures = _structures(event.topics, "structure:")
        if not structures:
            return []
        status = str(event.data.get("status"))
        invoice = {"idFacture": event.data["id"], "numeroFacture": event.data.get("number"), "statut": status}
        # status_topics lists the supplier's structure first; the others see only what reached them.
        try:
            visible = InvoiceStatus(status).visible_to_recipient
        except ValueError:
            visible = False
        found = [(str(WebhookEvent.INVOICE_STATUS), [structures[0]] + (structures[1:] if visible else []),
                  {"evenement": str(WebhookEvent.INVOICE_STATUS), "date": at, "facture": invoice})]
        if status == InvoiceStatus.MISE_A_DISPOSITION and len(structures) > 1:
            found.append((str(WebhookEvent.INVOICE_RECEIVED), structures[1:],
                          {"evenement": str(WebhookEvent.INVOICE_RECEIVED), "date": at, "facture": invoice}))
        return found
    if event.type == "lot.status":
        state = rules.FLOW_STATES.get(str(event.data.get("status")))
        structure_id = event.data.get("structure_id")
        if state in rules.FINAL_FLOW_STATES and structure_id:
            return [(str(WebhookEvent.FLOW_INTEGRATED), [int(structure_id)], {
                "evenement": str(WebhookEvent.FLOW_INTEGRATED), "date": at,
                "flux": {"numeroFluxDepot": event.data.get("number"), "etatCourantFlux": state,
                         "nbFacturesIntegrees": event.data.get("integrated_count"),
                         "nbFacturesRejetees": event.data.get("rejected_count")}})]
    return []


def _event_key(event: Event, webhook_event: str) -> str:
    # The same move heard twice is one event; its payload's date is left out of the key.
    return hashlib.sha256(json.dumps([webhook_event, event.type, event.data], sort_keys=True, default=str).encode()).hexdigest()


async def record(event: Event) -> list[int]:
    """The deliveries this event creates (the ids this process recorded and must enqueue)."""
    created = []
    for webhook_event, structure_ids, payload in deliveries_for(event):
        endpoints = await store.endpoints_listening(structure_ids, webhook_event)
        key = _event_key(event, webhook_event)
        for endpoint in endpoints:
            body = json.dumps({**payload, "idStructure": endpoint.structure_id}, ensure_ascii=False)
            async with transaction():
                delivery_id = await store.add_delivery(endpoint_id=endpoint.id, event_key=key, event_type=webhook_event, body=body)
            if delivery_id is not None:
                created.append(delivery_id)
    for delivery_id in created:
        await enqueue_delivery(delivery_id, attempt=0)
    return created


async def enqueue_delivery(delivery_id: int, *, attempt: int, delay: int = 0, replay: bool = False) -> None:
    arq = await get_arq()
    suffix = f"r{time.time_ns()}" if replay else str(attempt)
    await arq.enqueue_job("deliver_webhook", delivery_id, _job_id=f"webhook:{delivery_id}:{suffix}",
                          _defer_by=delay or None)


GROUP = "webhooks"
BLOCK_MS = 1000
BATCH = 100
STALE_MS = 60_000  # an entry read this long ago and never acknowledged belongs to a dead worker
CLAIM_EVERY = 30.0


class Dispatcher:
    """The worker's reader of the durable event stream, in the `webhooks` consumer group."""

    def __init__(self) -> None:
        self._task: asyncio.Task | None = None
        self._ready = asyncio.Event()
        self._redis: Redis | None = None
        self.consumer = f"dispatcher-{uuid.uuid4().hex[:12]}"

    async def start(self) -> None:
        self._redis = Redis.from_url(get_settings().redis_url)
        try:
            # From the stream's start the first time ever: the events published before any worker ran count too.
            await self._redis.xgroup_create(DURABLE_STREAM, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")
        await asyncio.wait_for(self._ready.wait(), 10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._redis is not None:
            with contextlib.suppress(Exception):
                # Forget this consumer's name unless entries are pending with it (deleting it would drop them).
                if not await self._redis.xpending_range(DURABLE_STREAM, GROUP, min="-", max="+", count=1,
                                                        consumername=self.consumer):
                    await self._redis.xgroup_delconsumer(DURABLE_STREAM, GROUP, self.consumer)
            await self._redis.aclose()

    async def _handle(self, entries: list) -> bool:
        """Record then acknowledge each entry; False when one failed (left pending, read again later)."""
        assert self._redis is not None
        for entry_id, fields in entries:
            try:
                await record(Event.from_json(fields[b"event"]))
            except Exception:  # the database away, say: the entry stays pending and is read again
                log.exception("webhook dispatcher: recording an event failed")
                return False
            await self._redis.xack(DURABLE_STREAM, GROUP, entry_id)
        return True

    async def _claim_stale(self) -> None:
        assert self._redis is not None
        start = "0-0"
        while True:
            answer = await self._redis.xautoclaim(DURABLE_STREAM, GROUP, self.consumer, STALE_MS, start_id=start, count=BATCH)
            start, entries = answer[0], answer[1]
            await self._handle([e for e in entries if e[1]])
            if start in (b"0-0", "0-0"):
                return

    async def _run(self) -> None:
        assert self._redis is not None
        own_pending = True  # first what this consumer read and did not finish (after a failure)
        claimed_at = 0.0
        self._ready.set()
        while True:
            try:
                if time.monotonic() - claimed_at > CLAIM_EVERY:
                    claimed_at = time.monotonic()
                    await self._claim_stale()
                answer = await self._redis.xreadgroup(GROUP, self.consumer, {DURABLE_STREAM: "0" if own_pending else ">"},
                                                      count=BATCH, block=None if own_pending else BLOCK_MS)
                entries = answer[0][1] if answer else []
                if own_pending and not entries:
                    own_pending = False
                    continue
                if not await self._handle(entries):
                    own_pending = True
                    await asyncio.sleep(1)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis restarting: keep trying, the stream keeps the events meanwhile
                log.exception("webhook dispatcher: reading the event stream failed; retrying")
                own_pending = True
                await asyncio.sleep(1)


_dispatcher: Dispatcher | None = None


async def start_dispatcher(ctx: dict | None = None) -> None:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = Dispatcher()
        await _dispatcher.start()


async def stop_dispatcher(ctx: dict | None = None) -> None:
    global _dispatcher
    if _dispatcher is not None:
        await _dispatcher.stop()
        _dispatcher = None


# Sending -----------------------------------------------------------------------------------------

async def _post(url: str, address: str, body: str, headers: dict[str, str]) -> httpx.Response:
    parts = urlsplit(url)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    literal = f"[{address}]" if ":" in address else address
    target = parts._replace(netloc=f"{literal}:{parts.port or (443 if parts.scheme == 'https' else 80)}").geturl()
    # The connection goes to the address checked; TLS still verifies the certificate for the URL's host name.
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
        request = client.build_request("POST", target, content=body.encode(), headers={**headers, "Host": host_header},
                                       extensions=extensions)
        return await client.send(request)


async def deliver(delivery_id: int) -> str:
    """One attempt; schedules the next after a failure (RETRY_DELAYS), gives up after the last."""
    found = await store.delivery(delivery_id)
    if found is None or found.status == "LIVRE":
        return "absente_ou_livree"
    endpoint = await store.endpoint(found.endpoint_id)
    if endpoint is None or not endpoint.active:
        async with transaction():
            if (current := await store.delivery(found.id, lock=True)) is not None:
                await store.record_attempt(current, {"at": datetime.now(UTC).isoformat(), "error": "webhook désactivé"}, "ECHEC")
        return "ECHEC"
    timestamp = int(time.time())
    attempt: dict[str, Any] = {"at": datetime.now(UTC).isoformat()}
    retry = True
    try:
        _, address, _ = await checked_address(endpoint.url)
        response = await _post(endpoint.url, address, found.body, {
            "Content-Type": "application/json", "User-Agent": "Chorale-Webhooks/1",
            rules.TIMESTAMP_HEADER: str(timestamp), rules.SIGNATURE_HEADER: rules.signature(endpoint.secret, timestamp, found.body),
            "X-Chorale-Event": found.event_type, "X-Chorale-Delivery": str(found.id)})
        attempt.update(status=response.status_code, response=response.text[:MAX_RESPONSE_KEPT])
        ok = 200 <= response.status_code < 300
    except RuleError as error:  # the address became private: never retried
        attempt["error"], ok, retry = error.message_fr, False, False
    except (httpx.HTTPError, OSError) as error:
        attempt["error"], ok = f"{type(error).__name__}: {error}"[:MAX_RESPONSE_KEPT], False
    # Counted on the row as it is now, locked: a replay and a scheduled retry may have run meanwhile, and
    # counting from the copy read before the call would lose one of the two attempts.
    async with transaction():
        current = await store.delivery(found.id, lock=True)
        if current is None:
            return "absente_ou_livree"
        delay = None if ok or not retry or current.status == "LIVRE" else rules.retry_delay(current.attempt_count + 1)
        status = "LIVRE" if ok or current.status == "LIVRE" else ("EN_ATTENTE" if delay is not None else "ECHEC")
        await store.record_attempt(current, attempt, status)
    if delay is not None:
        await enqueue_delivery(found.id, attempt=current.attempt_count + 1, delay=delay)
    return status
