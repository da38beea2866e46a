-- Rare error texts under row-level security (GET /v1/runs?q=, bench row runs10m).
--
-- As weft_app the runs table's policy (org_id = weft_current_org()) comes first, and `ILIKE` is not
-- leakproof, so Postgres never makes `error_text ILIKE …` an index condition of the trigram GIN
-- (runs_error_text_trgm_idx): a rare text walked every errored run of the org. This function runs
-- the one trigram lookup as its owner (the migrating role, which owns the tables and which RLS does
-- not bind), with the org read from the SAME setting the policy reads, never from a parameter:
--   - org: weft_current_org() (the transaction's `weft.org_id`); unset or empty: no rows.
--   - reads: runs.id only (top-level runs with an error whose text matches), returns ids, nothing else.
--   - at most `max_rows` ids, in no particular order; the caller asks for one more than it wants
--     and treats a full answer as "too many" (packages/run-store/src/run-search.ts).
-- The pattern is a bound parameter of a dynamic statement (planned with its value, so the trigram
-- selectivity is known and the GIN is chosen), never spliced into the SQL text.
CREATE OR REPLACE FUNCTION weft_error_text_matches(pattern text, from_id uuid, before_id uuid, max_rows integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $fn$
DECLARE
  org uuid := public.weft_current_org();
BEGIN
  IF org IS NULL OR pattern IS NULL OR max_rows IS NULL OR max_rows < 1 THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE
    'SELECT id FROM public.runs
      WHERE org_id = $1 AND error_text IS NOT NULL AND kind = ''run'' AND error_text ILIKE $2
        AND ($3::uuid IS NULL OR id >= $3) AND ($4::uuid IS NULL OR id < $4)
      LIMIT $5'
    USING org, pattern, from_id, before_id, max_rows;
END
$fn$;

REVOKE ALL ON FUNCTION weft_error_text_matches(text, uuid, uuid, integer) FROM PUBLIC;
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['weft_app', 'weft_maintenance'] LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
    EXECUTE format('GRANT EXECUTE ON FUNCTION weft_error_text_matches(text, uuid, uuid, integer) TO %I', r);
  END LOOP;
END $$;
