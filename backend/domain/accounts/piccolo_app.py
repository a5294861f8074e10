from piccolo.conf.apps import AppConfig

from backend.domain.accounts.tables import AccountToken, UserAccount
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(ROOT / "migrations" / "accounts"),
    table_classes=[UserAccount, AccountToken],
    migration_dependencies=[],
)
