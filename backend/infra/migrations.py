"""Hand-written SQL migrations inside Piccolo's migration system.

Each slice's migrations are Piccolo migration modules; their bodies are explicit SQL so that indexes,
collations and constraints are exactly as designed and reviewed.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


def sql_migration(app_name: str, migration_id: str, description: str, sql: str):
    async def forwards() -> MigrationManager:
        manager = MigrationManager(migration_id=migration_id, app_name=app_name, description=description)

        async def run() -> None:
            connection = await engine_finder().get_new_connection()
            try:
                async with connection.transaction():
                    await connection.execute(sql)
            finally:
                await connection.close()

        manager.add_raw(run)
        return manager

    return forwards
