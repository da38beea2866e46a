import { AsyncLocalStorage } from 'node:async_hooks';
import { CryptoError, decryptSecretText, secretVersionAad, type Keyring } from '@weft/crypto';
import { newId } from '@weft/db';
import { referencedSecretNames, templateSecretUses, type SecretUse } from '@weft/engine';
import { SecretMasker, registerActiveSecrets } from '@weft/logger';
import type { Pool } from 'pg';
import { StepFailure } from '../errors';

/**
 * The secrets one step attempt resolved: their values (for the node's context only), a masker
 * for everything the step keeps (output, error, progress, usage), and `release`, which stops
 * masking them in log lines once the step's work has settled.
 */
export interface StepSecrets {
  values: Record<string, string> | undefined;
  masker: SecretMasker;
  mask<T>(value: T): T;
  release(): void;
}

export const NO_SECRETS: StepSecrets = {
  values: undefined,
  masker: new SecretMasker([]),
  mask: (v) => v,
  release: () => undefined,
};

/** The ids of a step attempt that resolves credentials (its org, and what the audit log names). */
export interface StepIds {
  org_id: string;
  run_id: string;
  id: string;
  node_id: string;
}

interface Row {
  id: string;
  name: string;
  version: number;
  ciphertext: Buffer;
  nonce: Buffer;
  wrapped_key: Buffer;
  kek_id: string;
}

/** What a node's config asks of secrets: the bare names it reads, and the uses refused. */
interface SecretPlan {
  names: string[];
  refused: SecretUse[];
}

// A node's config is the same object for every step of a cached graph version: parse it once.
const plans = new WeakMap<object, SecretPlan>();

function planOf(config: Record<string, unknown>): SecretPlan {
  let plan = plans.get(config);
  if (!plan) {
    const uses = templateSecretUses(config);
    plan = { names: referencedSecretNames(config), refused: uses.filter((u) => u.problem !== undefined) };
    plans.set(config, plan);
  }
  return plan;
}

/** The secret names a node's config templates read (`{{ secrets.NAME }}`). */
export function secretNamesOf(config: Record<string, unknown>): string[] {
  return planOf(config).names;
}

/**
 * Refuses a config that uses a secret in any shape but the bare `secrets.NAME` (publish refuses
 * it too; this catches versions published before that rule). Decided on the config's text,
 * before anything is decrypted, so the error cannot hold a value.
 */
export function refuseReshapedSecrets(config: Record<string, unknown>): void {
  const [use, ...more] = planOf(config).refused;
  if (!use) return;
  const where = use.path ? ` at ${use.path}` : '';
  throw new StepFailure(use.rule ?? 'invalid_secret_reference', `{{ ${use.expression} }}${where}: ${use.problem}${more.length ? ` (and ${more.length} more)` : ''}`, false, {
    path: use.path,
    rule: use.rule ?? 'invalid_secret_reference',
  });
}

/**
 * Loads and decrypts the secrets a node names, and records each use in audit_logs (actor: the
 * run). A config that reshapes a secret fails the step first (not retryable). Only the current version of a live (not deleted) secret of the step's org resolves.
 * Failures name the secret, never a value.
 */
export async function resolveStepSecrets(deps: { pool: Pool; keyring?: Keyring | undefined }, step: StepIds, config: Record<string, unknown>): Promise<StepSecrets> {
  refuseReshapedSecrets(config);
  const names = secretNamesOf(config);
  if (names.length === 0) return NO_SECRETS;
  if (!deps.keyring) {
    throw new StepFailure('secrets_unavailable', `this step uses secrets (${names.join(', ')}) but the executor has no key-encryption keys (WEFT_KEKS)`, false);
  }
  const { rows } = await deps.pool.query<Row>(
    `SELECT s.id, s.name, v.version, v.ciphertext, v.nonce, v.wrapped_key, v.kek_id
     FROM secrets s JOIN secret_versions v ON v.secret_id = s.id AND v.version = s.current_version AND v.org_id = s.org_id
     WHERE s.org_id = $1 AND s.name = ANY($2::text[]) AND s.deleted_at IS NULL`,
    [step.org_id, names],
  );
  const missing = names.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length) {
    const list = missing.map((n) => `"${n}"`).join(', ');
    throw new StepFailure('secret_not_found', `secret${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'do' : 'does'} not exist in this org`, false, { secrets: missing });
  }
  const values: Record<string, string> = {};
  for (const r of rows) {
    try {
      values[r.name] = decryptSecretText(deps.keyring, { ciphertext: r.ciphertext, nonce: r.nonce, wrappedKey: r.wrapped_key, kekId: r.kek_id }, secretVersionAad(step.org_id, r.id, r.version));
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      // An unknown KEK is a configuration gap of this executor (another one may hold it): retry.
      throw new StepFailure('secret_unreadable', `secret "${r.name}" could not be decrypted (${err.code})`, err.code === 'unknown_kek', { secret: r.name, kekId: r.kek_id });
    }
  }
  await deps.pool.query(
    `INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
     SELECT u.id, $1, 'run', $2, 'secret.used', 'secret', u.secret_id,
            jsonb_build_object('runId', $2::text, 'stepId', $3::text, 'nodeId', $4::text, 'name', u.name, 'version', u.version)
     FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::int[]) AS u(id, secret_id, name, version)`,
    [step.org_id, step.run_id, step.id, step.node_id, rows.map(() => newId()), rows.map((r) => r.id), rows.map((r) => r.name), rows.map((r) => r.version)],
  );
  const masker = new SecretMasker(Object.values(values));
  return { values, masker, mask: (v) => masker.mask(v), release: registerActiveSecrets(Object.values(values)) };
}

/**
 * The step's secrets plus more values to mask (a connection's access token): masked wherever the
 * secrets are, released with them. The node's `{{ secrets }}` context stays as it was.
 */
export function withMoreSecrets(secrets: StepSecrets, more: readonly string[]): StepSecrets {
  if (more.length === 0) return secrets;
  const masker = new SecretMasker([...secrets.masker.secrets, ...more]);
  const releaseMore = registerActiveSecrets(more);
  return {
    values: secrets.values,
    masker,
    mask: (v) => masker.mask(v),
    release: () => {
      secrets.release();
      releaseMore();
    },
  };
}

const storage = new AsyncLocalStorage<SecretMasker>();

/** Runs a step's processor with its secrets known to the HTTP client (response masking, redirect checks). */
export function runWithSecrets<T>(secrets: StepSecrets, fn: () => Promise<T>): Promise<T> {
  return secrets.masker.empty ? fn() : storage.run(secrets.masker, fn);
}

/** The masker of the step whose processor is running here, if it resolved secrets. */
export const currentStepSecrets = (): SecretMasker | undefined => storage.getStore();
