"""The processing slice's table: in-app notifications (the bell).

The source of truth of its schema; migrations/processing is generated from it, plus its partial and
descending indexes in the slice's raw-SQL migration. The digest preference is user_account.notify_digest
(accounts).
"""

from piccolo.columns import BigSerial, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")
INVOICE = LazyTableReference("Invoice", module_path="backend.domain.invoices.tables")


class Notification(Table, tablename="notification"):
    """An in-app notification (the bell), written with the status change that caused it."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(USER, null=False, on_delete=OnDelete.cascade,
                         help_text="Whose bell; gone with the account")
    invoice_id = ForeignKey(INVOICE, null=True, on_delete=OnDelete.cascade,
                            help_text="The invoice it is about; gone with it")
    kind = Varchar(length=30, default=None, help_text="What happened (the status change's action)")
    message = Text(default=None)
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None, help_text="Null while unread")
    digested_at = Timestamptz(null=True, default=None, help_text="When a daily digest carried it")
