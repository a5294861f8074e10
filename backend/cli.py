"""Command line: `python -m backend.cli run|serve|worker|migrate|seed|servers`.

`run` is what `just run` calls: embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set,
migrations, demonstration data, then the app and its worker — each restarted if it dies, the embedded
Redis too —, all stopped cleanly on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
import warnings
from contextlib import ExitStack

from backend.settings import ROOT

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _data_dir():
    from pathlib import Path

    return Path(os.environ.get("CHORALE_DATA_DIR", ROOT / ".data"))


def start_embedded_servers(stack: ExitStack, database: str = "chorale"):
    """Fill DATABASE_URL / REDIS_URL from embedded servers where they are not set; returns the embedded Redis
    (None when REDIS_URL was set)."""
    from backend.infra.db import ensure_database
    from backend.infra.embedded import EmbeddedRedis, start_postgres

    if not os.environ.get("DATABASE_URL"):
        server = start_postgres(_data_dir() / "pg")
        url = server.get_uri(database)
        asyncio.run(ensure_database(url))
        os.environ["DATABASE_URL"] = url
        print(f"  PostgreSQL (embarqué) : {_data_dir() / 'pg'}", flush=True)
    if not os.environ.get("REDIS_URL"):
        redis = EmbeddedRedis(_data_dir() / "redis").start(persistent=True)
        stack.callback(redis.stop)
        os.environ["REDIS_URL"] = redis.url
        print(f"  Redis (embarqué)      : {redis.socket}", flush=True)
        return redis
    return None


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def cmd_migrate(_: argparse.Namespace) -> None:
    from backend.infra.db import LegacySchema, ensure_database, migrate

    async def main() -> None:
        await ensure_database(os.environ["DATABASE_URL"])
        await migrate()

    try:
        asyncio.run(main())
    except LegacySchema as error:
        sys.exit(str(error))


def cmd_seed(_: argparse.Namespace) -> None:
    from backend.domain.seed import seed_demo
    from backend.infra.database import close_pool

    async def main() -> list[str]:
        try:
            return await seed_demo()
        finally:
            await close_pool()

    done = asyncio.run(main())
    print(f"  Données de démonstration : {', '.join(done) if done else 'déjà présentes'}", flush=True)


def cmd_worker(_: argparse.Namespace) -> None:
    from backend.worker import run

    run()


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run("backend.asgi:app", host=args.host, port=args.port, log_level="warning", ws="websockets-sansio",
                workers=args.workers, proxy_headers=True)


class Supervised:
    """A child process `run` keeps alive: restarted when it dies, after a pause that doubles while it keeps
    dying quickly (1 s up to 30 s) and starts over once it has run for a minute."""

    FIRST_PAUSE, LONGEST_PAUSE, STEADY_AFTER = 1.0, 30.0, 60.0

    def __init__(self, name: str, start, process: subprocess.Popen | None = None, *, interrupt_on_stop: bool = True) -> None:
        self.name, self._start, self.interrupt_on_stop = name, start, interrupt_on_stop
        self.process = process or start()
        self.started = time.monotonic()
        self.pause = self.FIRST_PAUSE
        self.restart_at: float | None = None

    def watch(self) -> None:
        """Called every half second: notices a death, restarts when its pause is over."""
        now = time.monotonic()
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started >= self.STEADY_AFTER:
                self.pause = self.FIRST_PAUSE
            self.restart_at = now + self.pause
            print(f"  {self.name} s'est arrêté (code {code}) ; redémarrage dans {self.pause:.0f} s.", flush=True)
            self.pause = min(self.pause * 2, self.LONGEST_PAUSE)
        elif now >= self.restart_at:
            try:
                self.process, self.started, self.restart_at = self._start(), now, None
            except Exception as error:  # e.g. the embedded Redis refusing to start: try again later
                self.restart_at = now + self.pause
                print(f"  {self.name} n'a pas redémarré ({error}) ; nouvel essai dans {self.pause:.0f} s.", flush=True)
                self.pause = min(self.pause * 2, self.LONGEST_PAUSE)
                return
            print(f"  {self.name} redémarré (pid {self.process.pid}).", flush=True)


def cmd_run(args: argparse.Namespace) -> None:
    from backend.domain.seed import DEMO_LOGINS, DEMO_PASSWORD
    from backend.settings import get_settings

    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    children: list[Supervised] = []

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    from backend.infra.embedded import port_is_free

    if not port_is_free(host, int(port)):
        sys.exit(f"Le port {port} est déjà utilisé sur {host} : arrêtez l'autre serveur ou choisissez PORT=…")
    with ExitStack() as stack:
        print("Chorale — démarrage", flush=True)
        embedded_postgres = not os.environ.get("DATABASE_URL")
        redis = start_embedded_servers(stack)
        subprocess.run(_python("backend.cli", "migrate"), check=True)
        if get_settings().demo:
            subprocess.run(_python("backend.cli", "seed"), check=True)
            # The demonstration's sign-ups are activated from the development mailbox (children inherit it).
            os.environ.setdefault("CHORALE_DEV_MAILBOX", "1")
        if embedded_postgres:
            # Migrations ran as the owner; the app and the worker connect as a role that owns nothing
            # (backend.infra.db.APP_ROLE). With DATABASE_URL set, the operator chose the app's role.
            from backend.infra.db import as_role

            os.environ["DATABASE_URL"] = as_role(os.environ["DATABASE_URL"])
        try:
            if redis is not None:  # the embedded Redis is a child like the others (its data kept on disk)
                children.append(Supervised("Redis (embarqué)", lambda: redis.start(persistent=True).process, redis.process,
                                           interrupt_on_stop=False))
            children.append(Supervised("Le worker", lambda: subprocess.Popen(_python("backend.cli", "worker"))))
            children.append(Supervised("L'application", lambda: subprocess.Popen(
                _python("backend.cli", "serve", "--host", host, "--port", port))))
            print(f"\n  Chorale est prêt : http://{host}:{port}\n", flush=True)
            if get_settings().demo:
                print("  Comptes de démonstration (mot de passe « %s ») :" % DEMO_PASSWORD, flush=True)
                for login in DEMO_LOGINS:
                    print(f"    - {login}", flush=True)
            print("\n  Ctrl-C pour arrêter.\n", flush=True)
            while True:
                time.sleep(0.5)
                for child in children:
                    child.watch()
        except KeyboardInterrupt:
            print("\nArrêt de Chorale…", flush=True)
        finally:
            # the app and the worker first (they finish with Redis), the embedded Redis by the exit stack
            workers = [child.process for child in children if child.interrupt_on_stop]
            for process in workers:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 15
            for process in workers:
                try:
                    process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    # the embedded PostgreSQL stops when this, its last user, exits (pgserver's atexit hook)


def cmd_servers(_: argparse.Namespace) -> None:
    """Start the embedded servers and print their URLs until Ctrl-C (to run several instances by hand)."""
    with ExitStack() as stack:
        start_embedded_servers(stack)
        print(f"export DATABASE_URL='{os.environ['DATABASE_URL']}'\nexport REDIS_URL='{os.environ['REDIS_URL']}'", flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


def cmd_import_sirene(args: argparse.Namespace) -> None:
    from pathlib import Path

    from backend.domain.directory.stock import import_stock
    from backend.infra.database import close_pool

    async def main() -> int:
        try:
            return await import_stock(Path(args.file))
        finally:
            await close_pool()

    print(f"  {asyncio.run(main()):,} lignes importées", flush=True)


def cmd_generate_directory(args: argparse.Namespace) -> None:
    from pathlib import Path

    from backend.domain.directory.stock import generate_records, load_generated, write_csv
    from backend.infra.database import close_pool

    if args.csv:
        count = write_csv(generate_records(args.count, seed=args.seed), Path(args.csv))
        print(f"  {count:,} établissements écrits dans {args.csv}", flush=True)
        return

    async def main() -> int:
        try:
            return await load_generated(args.count, seed=args.seed)
        finally:
            await close_pool()

    print(f"  {asyncio.run(main()):,} établissements chargés", flush=True)


def cmd_purge_invoices(args: argparse.Namespace) -> None:
    from backend.domain.dashboard.services import purge_invoices
    from backend.infra.database import close_pool, open_pool

    async def main() -> int:
        await open_pool()  # the purge's units of work take their connections from it (with the JSON codecs)
        try:
            return await purge_invoices(args.older_than_years, dry_run=args.dry_run)
        finally:
            await close_pool()

    count = asyncio.run(main())
    print(f"  {count} facture(s) {'à supprimer' if args.dry_run else 'supprimée(s)'}", flush=True)


def cmd_grant_support(args: argparse.Namespace, value: bool = True) -> None:
    async def main() -> str | None:
        from backend.domain.accounts.store import set_support
        from backend.infra.database import close_pool

        try:
            return await set_support(args.email, value)
        finally:
            await close_pool()

    if not os.environ.get("DATABASE_URL"):
        with ExitStack() as stack:
            start_embedded_servers(stack)
            done = asyncio.run(main())
    else:
        done = asyncio.run(main())
    if done is None:
        sys.exit(f"Aucun compte pour {args.email}")
    print(f"  {done} : rôle support {'accordé' if value else 'retiré'}", flush=True)


def cmd_create_api_client(args: argparse.Namespace) -> None:
    """A technical account and an API client for the structures named by SIRET; the secrets printed once."""
    from backend.domain.connections.services import provision
    from backend.infra.database import close_pool, open_pool
    from backend.infra.errors import ChoraleError

    async def main() -> dict:
        await open_pool()
        try:
            return await provision(args.siret, args.scopes.split(","), name=args.name)
        finally:
            await close_pool()

    try:
        if not os.environ.get("DATABASE_URL"):
            with ExitStack() as stack:
                start_embedded_servers(stack)
                made = asyncio.run(main())
        else:
            made = asyncio.run(main())
    except ChoraleError as error:
        sys.exit(error.message_fr)
    account, client = made["technical_account"], made["api_client"]
    print(f"  client_id      : {client['client_id']}\n  client_secret  : {client['client_secret']}\n"
          f"  compte technique (cpro-account) : {account['login']} / {account['password']}\n"
          f"  portées        : {' '.join(client['scopes'])}\n  (les secrets ne seront plus affichés)", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="chorale")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="embedded servers (if needed) + migrate + seed + app + worker")
    serve = sub.add_parser("serve", help="the app only (uses DATABASE_URL / REDIS_URL)")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=1)
    sub.add_parser("worker", help="an ARQ worker (uses DATABASE_URL / REDIS_URL)")
    sub.add_parser("migrate", help="apply Piccolo migrations")
    sub.add_parser("seed", help="demonstration data on an empty database")
    sub.add_parser("servers", help="start the embedded PostgreSQL and Redis and print their URLs")
    importer = sub.add_parser("import-sirene", help="import (or resume) a SIRENE stock file of establishments (CSV)")
    importer.add_argument("file")
    generator = sub.add_parser("generate-directory", help="a synthetic register of N establishments")
    generator.add_argument("--count", type=int, default=10_000)
    generator.add_argument("--seed", type=int, default=2026)
    generator.add_argument("--csv", help="write a stock-format CSV instead of loading the database")
    purge = sub.add_parser("purge-invoices", help="delete invoices past the archive period (ten years)")
    purge.add_argument("--older-than-years", type=int, default=10)
    purge.add_argument("--dry-run", action="store_true")
    api_client = sub.add_parser("create-api-client", help="a technical account and an API client (PISTE) for structures")
    api_client.add_argument("--siret", action="append", required=True, help="a structure's SIRET (repeat for several)")
    api_client.add_argument("--scopes", default="deposit,search,process,directory")
    api_client.add_argument("--name", default="")
    for name in ("grant-support", "revoke-support"):
        sub.add_parser(name, help=f"{name.split('-')[0]} the support role (not self-service)").add_argument("email")
    commands = {"run": cmd_run, "serve": cmd_serve, "worker": cmd_worker, "migrate": cmd_migrate,
                "seed": cmd_seed, "servers": cmd_servers, "import-sirene": cmd_import_sirene,
                "generate-directory": cmd_generate_directory, "purge-invoices": cmd_purge_invoices,
                "grant-support": cmd_grant_support, "create-api-client": cmd_create_api_client, "revoke-support": lambda a: cmd_grant_support(a, False)}
    args = parser.parse_args(argv)
    commands[args.command](args)


if __name__ == "__main__":
    main()
