from piccolo.conf.apps import AppConfig

from backend.domain.connections.tables import ApiClient, ConnectionJournal, IdempotentCall, TechnicalAccount, WebhookDelivery, WebhookEndpoint
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="connections",
    migrations_folder_path=str(ROOT / "migrations" / "connections"),
    table_classes=[TechnicalAccount, ApiClient, ConnectionJournal, WebhookEndpoint, WebhookDelivery, IdempotentCall],
    migration_dependencies=["backend.domain.accounts.piccolo_app", "backend.domain.structures.piccolo_app"],
)
