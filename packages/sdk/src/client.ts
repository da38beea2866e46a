import type {
  ApprovalLinkDecision,
  ApprovalLinkView,
  DecideByLinkBody,
  WaitingApprovalItem,
  AlertChannelInput,
  AlertCondition,
  AlertDeliveryView,
  AlertIncidentView,
  AlertRuleView,
  ApiKeyView,
  CatalogEntry,
  CreateApiKeyBody,
  CreatedApiKey,
  CreateScheduleBody,
  CronPreview,
  CreateRunBody,
  CreateWorkflowBody,
  CreateInvitationBody,
  InvitationView,
  Member,
  MyInvitation,
  OrgDeletion,
  Role,
  Issue,
  IterationsAnswer,
  LiveMessage,
  Me,
  Problem,
  Run,
  RunCounts,
  RunUsage,
  RunEvent,
  RunStatus,
  RunSummary,
  Schedule,
  Secret,
  Step,
  UpdateWebhookBody,
  UpdateWorkflowBody,
  WebhookDelivery,
  WebhookTestAnswer,
  WebhookView,
  RunLog,
  Workflow,
  WorkflowDiff,
  WorkflowStats,
  WorkflowVersion,
  GalleryItem,
  GalleryQuery,
  TemplateDetail,
  Profile,
  UpdateProfileBody,
  TemplateStats,
  TemplateCheckBody,
  TemplateCheck,
  PublishTemplateBody,
  ManagedTemplate,
  ModerationBody,
  TemplateStatus,
  QueuedTemplate,
  CreateInstallationBody,
  InstallationDetail,
  UpgradeInstallationBody,
  Installation,
  UsageAnswer,
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
  /** Absolute gateway URL, or a same-origin path (e.g. the studio's `/api/weft` proxy) in a browser. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; leave it out when a proxy adds it. */
  apiKey?: string;
  fetch?: typeof fetch;
  /** WebSocket implementation for `liveRun`; defaults to the global one (browsers, Node 22+). On Node 20 pass the `ws` package's. */
  WebSocket?: new (url: string) => object;
}

/** A live run subscription (`liveRun`). */
export interface LiveRunHandle {
  close(): void;
  /** Resolves when the socket closes: 1000 after the run ended, 1006 when it could not connect (e.g. 404). */
  closed: Promise<{ code: number; reason: string }>;
}

/** The parts of a WebSocket `liveRun` uses: common to browsers, undici and `ws`. */
interface WebSocketLike {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  close(code?: number): void;
}

/** `POST /v1/runs/bulk`: the filters are those of `listRuns`. */
export interface BulkRunActionRequest {
  action: 'retry' | 'cancel';
  filter?: { workflowId?: string; status?: string; triggerType?: string; since?: string; until?: string; q?: string };
  limit?: number;
}

/** Body of `POST /v1/runs/:id/resume`. */
export interface ResumeBody {
  nodeId: string;
  decision: 'approve' | 'reject';
  payload?: unknown;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** Page size of the `all…`/`getFullRun` helpers: the API's largest. */
const PAGE = 200;

/** Typed client of the Weft REST API (v1). */
export class WeftClient {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, '');
    // Browsers refuse `fetch` called as a method of another object ("Illegal invocation").
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  createWorkflow(body: CreateWorkflowBody) {
    return this.call<Workflow>('POST', '/v1/workflows', body);
  }
  /** A page of workflows, newest first: `q` searches the name, `tag` and `enabled` filter. */
  listWorkflows(q: { limit?: number; cursor?: string; q?: string; tag?: string; enabled?: boolean } = {}) {
    const { enabled, ...rest } = q;
    return this.call<Page<Workflow>>('GET', `/v1/workflows${query({ ...rest, enabled: enabled === undefined ? undefined : String(enabled) })}`);
  }
  /** Rename, describe, tag, enable or disable. */
  updateWorkflow(id: string, body: UpdateWorkflowBody) {
    return this.call<Workflow>('PATCH', `/v1/workflows/${id}`, body);
  }
  /** Deletes (archives) the workflow; its runs are kept. */
  deleteWorkflow(id: string) {
    return this.call<void>('DELETE', `/v1/workflows/${id}`);
  }
  /** A new workflow with the same draft and tags (no versions, no triggers). */
  duplicateWorkflow(id: string, name?: string) {
    return this.call<Workflow>('POST', `/v1/workflows/${id}/duplicate`, name === undefined ? {} : { name });
  }
  /** The semantic diff between two versions (numbers) or a version and `'draft'`. */
  diffVersions(id: string, from: number | 'draft', to: number | 'draft') {
    return this.call<WorkflowDiff & { from: number | 'draft'; to: number | 'draft' }>('GET', `/v1/workflows/${id}/versions/diff${query({ from, to })}`);
  }
  /** Publishes the definition of version `version` again, as a new version. */
  rollbackVersion(id: string, version: number) {
    return this.call<WorkflowVersion>('POST', `/v1/workflows/${id}/rollback`, { version });
  }
  /** Per workflow: its last run and runs per day over `days` days (test runs left out). */
  /** The org's usage in a range of UTC days (`YYYY-MM-DD`, both included), grouped, with its plan's quotas. */
  getUsage(q: { from: string; to: string; groupBy?: 'day' | 'workflow' | 'nodeType' }) {
    return this.call<UsageAnswer>('GET', `/v1/usage${query(q)}`);
  }
  workflowStats(ids: string[], days?: number) {
    return this.call<{ items: WorkflowStats[] }>('GET', `/v1/workflows/stats${query({ ids: ids.join(','), days })}`);
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
  listVersions(id: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<WorkflowVersion>>('GET', `/v1/workflows/${id}/versions${query(q)}`);
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
  /** A run with its first steps (at most RUN_STEPS_CAP; `stepsTotal` counts them all): see `getFullRun`. */
  getRun(id: string) {
    return this.call<Run>('GET', `/v1/runs/${id}`);
  }
  /** A run with every one of its steps: `getRun`, then the steps past its cap from `GET /v1/runs/:id/steps`. */
  async getFullRun(id: string): Promise<Run> {
    const run = await this.getRun(id);
    if (run.stepsNextCursor === null) return run;
    const steps = [...run.steps, ...(await this.collect((cursor) => this.runSteps(id, { limit: PAGE, cursor }), run.stepsNextCursor))];
    return { ...run, steps, stepsTotal: steps.length, stepsNextCursor: null };
  }
  /** A page of a run's steps in creation order; `cursor`: the previous page's `nextCursor` (or the run's `stepsNextCursor`). */
  runSteps(id: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<Step>>('GET', `/v1/runs/${id}/steps${query(q)}`);
  }
  /** Every step of a run, page after page. */
  allRunSteps(id: string): Promise<Step[]> {
    return this.collect((cursor) => this.runSteps(id, { limit: PAGE, cursor }));
  }
  /** A page of top-level runs, newest first; `since` (inclusive) and `until` (exclusive) bound their creation time (ISO-8601). */
  listRuns(q: { limit?: number; cursor?: string; workflowId?: string; status?: string; triggerType?: string; since?: string; until?: string; q?: string; test?: boolean } = {}) {
    const { test, ...rest } = q;
    return this.call<Page<RunSummary>>('GET', `/v1/runs${query({ ...rest, test: test === undefined ? undefined : String(test) })}`);
  }
  /** The approvals the org's waiting runs wait on, from a page of those runs (newest first), in one call. */
  listWaitingApprovals(q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<WaitingApprovalItem>>('GET', `/v1/approvals${query(q)}`);
  }
  /** How many top-level runs of each status were created in the range (of one workflow when given). */
  countRuns(q: { workflowId?: string; since?: string; until?: string } = {}) {
    return this.call<RunCounts>('GET', `/v1/runs/counts${query(q)}`);
  }
  /** Runs created in the range (test runs among them) and their steps' execution time, counted from the runs. */
  runUsage(q: { since?: string; until?: string } = {}) {
    return this.call<RunUsage>('GET', `/v1/runs/usage${query(q)}`);
  }
  cancelRun(id: string) {
    return this.call<{ runId: string }>('POST', `/v1/runs/${id}/cancel`, {});
  }
  /** Continues a `waiting` run: approves or rejects the node that waits. */
  resumeRun(id: string, body: ResumeBody) {
    return this.call<{ runId: string }>('POST', `/v1/runs/${id}/resume`, body);
  }
  /** What an emailed approve/reject link will do (public: the token is the credential; a GET never decides). */
  getApprovalLink(token: string) {
    return this.call<ApprovalLinkView>('GET', `/v1/approval-links/${encodeURIComponent(token)}`);
  }
  /** Takes an approve/reject link's decision (once; 410 when used, expired or decided otherwise). */
  decideByApprovalLink(token: string, body: DecideByLinkBody = {}) {
    return this.call<ApprovalLinkDecision>('POST', `/v1/approval-links/${encodeURIComponent(token)}`, body);
  }
  retryRun(id: string, body: { fromNodeId?: string } = {}) {
    return this.call<{ runId: string }>('POST', `/v1/runs/${id}/retry`, body);
  }
  /** Redrives a workflow's failed (or cancelled) runs: a retry in place for each, `limit` at a time. */
  retryRuns(workflowId: string, body: { status?: 'failed' | 'cancelled'; since?: string; until?: string; limit?: number } = {}) {
    return this.call<{ workflowId: string; runIds: string[]; more: boolean }>('POST', `/v1/workflows/${workflowId}/runs/retry`, body);
  }
  /**
   * Retries (failed/cancelled) or cancels (queued/running/waiting) up to `limit` of the org's runs
   * matching the run-list filter, oldest first; call again while `more`.
   */
  bulkRunAction(body: BulkRunActionRequest) {
    return this.call<{ action: 'retry' | 'cancel'; runIds: string[]; more: boolean }>('POST', '/v1/runs/bulk', body);
  }
  /**
   * Watches a run over the `/live` WebSocket: a snapshot, then its events until it ends. The key
   * travels as `?access_token=` because browsers cannot set headers on a WebSocket.
   */
  liveRun(id: string, onMessage: (message: LiveMessage) => void): LiveRunHandle {
    const Impl = this.opts.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => object }).WebSocket;
    if (!Impl) throw new Error('no WebSocket implementation: pass ClientOptions.WebSocket (e.g. the ws package) on Node < 22');
    const base = new URL(this.baseUrl, (globalThis as { location?: { href: string } }).location?.href);
    const url = new URL(`${base.href.replace(/\/$/, '')}/v1/runs/${id}/live`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.opts.apiKey) url.searchParams.set('access_token', this.opts.apiKey);
    const socket = new Impl(url.href) as WebSocketLike;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      socket.onclose = (ev) => resolve({ code: ev.code, reason: String(ev.reason ?? '') });
    });
    socket.onerror = () => undefined; // a close event follows
    socket.onmessage = (ev) => onMessage(JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data)) as LiveMessage);
    return { close: () => socket.close(1000), closed };
  }
  /** A page of a for_each step's iterations in item order, with counts by status (`cursor`: an item index). */
  stepIterations(runId: string, stepId: string, q: { limit?: number; cursor?: string; status?: RunStatus } = {}) {
    return this.call<IterationsAnswer>('GET', `/v1/runs/${runId}/steps/${stepId}/iterations${query(q)}`);
  }
  /** A page of a run's events in seq order; `cursor`: the previous page's `nextCursor`, i.e. the seq of the last event read. */
  runEvents(id: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<RunEvent>>('GET', `/v1/runs/${id}/events${query(q)}`);
  }
  /** Every event of a run (after the seq `afterSeq`, when given), page after page. */
  allRunEvents(id: string, afterSeq?: number): Promise<RunEvent[]> {
    return this.collect((cursor) => this.runEvents(id, { limit: PAGE, cursor }), afterSeq === undefined ? undefined : String(afterSeq));
  }
  /** Creates a secret (its value is encrypted at rest and never returned). */
  createSecret(body: { name: string; value: string; description?: string }) {
    return this.call<Secret>('POST', '/v1/secrets', body);
  }
  listSecrets(q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<Secret>>('GET', `/v1/secrets${query(q)}`);
  }
  getSecret(name: string) {
    return this.call<Secret>('GET', `/v1/secrets/${encodeURIComponent(name)}`);
  }
  /** A new value becomes a new version; a description alone changes only the metadata. */
  updateSecret(name: string, body: { value?: string; description?: string }) {
    return this.call<Secret>('PUT', `/v1/secrets/${encodeURIComponent(name)}`, body);
  }
  deleteSecret(name: string) {
    return this.call<void>('DELETE', `/v1/secrets/${encodeURIComponent(name)}`);
  }
  /** Schedules the workflow's latest published version with a cron expression in a time zone. */
  createSchedule(workflowId: string, body: Partial<CreateScheduleBody> & { cron: string; timezone: string }) {
    return this.call<Schedule>('POST', `/v1/workflows/${workflowId}/schedules`, body);
  }
  listSchedules(workflowId: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<Schedule>>('GET', `/v1/workflows/${workflowId}/schedules${query(q)}`);
  }
  /** The org's schedules, newest first (of one workflow when given). */
  listOrgSchedules(q: { limit?: number; cursor?: string; workflowId?: string } = {}) {
    return this.call<Page<Schedule>>('GET', `/v1/schedules${query(q)}`);
  }
  /** The next fires of a cron expression in a time zone, before any schedule exists. */
  previewCron(q: { cron: string; timezone: string; count?: number; from?: string }) {
    return this.call<CronPreview>('GET', `/v1/schedules/preview${query(q)}`);
  }
  getSchedule(id: string) {
    return this.call<Schedule>('GET', `/v1/schedules/${id}`);
  }
  updateSchedule(id: string, body: Partial<CreateScheduleBody>) {
    return this.call<Schedule>('PATCH', `/v1/schedules/${id}`, body);
  }
  deleteSchedule(id: string) {
    return this.call<void>('DELETE', `/v1/schedules/${id}`);
  }
  /** Who the caller is: org, role, permissions (and the API key used). */
  me() {
    return this.call<Me>('GET', '/v1/me');
  }
  /** Creates an API key of the caller's org; the answer is the one time the key itself is shown. */
  createApiKey(body: CreateApiKeyBody) {
    return this.call<CreatedApiKey>('POST', '/v1/api-keys', body);
  }
  /** The org's keys that are not revoked, newest first (metadata only). */
  listApiKeys(q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<ApiKeyView>>('GET', `/v1/api-keys${query(q)}`);
  }
  /** Revokes a key: it stops working on every gateway. */
  revokeApiKey(id: string) {
    return this.call<void>('DELETE', `/v1/api-keys/${id}`);
  }
  /** The org's members with their roles. */
  listMembers() {
    return this.call<{ items: Member[] }>('GET', '/v1/members');
  }
  /** Changes a member's role (403 above the caller's own role; 409 for the last owner). */
  updateMember(userId: string, role: Role) {
    return this.call<Member>('PATCH', `/v1/members/${userId}`, { role });
  }
  removeMember(userId: string) {
    return this.call<void>('DELETE', `/v1/members/${userId}`);
  }
  /** Leaves the current org (sessions; 409 for the last owner). */
  leaveOrg() {
    return this.call<void>('DELETE', '/v1/me/membership');
  }
  createInvitation(body: CreateInvitationBody) {
    return this.call<InvitationView>('POST', '/v1/invitations', body);
  }
  listInvitations() {
    return this.call<{ items: InvitationView[] }>('GET', '/v1/invitations');
  }
  revokeInvitation(id: string) {
    return this.call<void>('DELETE', `/v1/invitations/${id}`);
  }
  /** Pending invitations to the signed-in user's email, in orgs they are not a member of yet. */
  myInvitations() {
    return this.call<{ items: MyInvitation[] }>('GET', '/v1/me/invitations');
  }
  acceptInvitation(id: string) {
    return this.call<{ orgId: string; role: Role }>('POST', `/v1/invitations/${id}/accept`);
  }
  /** Deletes the current org (owners), confirmed by its slug. */
  deleteOrg(id: string, confirm: string) {
    return this.call<OrgDeletion>('DELETE', `/v1/orgs/${id}`, { confirm });
  }
  /** A webhook on the workflow; `secret` (generated when not given) appears only in this answer. */
  createWebhook(workflowId: string, body: { verification: { scheme: WebhookView['scheme']; secret?: string; header?: string } } & Partial<Omit<WebhookView, 'scheme'>>) {
    return this.call<WebhookView & { secret?: string }>('POST', `/v1/workflows/${workflowId}/webhooks`, body);
  }
  listWebhooks(workflowId: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<WebhookView>>('GET', `/v1/workflows/${workflowId}/webhooks${query(q)}`);
  }
  /** The org's webhooks, newest first (of one workflow when given). */
  listOrgWebhooks(q: { limit?: number; cursor?: string; workflowId?: string } = {}) {
    return this.call<Page<WebhookView>>('GET', `/v1/webhooks${query(q)}`);
  }
  updateWebhook(id: string, body: UpdateWebhookBody) {
    return this.call<WebhookView>('PATCH', `/v1/webhooks/${id}`, body);
  }
  deleteWebhook(id: string) {
    return this.call<void>('DELETE', `/v1/webhooks/${id}`);
  }
  createAlert(workflowId: string, body: { name: string; condition: AlertCondition | { type: string; [k: string]: unknown }; channel: AlertChannelInput; notifyRecovery?: boolean; enabled?: boolean }) {
    return this.call<AlertRuleView & { secret?: string }>('POST', `/v1/workflows/${workflowId}/alerts`, body);
  }
  listAlerts(workflowId: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<AlertRuleView>>('GET', `/v1/workflows/${workflowId}/alerts${query(q)}`);
  }
  updateAlert(id: string, body: { name?: string; condition?: AlertCondition; channel?: AlertChannelInput; notifyRecovery?: boolean; enabled?: boolean }) {
    return this.call<AlertRuleView & { secret?: string }>('PATCH', `/v1/alerts/${id}`, body);
  }
  deleteAlert(id: string) {
    return this.call<void>('DELETE', `/v1/alerts/${id}`);
  }
  /** Sends a test message on the rule's channel (202 at once); follow it with alertDeliveries. */
  testAlert(id: string) {
    return this.call<{ deliveryId: string }>('POST', `/v1/alerts/${id}/test`);
  }
  alertDeliveries(id: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<AlertDeliveryView>>('GET', `/v1/alerts/${id}/deliveries${query(q)}`);
  }
  listAlertIncidents(q: { workflowId?: string; ruleId?: string; status?: 'open' | 'resolved'; limit?: number; cursor?: string } = {}) {
    return this.call<Page<AlertIncidentView>>('GET', `/v1/alert-incidents${query(q)}`);
  }
  listWebhookDeliveries(webhookId: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<WebhookDelivery>>('GET', `/v1/webhooks/${webhookId}/deliveries${query(q)}`);
  }
  /** A test event, signed by the server with the hook's current secret and sent through the real ingress: what it answered. */
  sendWebhookTestEvent(webhookId: string, body: { payload?: Record<string, unknown> } = {}) {
    return this.call<WebhookTestAnswer>('POST', `/v1/webhooks/${webhookId}/test`, body);
  }
  /** Starts an accepted delivery's run again (a new delivery, `replayOf` the original). */
  replayWebhookDelivery(deliveryId: string) {
    return this.call<{ runId: string; deliveryId: string }>('POST', `/v1/webhook-deliveries/${deliveryId}/replay`);
  }
  /**
   * An ended run again as a new run (trigger `retry`), with its inputs or edited ones; with
   * `fromNodeId`, replayed from that node: the outputs before it are reused, `stepOutputs` edits them.
   */
  rerunRun(runId: string, body: { inputs?: Record<string, unknown>; fromNodeId?: string; stepOutputs?: Record<string, unknown> } = {}) {
    return this.call<{ runId: string }>('POST', `/v1/runs/${runId}/rerun`, body);
  }
  /** A cursor page of a run's log lines, in the order they were said. */
  listRunLogs(runId: string, q: { limit?: number; cursor?: string } = {}) {
    return this.call<Page<RunLog>>('GET', `/v1/runs/${runId}/logs${query(q)}`);
  }
  catalogNodes() {
    return this.call<CatalogEntry[]>('GET', '/v1/catalog/nodes');
  }
  /** The public gallery (no key needed): published templates, searched, filtered, sorted. */
  listTemplates(q: Partial<Pick<GalleryQuery, 'q' | 'tag' | 'category' | 'integration' | 'sort' | 'cursor'>> & { limit?: number } = {}) {
    return this.call<Page<GalleryItem>>('GET', `/v1/templates${query(q)}`);
  }
  /** One published template by id or slug (no key needed). */
  getTemplate(idOrSlug: string) {
    return this.call<TemplateDetail>('GET', `/v1/templates/${encodeURIComponent(idOrSlug)}`);
  }
  /** A creator's public profile (no key needed). */
  getProfile(handle: string) {
    return this.call<Profile>('GET', `/v1/profiles/${encodeURIComponent(handle)}`);
  }
  /** Edits the org's creator profile. */
  updateProfile(body: UpdateProfileBody) {
    return this.call<Profile>('PUT', '/v1/profile', body);
  }
  /** The numbers of a published template (no key needed). */
  templateStats(idOrSlug: string) {
    return this.call<TemplateStats>('GET', `/v1/templates/${encodeURIComponent(idOrSlug)}/stats`);
  }
  /** Counts one page view by referral source (no key needed; nothing about the visitor is stored). */
  recordTemplateView(idOrSlug: string, source: string) {
    return this.call<void>('POST', `/v1/templates/${encodeURIComponent(idOrSlug)}/views`, { source });
  }
  /** The pre-publish checks of a workflow version, nothing stored. */
  checkTemplate(body: TemplateCheckBody) {
    return this.call<TemplateCheck>('POST', '/v1/templates/check', body);
  }
  /** Makes a draft template of a published workflow version (pre-publish checks refuse with 400). */
  publishTemplate(body: PublishTemplateBody) {
    return this.call<ManagedTemplate>('POST', '/v1/templates', body);
  }
  /** Submits the template's newest version for review. */
  submitTemplate(id: string) {
    return this.call<ManagedTemplate>('POST', `/v1/templates/${id}/submit`);
  }
  /** A moderator's action on a template. */
  moderateTemplate(id: string, body: ModerationBody) {
    return this.call<ManagedTemplate>('POST', `/v1/templates/${id}/moderation`, body);
  }
  /** The moderators' queue (403 for anyone else). */
  moderationQueue(q: { status?: TemplateStatus; limit?: number; cursor?: string } = {}) {
    return this.call<Page<QueuedTemplate>>('GET', `/v1/moderation/templates${query(q)}`);
  }
  /** A template under review, as a moderator sees it. */
  templateForReview(id: string) {
    return this.call<ManagedTemplate & { orgId: string; readme: string; category: string; definition: unknown }>('GET', `/v1/moderation/templates/${id}`);
  }
  /** Installs a published template as a new workflow of the org, each slot mapped to a secret by name. */
  installTemplate(body: CreateInstallationBody) {
    return this.call<Installation>('POST', '/v1/installations', body);
  }

  /** The org's installations, newest first; `workflowId`: the installation that made that workflow. */
  listInstallations(q: { limit?: number; cursor?: string; workflowId?: string } = {}) {
    return this.call<Page<Installation>>('GET', `/v1/installations${query(q)}`);
  }
  /** One installation, with `upgrade` (diff and merge conflicts) when a newer public template version exists. */
  getInstallation(id: string) {
    return this.call<InstallationDetail>('GET', `/v1/installations/${id}`);
  }
  /** Upgrades an installation (three-way merge); unresolved conflicts are a 409 listing their paths. */
  upgradeInstallation(id: string, body: UpgradeInstallationBody = {}) {
    return this.call<InstallationDetail>('POST', `/v1/installations/${id}/upgrade`, body);
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

  /** Reads pages from `cursor` until `nextCursor` is null and answers their items in order. */
  private async collect<T>(pageAt: (cursor: string | undefined) => Promise<Page<T>>, cursor?: string): Promise<T[]> {
    const items: T[] = [];
    for (let next: string | null | undefined = cursor; ; ) {
      const page = await pageAt(next ?? undefined);
      items.push(...page.items);
      if (page.nextCursor === null) return items;
      next = page.nextCursor;
    }
  }

  /** Low-level call; answers the parsed JSON or throws WeftApiError. */
  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.doFetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const data = parseJson(text);
    if (!res.ok) {
      const problem = isProblem(data) ? data : { type: 'about:blank', title: res.statusText || 'Request failed', status: res.status, detail: text.slice(0, 500) };
      throw new WeftApiError(res.status, problem);
    }
    if (text && data === undefined) throw new Error(`${method} ${path}: the answer is not JSON`);
    return data as T;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isProblem(data: unknown): data is Problem {
  return typeof data === 'object' && data !== null && typeof (data as Problem).title === 'string';
}

function query(q: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
