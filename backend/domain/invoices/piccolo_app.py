from piccolo.conf.apps import AppConfig

from backend.domain.invoices.tables import (Invoice, InvoiceDailyCount, InvoiceFile, InvoiceLine, InvoiceMonthlyCount,
                                           InvoiceStatusHistory, InvoiceVat)
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="invoices",
    migrations_folder_path=str(ROOT / "migrations" / "invoices"),
    table_classes=[Invoice, InvoiceLine, InvoiceVat, InvoiceFile, InvoiceStatusHistory, InvoiceDailyCount,
                   InvoiceMonthlyCount],
    migration_dependencies=["backend.domain.accounts.piccolo_app", "backend.domain.structures.piccolo_app"],
)
