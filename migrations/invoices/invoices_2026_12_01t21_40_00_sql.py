from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = ("what the invoices tables need and Piccolo cannot express: checks, multi-column, partial and "
               "descending indexes, the counters' keys, and the trigger keeping the monthly roll-up")

# The dashboard counts two years: from the per-day counters that is up to 730 rows per structure and
# status; from whole months plus the days of the first, partial month it is at most 24 + 31. The
# trigger keeps the roll-up equal to the sum of the day rows whoever writes them (counters, purges,
# bulk loads), in the writer's transaction. Day rows are locked in key order by the counters' writer
# and a month row follows its days' order, so the roll-up adds no new lock-order deadlock.
forwards = sql_migration("invoices", ID, DESCRIPTION, """
-- Piccolo's choices are not enforced by the database: these checks are.
ALTER TABLE invoice ADD CONSTRAINT invoice_kind_check CHECK (kind IN ('FACTURE', 'AVOIR'));
ALTER TABLE invoice ADD CONSTRAINT invoice_source_check CHECK (source IN ('PDF', 'SAISIE', 'DUPLICATION', 'LOT'));
ALTER TABLE invoice_file ADD CONSTRAINT invoice_file_role_check
    CHECK (role IN ('principal', 'piece_jointe', 'facturx', 'attestation'));
ALTER TABLE invoice_file ADD CONSTRAINT invoice_file_extraction_status_check
    CHECK (extraction_status IN ('attente', 'en_cours', 'pret', 'echec'));
ALTER TABLE invoice_daily_count ADD CONSTRAINT invoice_daily_count_side_check CHECK (side IN ('S', 'R'));
ALTER TABLE invoice_monthly_count ADD CONSTRAINT invoice_monthly_count_side_check CHECK (side IN ('S', 'R'));
-- A month row is keyed by the month's first day.
ALTER TABLE invoice_monthly_count ADD CONSTRAINT invoice_monthly_count_month_check CHECK (extract(day FROM month) = 1);

-- One number per supplier once deposited; drafts and abandoned forms may repeat it: a partial unique index.
CREATE UNIQUE INDEX invoice_number_per_supplier ON invoice (supplier_structure_id, number_norm)
    WHERE number_norm IS NOT NULL AND status NOT IN ('BROUILLON', 'PROVISOIRE');
-- The lists' pages by structure, status and date are ordered index scans: multi-column, descending, partial.
CREATE INDEX invoice_supplier_list ON invoice (supplier_structure_id, status, deposited_at DESC, id DESC);
CREATE INDEX invoice_supplier_recent ON invoice (supplier_structure_id, created_at DESC, id DESC);
CREATE INDEX invoice_recipient_list ON invoice (recipient_structure_id, status, deposited_at DESC, id DESC)
    WHERE recipient_structure_id IS NOT NULL;
-- The dashboard's columns and invoice-date searches order by coalesce(deposited_at, created_at): expression indexes.
CREATE INDEX invoice_supplier_by_date ON invoice (supplier_structure_id, (coalesce(deposited_at, created_at)) DESC, id DESC);
CREATE INDEX invoice_recipient_by_date ON invoice (recipient_structure_id, (coalesce(deposited_at, created_at)) DESC, id DESC)
    WHERE recipient_structure_id IS NOT NULL;
CREATE INDEX invoice_supplier_status_date ON invoice (supplier_structure_id, status, (coalesce(deposited_at, created_at)) DESC, id DESC);
CREATE INDEX invoice_recipient_status_date ON invoice (recipient_structure_id, status, (coalesce(deposited_at, created_at)) DESC, id DESC)
    WHERE recipient_structure_id IS NOT NULL;
-- The validators' lists (contract holder, project manager): partial, most invoices have neither.
CREATE INDEX invoice_holder ON invoice (holder_structure_id, status) WHERE holder_structure_id IS NOT NULL;
CREATE INDEX invoice_project_manager ON invoice (project_manager_structure_id, status)
    WHERE project_manager_structure_id IS NOT NULL;

-- A line's position is unique within its invoice: Piccolo has no multi-column unique.
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_invoice_id_position_key UNIQUE (invoice_id, position);
-- An invoice's files by role; uploads not yet tied to an invoice, and extractions to resume, by age (partial).
CREATE INDEX invoice_file_invoice ON invoice_file (invoice_id, role);
CREATE INDEX invoice_file_orphans ON invoice_file (created_at) WHERE invoice_id IS NULL;
CREATE INDEX invoice_file_pending_extraction ON invoice_file (created_at) WHERE extraction_status IN ('attente', 'en_cours');
-- An invoice's history in order.
CREATE INDEX invoice_status_history_invoice ON invoice_status_history (invoice_id, at);

-- The counters' keys (their former primary keys): the ON CONFLICT target of every upsert.
ALTER TABLE invoice_daily_count ADD CONSTRAINT invoice_daily_count_key UNIQUE (side, structure_id, status, day);
ALTER TABLE invoice_monthly_count ADD CONSTRAINT invoice_monthly_count_key UNIQUE (side, structure_id, status, month);

-- The monthly roll-up follows the day rows in the writer's transaction: a trigger.
CREATE FUNCTION invoice_monthly_count_add(p_side CHAR(1), p_structure BIGINT, p_status VARCHAR, p_day DATE,
                                          p_count INTEGER, p_amount NUMERIC) RETURNS void AS $$
    INSERT INTO invoice_monthly_count (side, structure_id, status, month, count, amount_ttc)
    VALUES (p_side, p_structure, p_status, date_trunc('month', p_day)::date, p_count, p_amount)
    ON CONFLICT (side, structure_id, status, month) DO UPDATE
    SET count = invoice_monthly_count.count + EXCLUDED.count,
        amount_ttc = invoice_monthly_count.amount_ttc + EXCLUDED.amount_ttc;
$$ LANGUAGE sql;

CREATE FUNCTION invoice_monthly_count_follow() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.side, OLD.structure_id, OLD.status, date_trunc('month', OLD.day))
                          = (NEW.side, NEW.structure_id, NEW.status, date_trunc('month', NEW.day)) THEN
        IF NEW.count <> OLD.count OR NEW.amount_ttc <> OLD.amount_ttc THEN
            PERFORM invoice_monthly_count_add(NEW.side, NEW.structure_id, NEW.status, NEW.day,
                                              NEW.count - OLD.count, NEW.amount_ttc - OLD.amount_ttc);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM invoice_monthly_count_add(OLD.side, OLD.structure_id, OLD.status, OLD.day, -OLD.count, -OLD.amount_ttc);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM invoice_monthly_count_add(NEW.side, NEW.structure_id, NEW.status, NEW.day, NEW.count, NEW.amount_ttc);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoice_monthly_count_follow AFTER INSERT OR UPDATE OR DELETE ON invoice_daily_count
    FOR EACH ROW EXECUTE FUNCTION invoice_monthly_count_follow();
""")
