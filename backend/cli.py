"""Command line: `python -m backend.cli run|serve|worker|migrate|seed|servers`.

`run` is what `just run` calls: embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set,
migrations, demonstration data, then the app and its worker, all stopped cleanly on Ctrl-C.
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


def start_embedded_servers(stack: ExitStack, database: str = "chorale") -> None:
    """Fill DATABASE_URL / REDIS_URL from embedded servers where they are not set."""
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


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def cmd_migrate(_: argparse.Namespace) -> None:
    from backend.infra.db import ensure_database, migrate

    async def main() -> None:
        await ensure_database(os.environ["DATABASE_URL"])
        await migrate()

    asyncio.run(main())


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
    from arq.worker import run_worker

    from backend.worker import WorkerSettings

    run_worker(WorkerSettings)  # type: ignore[arg-type]


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run("backend.asgi:app", host=args.host, port=args.port, log_level="warning", ws="websockets-sansio",
                workers=args.workers, proxy_headers=True)


def cmd_run(args: argparse.Namespace) -> None:
    from backend.domain.seed import DEMO_LOGINS, DEMO_PASSWORD
    from backend.settings import get_settings

    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    children: list[subprocess.Popen] = []

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    from backend.infra.embedded import port_is_free

    if not port_is_free(host, int(port)):
        sys.exit(f"Le port {port} est déjà utilisé sur {host} : arrêtez l'autre serveur ou choisissez PORT=…")
    with ExitStack() as stack:
        print("Chorale — démarrage", flush=True)
        start_embedded_servers(stack)
        subprocess.run(_python("backend.cli", "migrate"), check=True)
        if get_settings().demo:
            subprocess.run(_python("backend.cli", "seed"), check=True)
        try:
            children.append(subprocess.Popen(_python("backend.cli", "worker")))
            children.append(subprocess.Popen(_python("backend.cli", "serve", "--host", host, "--port", port)))
            print(f"\n  Chorale est prêt : http://{host}:{port}\n", flush=True)
            if get_settings().demo:
                print("  Comptes de démonstration (mot de passe « %s ») :" % DEMO_PASSWORD, flush=True)
                for login in DEMO_LOGINS:
                    print(f"    - {login}", flush=True)
            print("\n  Ctrl-C pour arrêter.\n", flush=True)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            print("Un processus s'est arrêté ; arrêt de Chorale.", flush=True)
        except KeyboardInterrupt:
            print("\nArrêt de Chorale…", flush=True)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
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
    from backend.infra.database import close_pool

    async def main() -> int:
        try:
            return await purge_invoices(args.older_than_years, dry_run=args.dry_run)
        finally:
            await close_pool()

    count = asyncio.run(main())
    print(f"  {count} facture(s) {'à supprimer' if args.dry_run else 'supprimée(s)'}", flush=True)


def cmd_grant_support(args: argparse.Namespace, value: bool = True) -> None:
    import asyncpg

    async def main() -> str | None:
        conn = await asyncpg.connect(os.environ["DATABASE_URL"])
        try:
            return await conn.fetchval("UPDATE user_account SET is_support = $2 WHERE email = lower($1) RETURNING email",
                                       args.email, value)
        finally:
            await conn.close()

    if not os.environ.get("DATABASE_URL"):
        with ExitStack() as stack:
            start_embedded_servers(stack)
            done = asyncio.run(main())
    else:
        done = asyncio.run(main())
    if done is None:
        sys.exit(f"Aucun compte pour {args.email}")
    print(f"  {done} : rôle support {'accordé' if value else 'retiré'}", flush=True)


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
    for name in ("grant-support", "revoke-support"):
        sub.add_parser(name, help=f"{name.split('-')[0]} the support role (not self-service)").add_argument("email")
    commands = {"run": cmd_run, "serve": cmd_serve, "worker": cmd_worker, "migrate": cmd_migrate,
                "seed": cmd_seed, "servers": cmd_servers, "import-sirene": cmd_import_sirene,
                "generate-directory": cmd_generate_directory, "purge-invoices": cmd_purge_invoices,
                "grant-support": cmd_grant_support, "revoke-support": lambda a: cmd_grant_support(a, False)}
    args = parser.parse_args(argv)
    commands[args.command](args)


if __name__ == "__main__":
    main()
