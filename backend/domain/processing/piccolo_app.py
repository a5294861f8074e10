from piccolo.conf.apps import AppConfig

from backend.domain.processing.tables import Notification
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="processing",
    migrations_folder_path=str(ROOT / "migrations" / "processing"),
    table_classes=[Notification],
    migration_dependencies=["backend.domain.accounts.piccolo_app", "backend.domain.invoices.piccolo_app"],
)
