import type { Keyring } from '@weft/crypto';
import { rows, type Queryable } from '@weft/run-store';
import { openWebhookSecret } from '@weft/webhook-signatures';
import type { WebhookScheme, WorkflowDefinition } from '@weft/workflow-schema';
import { IngressError } from '../errors';

/** A live hook as a delivery needs it: its settings, its secrets in clear, the version it would run. */
export interface HookConfig {
  id: string;
  orgId: string;
  workflowId: string;
  scheme: WebhookScheme;
  header: string | null;
  dedupeHeader: string | null;
  mode: 'async' | 'sync';
  syncTimeoutMs: number;
  allowHeaders: string[];
  secrets: string[];
  /** The workflow's latest published version (null: none yet). */
  version: { id: string; definition: WorkflowDefinition } | null;
}

interface Row {
  id: string;
  org_id: string;
  workflow_id: string;
  scheme: WebhookScheme;
  header: string | null;
  dedupe_header: string | null;
  mode: 'async' | 'sync';
  sync_timeout_ms: number;
  inputs: { headers?: string[] };
  enabled: boolean;
  deleted: boolean;
  workflow_enabled: boolean;
  workflow_deleted: boolean;
  version_id: string | null;
  definition: WorkflowDefinition | null;
  secrets: { id: string; ciphertext: string; nonce: string; wrapped_key: string; kek_id: string }[];
}

/**
 * The hook, its secrets that verify now (the current one and rotated ones within their grace
 * period) and its workflow's latest version, in one statement. The definition is sent only when
 * this process has not cached that version yet (versions never change).
 */
const LOAD_HOOK = `SELECT h.id, h.org_id, h.workflow_id, h.scheme, h.header, h.dedupe_header, h.mode, h.sync_timeout_ms, h.inputs,
       h.enabled, h.deleted_at IS NOT NULL AS deleted, w.enabled AS workflow_enabled, w.deleted_at IS NOT NULL AS workflow_deleted, v.id AS version_id,
       CASE WHEN v.id = ANY($2::uuid[]) THEN NULL ELSE v.definition END AS definition,
       COALESCE((SELECT json_agg(json_build_object('id', s.id, 'ciphertext', encode(s.ciphertext, 'base64'), 'nonce', encode(s.nonce, 'base64'),
                  'wrapped_key', encode(s.wrapped_key, 'base64'), 'kek_id', s.kek_id))
                 FROM webhook_secrets s WHERE s.webhook_id = h.id AND s.org_id = h.org_id AND (s.expires_at IS NULL OR s.expires_at > now())), '[]') AS secrets
     FROM webhooks h
     JOIN workflows w ON w.id = h.workflow_id AND w.org_id = h.org_id
     LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version AND v.org_id = w.org_id
     WHERE h.id = $1`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Most hooks kept in the short-lived cache of live hooks (past it the cache starts over). */
const MAX_CACHED_HOOKS = 10_000;

/**
 * Loads hooks for deliveries, keeping the definitions of the versions it has seen, and each live
 * hook as loaded (settings, secrets in clear, latest version) for `cacheMs` at most: a burst of
 * deliveries to one hook costs one statement and one decryption per `cacheMs`, not one each. A
 * change (disable, delete, rotation, a newly published version) reaches deliveries within
 * `cacheMs` (at most 1 s, README "Webhooks"). Refusals (unknown, disabled, deleted) are not cached.
 */
export class HookLoader {
  private readonly definitions = new Map<string, WorkflowDefinition>();
  private readonly live = new Map<string, { hook: HookConfig; until: number }>();

  constructor(
    private readonly q: Queryable,
    private readonly keyring: Keyring | undefined,
    private readonly cacheMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live hook `id` (from the cache while it is fresh); 404 unknown or disabled, 410 deleted (or its workflow deleted), 409 its workflow disabled. */
  async load(id: string): Promise<HookConfig> {
    if (this.cacheMs <= 0) return this.read(id);
    const cached = this.live.get(id);
    const now = this.now();
    if (cached && cached.until > now) return cached.hook;
    this.live.delete(id);
    const hook = await this.read(id);
    if (this.live.size >= MAX_CACHED_HOOKS) this.live.clear();
    this.live.set(id, { hook, until: now + this.cacheMs });
    return hook;
  }

  private async read(id: string): Promise<HookConfig> {
    if (!UUID.test(id)) throw new IngressError('not_found', 'no such webhook');
    let [row] = await rows<Row>(this.q, LOAD_HOOK, [id, [...this.definitions.keys()]]);
    // The version's definition was dropped from the cache since the statement was sent: read it.
    if (row?.version_id && !row.definition && !this.definitions.has(row.version_id)) [row] = await rows<Row>(this.q, LOAD_HOOK, [id, []]);
    if (!row) throw new IngressError('not_found', 'no such webhook');
    if (row.deleted) throw new IngressError('gone', 'this webhook was deleted');
    if (row.workflow_deleted) throw new IngressError('gone', 'the workflow of this webhook was deleted');
    if (!row.enabled) throw new IngressError('not_found', 'this webhook is disabled');
    if (!row.workflow_enabled) throw new IngressError('workflow_disabled', 'the workflow of this webhook is disabled: enable it to accept deliveries (PATCH /v1/workflows/:id { enabled: true })');
    return {
      id: row.id, orgId: row.org_id, workflowId: row.workflow_id, scheme: row.scheme, header: row.header, dedupeHeader: row.dedupe_header,
      mode: row.mode, syncTimeoutMs: row.sync_timeout_ms, allowHeaders: row.inputs.headers ?? [],
      secrets: this.openSecrets(row),
      version: row.version_id ? { id: row.version_id, definition: this.definition(row.version_id, row.definition) } : null,
    };
  }

  private definition(versionId: string, sent: WorkflowDefinition | null): WorkflowDefinition {
    if (sent) {
      if (this.definitions.size >= 500) this.definitions.clear();
      this.definitions.set(versionId, sent);
      return sent;
    }
    return this.definitions.get(versionId)!;
  }

  private openSecrets(row: Row): string[] {
    if (row.scheme === 'none' || row.secrets.length === 0) return [];
    if (!this.keyring) throw new IngressError('unavailable', 'this server has no key-encryption keys (WEFT_KEKS): signed webhooks cannot be verified');
    return row.secrets.map((s) =>
      openWebhookSecret(this.keyring!, row.org_id, s.id, {
        ciphertext: Buffer.from(s.ciphertext, 'base64'), nonce: Buffer.from(s.nonce, 'base64'), wrappedKey: Buffer.from(s.wrapped_key, 'base64'), kekId: s.kek_id,
      }),
    );
  }
}
