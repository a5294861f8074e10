"""The invoices slice's store: the only code that reads or writes the invoice tables.

Every other module — this slice's services, other slices, controllers, jobs, screens — goes through
these functions (or through `invoices.unit_of_work` for a change to an invoice), never SQL. Functions
take no connection: Piccolo's queries join the transaction open in the current task
(`backend.infra.database.transaction()`, the unit of work, or a `connection()` block).

- `invoices`: the `invoice` table — the typed `Invoice` row; get, get for update (`FOR UPDATE`),
  insert, update of columns, delete.
- `history`: `invoice_status_history` — one row per status move (and the CREATE row of a creation).
- `counters`: `invoice_daily_count` — the per-day counters, moved by deltas (the monthly roll-up
  follows by trigger).
- `files`: `invoice_file` — an invoice's files and the uploads not yet tied to one.
- `listing`: reads for lists and dashboards — counts from the per-day and monthly counters, filtered
  lists with keyset pages, searches, export rows (hot-path statements kept raw; see its docstring).
"""
