-- An assertion a single statement can make about its own CTEs (packages/run-store: the executor's
-- completion written with the run's transition, complete-with-transition.ts): when `ok` is false the
-- statement raises SQLSTATE WF001 with `message`, so Postgres rolls the whole statement back and
-- nothing of it is written. Plain SQL cannot raise (a constant `1/0` in a CASE is folded, and fails,
-- when the statement is planned), hence this function. It reads and writes nothing.
CREATE OR REPLACE FUNCTION weft_assert(ok boolean, message text)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
  AS $fn$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'WF001', MESSAGE = message;
  END IF;
  RETURN true;
END
$fn$;
