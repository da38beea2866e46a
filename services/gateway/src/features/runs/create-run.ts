import { createHash } from 'node:crypto';
import { markHop } from '@weft/queue';
import { createRun as insertRun, findRunByIdempotencyKey, publishOutbox, rows } from '@weft/run-store';
import type { CreateRunBody, WorkflowDefinition } from '@weft/workflow-schema';
import { principalRef, type Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { assertRunQuota, runStarted } from '../usage/run-quota';
import { triggerInputIssuesOrThrow } from '../workflows/input-schema';
import { prepareDraftRun } from './draft-run';
import { storableJson } from './value-limits';
import { VersionCache, type CachedVersion } from './version-cache';

/**
 * Accepts a run: validates inputs, then in ONE statement (`createRun` of the run store) inserts
 * the run (queued), its first event and the outbox row that starts it. The job is published only
 * after that commits. A repeated idempotency key returns the first run, or 409 if the request differs.
 *
 * Hot path (issue 5): with the version in `versions`, that statement is the only round trip to
 * Postgres; it also checks that the cached version is still the one the request names (the
 * latest published, for a workflowId), and inserts nothing otherwise, so a stale guess is
 * corrected by reading the version and trying once more. Inputs the guess refuses are checked
 * again against the version read from Postgres: a newer version may accept them.
 *
 * `draft: true` runs a snapshot of the draft as a test run (see draft-run.ts). A disabled
 * workflow's runs are refused (409 workflow_disabled), test runs excepted; a deleted one is not found.
 */
export async function createRun(res: Resources, caller: Principal, body: CreateRunBody, headerKey?: string, cache?: VersionCache, traceParent: string | null = null) {
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
  // The plan's quotas refuse new runs only (402/429); a replayed key above is no new run.
  await assertRunQuota(res, orgId);
  // A test run of the draft runs a snapshot of it, never cached (each draft run snapshots anew).
  const draft = body.draft ? await prepareDraftRun(res, caller, body) : undefined;
  const versions = draft ? undefined : cache;
  const cacheKey = VersionCache.key(orgId, body);
  let version = draft?.version ?? versions?.get(cacheKey);
  for (let attempt = 0; ; attempt++) {
    // A cached version is a guess until the insert below confirms it is still the latest.
    const guessed = version !== undefined && !draft;
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

    const created = await insertRun(res.db.pool, {
      orgId, versionId: version.id, inputsJson, idempotencyKey: idempotencyKey ?? null, requestHash,
      latestOf: body.workflowVersionId || draft ? null : version.workflow_id, createdBy: principalRef(caller),
      test: !!draft, pinnedOutputsJson: draft?.pinnedOutputsJson ?? null, traceParent,
    });
    if (created.outcome === 'deleted') throw notFound('workflow', version.workflow_id);
    if (created.outcome === 'disabled') {
      throw new AppError('workflow_disabled', `workflow ${version.workflow_id} is disabled: its triggers start no run. Enable it with PATCH /v1/workflows/${version.workflow_id} { "enabled": true } (a test run of the draft still works)`);
    }
    if (created.outcome === 'version-changed') {
      // The cached guess is stale (a newer version was published): read the truth, once.
      versions?.delete(cacheKey);
      version = undefined;
      if (attempt === 0) continue;
      throw new AppError('conflict', 'the workflow version changed while the run was created; retry');
    }
    if (created.outcome === 'key-taken') {
      // Lost a race with the same idempotency key.
      const existing = await findByKey(res, orgId, idempotencyKey!, requestHash!);
      if (existing) return { runId: existing, replayed: true };
      throw new AppError('conflict', 'the run could not be created; retry');
    }
    // The run and its outbox row are committed: the answer does not wait for Redis. The job is
    // published right after (or by the outbox relay if this process dies first: nothing is lost).
    markHop('gw.committed', created.runId, '');
    void publishOutbox(res.db.pool, res.queues, created.outbox.ids, created.outbox.jobs, res.logger, res.outboxDeletes);
    runStarted(res, orgId);
    return { runId: created.runId, replayed: false };
  }
}

/** Why the version's trigger refuses these inputs (or cannot check them), or undefined when they pass. */
export function inputsRefusal(version: CachedVersion, inputs: Record<string, unknown>): AppError | undefined {
  try {
    const issues = triggerInputIssuesOrThrow(version.id, version.definition, inputs);
    if (!issues.length) return undefined;
    return new AppError('invalid_inputs', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

async function findByKey(res: Resources, orgId: string, key: string, requestHash: string) {
  const row = await findRunByIdempotencyKey(res.db.pool, orgId, key);
  if (!row) return undefined;
  if (row.requestHash !== requestHash) {
    throw new AppError('idempotency_conflict', `idempotency key "${key}" was already used for run ${row.id} with a different request`);
  }
  return row.id;
}

export async function resolveVersion(res: Resources, orgId: string, body: CreateRunBody): Promise<CachedVersion> {
  if (body.workflowVersionId) {
    // A draft snapshot (version null) is no version: only its own test run ran it.
    const [v] = await rows<CachedVersion>(res.db.pool, 'SELECT id, workflow_id, definition FROM workflow_versions WHERE id = $1 AND org_id = $2 AND version IS NOT NULL', [body.workflowVersionId, orgId]);
    if (!v) throw notFound('workflow version', body.workflowVersionId);
    return v;
  }
  const [w] = await rows<{ id: string; v_id: string | null; definition: WorkflowDefinition | null }>(
    res.db.pool,
    `SELECT w.id, v.id AS v_id, v.definition FROM workflows w
     LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
     WHERE w.id = $1 AND w.org_id = $2 AND w.deleted_at IS NULL`,
    [body.workflowId, orgId],
  );
  if (!w) throw notFound('workflow', body.workflowId!);
  if (!w.v_id || !w.definition) throw new AppError('no_published_version', `workflow ${w.id} has no published version: publish one with POST /v1/workflows/${w.id}/versions`);
  return { id: w.v_id, workflow_id: w.id, definition: w.definition };
}

/** Stable hash of what the request asks for (key order does not matter). */
function hashRequest(body: CreateRunBody): string {
  const canonical = JSON.stringify(
    sortKeys({ workflowId: body.workflowId ?? null, workflowVersionId: body.workflowVersionId ?? null, inputs: body.inputs ?? {}, ...(body.draft ? { draft: true, pinFrom: body.pinFrom ?? null } : {}) }),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
