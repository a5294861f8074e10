from piccolo.conf.apps import AppConfig

from backend.domain.structures.tables import (Attachment, BillingMandate, OrganisationEvent, Profile, Service, Structure,
                                             StructureFile, Workspace)
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="structures",
    migrations_folder_path=str(ROOT / "migrations" / "structures"),
    table_classes=[Structure, Service, Attachment, Profile, Workspace, BillingMandate, OrganisationEvent, StructureFile],
    migration_dependencies=["backend.domain.accounts.piccolo_app"],
)
