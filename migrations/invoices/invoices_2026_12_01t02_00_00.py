from backend.infra.migrations import sql_migration

ID = "2026-12-01T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "monthly roll-up of the per-day invoice counters, kept by a trigger in the same transaction"

# The dashboard counts two years: from the per-day counters that is up to 730 rows per structure and
# status (7,300 for a supplier busy every day, ~60 ms under load); from whole months plus the days of
# the first, partial month it is at most 24 + 31. The trigger keeps the roll-up equal to the sum of
# the day rows whoever writes them (counters.apply, purges, bulk loads), in the writer's transaction.
# Day rows are locked in key order by counters.apply and a month row follows its days' order, so the
# roll-up adds no new lock-order deadlock.
forwards = sql_migration("invoices", ID, DESCRIPTION, """
CREATE TABLE invoice_monthly_count (
    side CHAR(1) NOT NULL CHECK (side IN ('S', 'R')),
    structure_id BIGINT NOT NULL,
    status VARCHAR(30) NOT NULL,
    month DATE NOT NULL CHECK (extract(day FROM month) = 1),
    count INTEGER NOT NULL DEFAULT 0,
    amount_ttc NUMERIC(16, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (side, structure_id, status, month)
);

INSERT INTO invoice_monthly_count (side, structure_id, status, month, count, amount_ttc)
SELECT side, structure_id, status, date_trunc('month', day)::date, sum(count), sum(amount_ttc)
FROM invoice_daily_count GROUP BY 1, 2, 3, 4;

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
