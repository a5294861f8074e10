from piccolo.conf.apps import AppConfig

from backend.domain.system.tables import OutboxEvent
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="system",
    migrations_folder_path=str(ROOT / "migrations" / "system"),
    table_classes=[OutboxEvent],
    migration_dependencies=[],
)
