import { createHash } from 'node:crypto';
import { newId } from '@weft/db';
import { publishOutbox, rows } from '@weft/run-store';
import { jobFor, JOBS } from '@weft/queue';
import type { CreateRunBody, WorkflowDefinition } from '@weft/workflow-schema';
import { principalRef, type Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { validateInputs } from '../workflows/input-schema';
import { storableJson } from './value-limits';
import { VersionCache, type CachedVersion } from './version-cache';

/** Inserts the run, its first event and its outbox row, checking the version guess; one named (prepared) statement. */
const INSERT_RUN = `WITH v AS (
       SELECT v.workflow_id, v.id FROM workflow_versions v
       WHERE v.id = $3::uuid AND v.org_id = $2::uuid
         AND ($11::uuid IS NULL OR EXISTS (SELECT 1 FROM workflows w WHERE w.id = $11 AND w.org_id = $2 AND w.latest_version = v.version))),
     run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, idempotency_key, request_hash, last_seq, created_by)
       SELECT $1::uuid, $2::uuid, v.workflow_id, v.id, 'queued', $4::jsonb, $5::text, $6::text, 1, $12::text FROM v
       ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id, org_id),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, data)
       SELECT $7::uuid, org_id, id, 1, 'run.created', jsonb_build_object('workflowVersionId', $3::text) FROM run),
     ob AS (
       INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
       SELECT org_id, $8::text, $9::text, $10::text, jsonb_build_object('runId', id) FROM run
       RETURNING id)
     SELECT (SELECT id FROM ob) AS outbox_id, (SELECT id FROM run) AS id, EXISTS (SELECT 1 FROM v) AS matched`;

/**
 * Accepts a run: validates inputs, then in ONE statement inserts the run (queued), its first
 * event and the outbox row that starts it. The job is published only after that commits. A
 * repeated idempotency key returns the first run, or 409 if the request differs.
 *
 * Hot path (issue 5): with the version in `versions`, that statement is the only round trip to
 * Postgres; it also checks that the cached version is still the one the request names (the
 * latest published, for a workflowId), and inserts nothing otherwise, so a stale guess is
 * corrected by reading the version and trying once more. Inputs the guess refuses are checked
 * again against the version read from Postgres: a newer version may accept them.
 */
export async function createRun(res: Resources, caller: Principal, body: CreateRunBody, headerKey?: string, versions?: VersionCache) {
  const orgId = caller.orgId;
  const inputs = body.inputs ?? {};
  const inputsJson = storableJson(res, inputs, 'body.inputs', 'the run inputs');
  const idempotencyKey = body.idempotencyKey ?? headerKey;
  if (body.idempotencyKey && headerKey && body.idempotencyKey !== headerKey) {
    throw new AppError('validation_failed', 'the Idempotency-Key header and body.idempotencyKey differ', [
      { path: 'body.idempotencyKey', code: 'mismatch', message: 'differs from the Idempotency-Key header' },
    ]);
  }
  const requestHash = idempotencyKey ? hashRequest(body) : null;
  if (idempotencyKey) {
    const existing = await findByKey(res, orgId, idempotencyKey, requestHash!);
    if (existing) return { runId: existing, replayed: true };
  }
  const cacheKey = VersionCache.key(orgId, body);
  let version = versions?.get(cacheKey);
  for (let attempt = 0; ; attempt++) {
    // A cached version is a guess until the insert below confirms it is still the latest.
    const guessed = version !== undefined;
    if (!version) {
      version = await resolveVersion(res, orgId, body);
      versions?.set(cacheKey, version);
    }
    const refusal = inputsRefusal(version, inputs);
    if (refusal && guessed && !body.workflowVersionId) {
      // Refuse inputs only against the version the run would actually use: a newer one may accept them.
      versions?.delete(cacheKey);
      version = undefined;
      continue;
    }
    if (refusal) throw refusal;

    const runId = newId();
    const job = jobFor.startRun(runId);
    const { rows: [inserted] } = await res.db.pool.query<{ id: string | null; outbox_id: string | null; matched: boolean }>({
      name: 'weft_gateway_create_run',
      text: INSERT_RUN,
      values: [
        runId, orgId, version.id, inputsJson, idempotencyKey ?? null, requestHash, newId(),
        JOBS[job.name].queue, job.name, job.jobId, body.workflowVersionId ? null : version.workflow_id, principalRef(caller),
      ],
    });
    if (!inserted?.matched) {
      // The cached guess is stale (a newer version was published): read the truth, once.
      versions?.delete(cacheKey);
      version = undefined;
      if (attempt === 0) continue;
      throw new AppError('conflict', 'the workflow version changed while the run was created; retry');
    }
    if (!inserted.id || !inserted.outbox_id) {
      // Lost a race with the same idempotency key.
      const existing = await findByKey(res, orgId, idempotencyKey!, requestHash!);
      if (existing) return { runId: existing, replayed: true };
      throw new AppError('conflict', 'the run could not be created; retry');
    }
    // The run and its outbox row are committed: the answer does not wait for Redis. The job is
    // published right after (or by the outbox relay if this process dies first: nothing is lost).
    void publishOutbox(res.db.pool, res.queues, [inserted.outbox_id], [job], res.logger, res.outboxDeletes);
    return { runId, replayed: false };
  }
}

/** Why the version's trigger refuses these inputs (or cannot check them), or undefined when they pass. */
export function inputsRefusal(version: CachedVersion, inputs: Record<string, unknown>): AppError | undefined {
  const at = version.definition.nodes.findIndex((n) => n.type === 'trigger');
  const trigger = version.definition.nodes[at];
  if (!trigger) return undefined;
  try {
    const issues = validateInputs(version.id, trigger.config.inputSchema, inputs, { path: `nodes[${at}].config.inputSchema`, nodeId: trigger.id });
    if (!issues.length) return undefined;
    return new AppError('invalid_inputs', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues.map((i) => ({ ...i, nodeId: trigger.id })));
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
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

export async function resolveVersion(res: Resources, orgId: string, body: CreateRunBody): Promise<CachedVersion> {
  if (body.workflowVersionId) {
    const [v] = await rows<CachedVersion>(res.db.pool, 'SELECT id, workflow_id, definition FROM workflow_versions WHERE id = $1 AND org_id = $2', [body.workflowVersionId, orgId]);
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
