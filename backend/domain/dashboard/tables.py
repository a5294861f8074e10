"""The dashboard slice's table: exports of invoice lists.

The source of truth of its schema; migrations/dashboard is generated from it, plus what Piccolo cannot
express (checks, a descending index) in the slice's raw-SQL migration. The indexes its lists use on the
invoice table belong to the invoices slice (migrations/invoices).
"""

from piccolo.columns import JSONB, BigSerial, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")


class InvoiceExport(Table, tablename="invoice_export"):
    """An export of a list or search, written by a worker job, downloadable by the user who asked."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(USER, null=False, on_delete=OnDelete.cascade,
                         help_text="Who asked; only they may download it, and it goes with their account")
    params = JSONB(default=None, help_text="The list filter, as in the URL")
    format = Varchar(length=4, default=None, help_text="xlsx | csv (checked)")
    status = Varchar(length=12, default="en_attente", help_text="en_attente | en_cours | pret | erreur (checked)")
    rows = Integer(default=0, help_text="Rows written")
    path = Text(null=True, default=None, help_text="The file, once ready")
    error = Text(null=True, default=None)
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
