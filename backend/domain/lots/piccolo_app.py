from piccolo.conf.apps import AppConfig

from backend.domain.lots.tables import Lot, LotEntry
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="lots",
    migrations_folder_path=str(ROOT / "migrations" / "lots"),
    table_classes=[Lot, LotEntry],
    migration_dependencies=["backend.domain.accounts.piccolo_app", "backend.domain.structures.piccolo_app",
                            "backend.domain.invoices.piccolo_app"],
)
