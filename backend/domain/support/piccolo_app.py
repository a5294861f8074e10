from piccolo.conf.apps import AppConfig

from backend.domain.support.tables import Impersonation, SupportJournal
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="support",
    migrations_folder_path=str(ROOT / "migrations" / "support"),
    table_classes=[Impersonation, SupportJournal],
    migration_dependencies=["backend.domain.accounts.piccolo_app"],
)
