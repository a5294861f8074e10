"""The support slice's tables: impersonation sessions and the append-only support journal.

The source of truth of their schema; migrations/support is generated from it, plus what Piccolo cannot
express in the slice's raw-SQL migration: the reason check, descending indexes, and the triggers that
refuse any update, deletion or truncation of the journal. Both are an audit trail: the accounts and
sessions they name cannot be deleted (ON DELETE RESTRICT).
"""

from piccolo.columns import BigInt, BigSerial, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")


class Impersonation(Table, tablename="impersonation"):
    """A support agent acting as a user, for a reason, for a limited time."""

    id = BigSerial(primary_key=True)
    support_user_id = ForeignKey(USER, null=False, on_delete=OnDelete.restrict)
    target_user_id = ForeignKey(USER, null=False, on_delete=OnDelete.restrict)
    reason = Text(default=None, help_text="Why, as the agent typed it; never blank (checked)")
    started_at = Timestamptz()
    expires_at = Timestamptz(default=None, help_text="The session ends by itself then")
    ended_at = Timestamptz(null=True, default=None)
    actions_enabled_at = Timestamptz(null=True, default=None, help_text="Null: read-only impersonation")
    client_ip = Text(null=True, default=None)
    # No foreign key: the sollicitations slice depends on support, never the reverse.
    sollicitation_id = BigInt(null=True, default=None, help_text="The request (sollicitation) it was started from")


class SupportJournal(Table, tablename="support_journal"):
    """Append-only: every impersonation step and every request made while impersonating."""

    id = BigSerial(primary_key=True)
    at = Timestamptz()
    support_user_id = ForeignKey(USER, null=False, on_delete=OnDelete.restrict)
    target_user_id = ForeignKey(USER, null=True, on_delete=OnDelete.restrict)
    impersonation_id = ForeignKey(Impersonation, null=True, on_delete=OnDelete.restrict)
    event = Varchar(length=30, default=None, help_text="debut, fin, requete, actions_activees, …")
    method = Varchar(length=10, null=True, default=None, help_text="HTTP method, for a request")
    path = Text(null=True, default=None)
    status_code = Integer(null=True, default=None)
    client_ip = Text(null=True, default=None)
    detail = Text(null=True, default=None)
