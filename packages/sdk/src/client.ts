import type {
  CatalogEntry,
  CreateRunBody,
  CreateWorkflowBody,
  Issue,
  Problem,
  Run,
  RunEvent,
  RunSummary,
  Workflow,
  WorkflowVersion,
} from '@weft/workflow-schema';

/** An API error answer (RFC 9457), with the issues the server named. */
export class WeftApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
  }

  get issues(): Issue[] {
    return this.problem.errors ?? [];
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Typed client of the Weft REST API (v1). */
export class WeftClient {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, '');
    this.doFetch = opts.fetch ?? fetch;
  }

  createWorkflow(body: CreateWorkflowBody) {
    return this.call<Workflow>('POST', '/v1/workflows', body);
  }
  listWorkflows(q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<Workflow>>('GET', `/v1/workflows${query(q)}`);
  }
  getWorkflow(id: string) {
    return this.call<Workflow>('GET', `/v1/workflows/${id}`);
  }
  saveDraft(id: string, definition: unknown) {
    return this.call<Workflow & { problems: Issue[] }>('PUT', `/v1/workflows/${id}/draft`, { definition });
  }
  publishVersion(id: string, definition?: unknown) {
    return this.call<WorkflowVersion>('POST', `/v1/workflows/${id}/versions`, definition === undefined ? {} : { definition });
  }
  listVersions(id: string) {
    return this.call<Page<WorkflowVersion>>('GET', `/v1/workflows/${id}/versions`);
  }
  getVersion(id: string) {
    return this.call<WorkflowVersion>('GET', `/v1/workflow-versions/${id}`);
  }
  validate(definition: unknown) {
    return this.call<{ valid: boolean; errors: Issue[] }>('POST', '/v1/workflows/validate', { definition });
  }
  createRun(body: CreateRunBody, opts: { idempotencyKey?: string } = {}) {
    return this.call<{ runId: string }>('POST', '/v1/runs', body, opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {});
  }
  getRun(id: string) {
    return this.call<Run>('GET', `/v1/runs/${id}`);
  }
  listRuns(q: { limit?: number; cursor?: string; workflowId?: string; status?: string } = {}) {
    return this.call<Page<RunSummary>>('GET', `/v1/runs${query(q)}`);
  }
  runEvents(id: string) {
    return this.call<{ items: RunEvent[] }>('GET', `/v1/runs/${id}/events`);
  }
  catalogNodes() {
    return this.call<CatalogEntry[]>('GET', '/v1/catalog/nodes');
  }

  /** Polls until the run ends (succeeded, failed or cancelled) or the timeout passes. */
  async waitForRun(id: string, { timeoutMs = 30_000, intervalMs = 50 } = {}): Promise<Run> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(id);
      if (TERMINAL.has(run.status)) return run;
      if (Date.now() > until) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** Low-level call; answers the parsed JSON or throws WeftApiError. */
  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.doFetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.opts.apiKey}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new WeftApiError(res.status, data as Problem);
    return data as T;
  }
}

function query(q: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
