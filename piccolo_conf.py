"""Piccolo configuration: one engine from DATABASE_URL, one Piccolo app per domain slice.

The table classes (backend/domain/<slice>/tables.py) are the schema. To change it: edit the tables, then
`PICCOLO_CONF=piccolo_conf .venv/bin/piccolo migrations new <app> --auto`, review the generated file;
what Piccolo cannot express (checks, multi-column, partial or expression indexes, collations, triggers)
goes in a raw-SQL migration (backend.infra.migrations.sql_migration), one reason per statement.
tests/api/schema/test_schema_drift.py fails until the migrations build exactly what the tables describe.
"""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

from backend.domain import PICCOLO_APPS
from backend.infra.db import SERVER_SETTINGS
from backend.settings import get_settings

DB = PostgresEngine(
    config={"dsn": get_settings().database_url, "server_settings": SERVER_SETTINGS},
    log_queries=False,
)

# Each app declares its migration dependencies; run_forwards("all") runs the apps in that order.
APP_REGISTRY = AppRegistry(apps=PICCOLO_APPS)
