import { createHash } from 'node:crypto';
import { newId } from '@weft/db';
import { publishOutbox, rows } from '@weft/run-store';
import { jobIds, JOBS } from '@weft/queue';
import type { CreateRunBody, WorkflowDefinition } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { validateInputs } from '../workflows/input-schema';

interface VersionRow {
  id: string;
  workflow_id: string;
  definition: WorkflowDefinition;
}

/**
 * Accepts a run: validates inputs, then in ONE statement inserts the run (queued), its first
 * event and the outbox row that starts it. The job is published only after that commits. A
 * repeated idempotency key returns the first run, or 409 if the request differs.
 */
export async function createRun(res: Resources, orgId: string, body: CreateRunBody, headerKey?: string) {
  const idempotencyKey = body.idempotencyKey ?? headerKey;
  if (body.idempotencyKey && headerKey && body.idempotencyKey !== headerKey) {
    throw new AppError('validation_failed', 'the Idempotency-Key header and body.idempotencyKey differ', [
      { path: 'body.idempotencyKey', code: 'mismatch', message: 'differs from the Idempotency-Key header' },
    ]);
  }
  const requestHash = hashRequest(body);
  if (idempotencyKey) {
    const existing = await findByKey(res, orgId, idempotencyKey, requestHash);
    if (existing) return { runId: existing, replayed: true };
  }
  const version = await resolveVersion(res, orgId, body);
  const inputs = body.inputs ?? {};
  const trigger = version.definition.nodes.find((n) => n.type === 'trigger');
  const issues = validateInputs(version.id, trigger?.config.inputSchema, inputs);
  if (issues.length) {
    throw new AppError('invalid_inputs', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues.map((i) => ({ ...i, ...(trigger ? { nodeId: trigger.id } : {}) })));
  }

  const runId = newId();
  const job = { name: 'advance-run' as const, jobId: jobIds.startRun(runId), payload: { runId } };
  const inserted = await rows<{ id: string; outbox_id: string }>(
    res.db.pool,
    `WITH run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, idempotency_key, request_hash, last_seq)
       VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, 1)
       ON CONFLICT (org_id, idempotency_key) DO NOTHING
       RETURNING id, org_id),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, data)
       SELECT $8, org_id, id, 1, 'run.created', jsonb_build_object('workflowVersionId', $4::text) FROM run)
     INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
     SELECT org_id, $9, $10, $11, jsonb_build_object('runId', id) FROM run
     RETURNING id AS outbox_id, (SELECT id FROM run) AS id`,
    [runId, orgId, version.workflow_id, version.id, JSON.stringify(inputs), idempotencyKey ?? null, requestHash, newId(), JOBS['advance-run'].queue, job.name, job.jobId],
  );
  if (!inserted[0]) {
    // Lost a race with the same idempotency key.
    const existing = await findByKey(res, orgId, idempotencyKey!, requestHash);
    if (existing) return { runId: existing, replayed: true };
    throw new AppError('conflict', 'the run could not be created; retry');
  }
  await publishOutbox(res.db.pool, res.queues, [inserted[0].outbox_id], [job], res.logger);
  return { runId, replayed: false };
}

async function findByKey(res: Resources, orgId: string, key: string, requestHash: string) {
  const [row] = await rows<{ id: string; request_hash: string | null }>(
    res.db.pool,
    'SELECT id, request_hash FROM runs WHERE org_id = $1 AND idempotency_key = $2',
    [orgId, key],
  );
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new AppError('idempotency_conflict', `idempotency key "${key}" was already used for run ${row.id} with a different request`);
  }
  return row.id;
}

async function resolveVersion(res: Resources, orgId: string, body: CreateRunBody): Promise<VersionRow> {
  if (body.workflowVersionId) {
    const [v] = await rows<VersionRow>(res.db.pool, 'SELECT id, workflow_id, definition FROM workflow_versions WHERE id = $1 AND org_id = $2', [body.workflowVersionId, orgId]);
    if (!v) throw notFound('workflow version', body.workflowVersionId);
    return v;
  }
  const [w] = await rows<{ id: string; v_id: string | null; definition: WorkflowDefinition | null }>(
    res.db.pool,
    `SELECT w.id, v.id AS v_id, v.definition FROM workflows w
     LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
     WHERE w.id = $1 AND w.org_id = $2`,
    [body.workflowId, orgId],
  );
  if (!w) throw notFound('workflow', body.workflowId!);
  if (!w.v_id || !w.definition) throw new AppError('no_published_version', `workflow ${w.id} has no published version: publish one with POST /v1/workflows/${w.id}/versions`);
  return { id: w.v_id, workflow_id: w.id, definition: w.definition };
}

/** Stable hash of what the request asks for (key order does not matter). */
function hashRequest(body: CreateRunBody): string {
  const canonical = JSON.stringify(sortKeys({ workflowId: body.workflowId ?? null, workflowVersionId: body.workflowVersionId ?? null, inputs: body.inputs ?? {} }));
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
