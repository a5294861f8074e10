from piccolo.conf.apps import AppConfig

from backend.domain.notifications.tables import MailOutbox
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=str(ROOT / "migrations" / "notifications"),
    table_classes=[MailOutbox],
    migration_dependencies=["backend.domain.accounts.piccolo_app"],
)
