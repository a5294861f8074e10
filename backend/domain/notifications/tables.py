"""The notifications slice's table: the mail outbox.

The source of truth of its schema; migrations/notifications is generated from it, plus its partial and
descending indexes in the slice's raw-SQL migration.
"""

from piccolo.columns import BigSerial, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")


class MailOutbox(Table, tablename="mail_outbox"):
    """E-mails to send, written in the same transaction as what caused them; a worker job sends them."""

    id = BigSerial(primary_key=True)
    to_address = Varchar(length=254, default=None)
    subject = Varchar(length=300, default=None)
    body_text = Text(default=None)
    body_html = Text(null=True, default=None)
    kind = Varchar(length=40, default=None, help_text="Which mail (activation, status change…)")
    user_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null,
                         help_text="The account it is for, when there is one; the mail stays when it goes")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None, help_text="Null until sent")
    attempts = Integer(default=0, help_text="Failed sends so far")
    last_error = Text(null=True, default=None)
