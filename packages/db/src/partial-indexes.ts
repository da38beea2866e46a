/**
 * Indexes that are partial in the database: schema.prisma declares their columns (Prisma's
 * schema has no predicates), the migration adds the WHERE clause, and the schema test checks
 * both. Predicates as Postgres prints them in pg_indexes. Why: issue 5 (each index entry is a
 * B-tree insert and a WAL record on the hot path; rows outside the predicate cost nothing).
 */
export const PARTIAL_INDEXES: Readonly<Record<string, string>> = {
  runs_org_id_idempotency_key_key: '(idempotency_key IS NOT NULL)',
  runs_status_deadline_at_idx: "((deadline_at IS NOT NULL) AND (status = ANY (ARRAY['queued'::text, 'running'::text, 'waiting'::text])))",
  runs_parent_run_id_idx: '(parent_run_id IS NOT NULL)',
  runs_parent_step_id_status_item_index_idx: '(parent_step_id IS NOT NULL)',
  runs_org_id_trigger_type_id_idx: "(trigger_type <> 'api'::text)",
  runs_org_id_workflow_id_status_id_idx: "(status = ANY (ARRAY['failed'::text, 'cancelled'::text, 'waiting'::text]))",
  runs_trigger_id_status_idx: '(trigger_id IS NOT NULL)',
  runs_recoverable_id_idx: "((status = ANY (ARRAY['queued'::text, 'running'::text, 'waiting'::text])) OR (retry_request IS NOT NULL))",
  runs_retention_due_idx: '((finished_at IS NOT NULL) AND (data_purged_at IS NULL))',
  schedules_buffered_at_idx: '(buffered_at IS NOT NULL)',
  run_steps_run_id_applied_idx: '(applied = false)',
  run_steps_status_available_at_idx: "(status = ANY (ARRAY['queued'::text, 'waiting'::text]))",
  run_steps_status_deadline_at_idx: "(status = 'running'::text)",
  alert_incidents_rule_id_key: "(status = 'open'::text)",
  alert_deliveries_pending_idx: "(status = 'pending'::text)",
  audit_logs_secret_used_idx: "(action = 'secret.used'::text)",
};

/**
 * Indexes the schema test does not derive from schema.prisma (another method than B-tree): their
 * full definition as pg_indexes prints it. The schema test checks each exists exactly so.
 */
export const RAW_INDEXES: Readonly<Record<string, string>> = {
  templates_search_idx: 'CREATE INDEX templates_search_idx ON public.templates USING gin (search)',
  runs_error_text_trgm_idx:
    "CREATE INDEX runs_error_text_trgm_idx ON public.runs USING gin (org_id, error_text gin_trgm_ops) WHERE ((error_text IS NOT NULL) AND (kind = 'run'::text))",
  runs_error_text_id_idx:
    "CREATE INDEX runs_error_text_id_idx ON public.runs USING btree (org_id, id) INCLUDE (error_text, workflow_id, status, trigger_type, test) WHERE ((error_text IS NOT NULL) AND (kind = 'run'::text))",
};

/**
 * Columns Prisma's schema cannot declare (generated columns), as `table.column` → type: the
 * schema test checks them apart. Prisma never writes them; raw SQL reads them.
 */
export const GENERATED_COLUMNS: Readonly<Record<string, string>> = {
  'templates.search': 'tsvector',
  'runs.error_text': 'text',
};
