from piccolo.conf.apps import AppConfig

from backend.domain.dashboard.tables import InvoiceExport
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="dashboard",
    migrations_folder_path=str(ROOT / "migrations" / "dashboard"),
    table_classes=[InvoiceExport],
    migration_dependencies=["backend.domain.accounts.piccolo_app"],
)
