"""Piccolo configuration: one engine from DATABASE_URL, one Piccolo app per domain slice."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

from backend.infra.db import SERVER_SETTINGS
from backend.settings import get_settings

DB = PostgresEngine(
    config={"dsn": get_settings().database_url, "server_settings": SERVER_SETTINGS},
    log_queries=False,
)

# Order matters only for readability: each app declares its migration dependencies.
APP_REGISTRY = AppRegistry(apps=[*__import__("backend.domain", fromlist=["PICCOLO_APPS"]).PICCOLO_APPS])
