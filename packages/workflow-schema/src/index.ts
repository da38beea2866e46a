export {
  NodeIdSchema,
  PositionSchema,
  EdgeSchema,
  NodeSchema,
  GraphSchema,
  SettingsSchema,
  PiiKindSchema,
  PiiSettingsSchema,
  WorkflowDefinitionSchema,
  JsonSchema,
} from './definition';
export type { Edge, Node, Graph, Settings, PiiKind, PiiSettings, WorkflowDefinition, Json } from './definition';
export { RetryPolicySchema } from './nodes/common';
export type { RetryPolicy } from './nodes/common';
export {
  TriggerConfigSchema,
  TransformConfigSchema,
  HttpMethodSchema,
  HttpRequestConfigSchema,
  BranchConfigSchema,
  DelayConfigSchema,
  WaitForApprovalConfigSchema,
  ApprovalAssigneesSchema,
  isApprovalAssignee,
  ApprovalNotifySchema,
  DEFAULT_APPROVAL_LINK_TTL_MS,
  MAX_APPROVAL_LINK_TTL_MS,
  SubWorkflowConfigSchema,
  FunctionConfigSchema,
  TerminateConfigSchema,
  ForEachConfigSchema,
} from './nodes/configs';
export {
  LlmCompletionConfigSchema,
  SlackMessageConfigSchema,
  GoogleSheetsAppendConfigSchema,
  SendEmailConfigSchema,
  WebhookOutConfigSchema,
} from './nodes/integrations';
export { nodeTypes, NODE_TYPES, isNodeType, BRANCHING_TYPES, ERROR_HANDLE, hasErrorHandle, catalogEntry, nodeKind, kindHas, isOfKind, typesOfKind, typesWith, hasBody, isResumable, reusesOutput, configOf } from './nodes/catalog';
export { NODE_TYPE_KINDS } from './nodes/type-kinds';
export type { KindedNodeType } from './nodes/type-kinds';
export type { NodeTypeSpec, NodeType, CatalogEntry, BranchingNodeType, HandleOf, KindOf, NodeTypeOfKind, NodeConfigs, NodeConfig } from './nodes/catalog';
export { NODE_KINDS, NODE_KIND_NAMES } from './nodes/kinds';
export type { NodeKind, KindTraits } from './nodes/kinds';
export { ErrorRunInputsSchema } from './error-workflow';
export type { ErrorRunInputs } from './error-workflow';
export { RunStatusSchema, StepStatusSchema } from './status';
export { TERMINAL_RUN_STATUSES, TERMINAL_STEP_STATUSES } from './status-sets';
export type { RunStatus, StepStatus } from './status';
export { IssueSchema, ProblemSchema, StepErrorSchema } from './errors';
export type { Issue, Problem, StepError } from './errors';
export { ExecuteStepJobSchema, AdvanceRunJobSchema, RunWakeJobSchema, StepWakeJobSchema, ChildSettledJobSchema, DeliverAlertJobSchema, NotifyApprovalJobSchema } from './jobs';
export type { ExecuteStepJob, AdvanceRunJob, RunWakeJob, StepWakeJob, ChildSettledJob, DeliverAlertJob, NotifyApprovalJob } from './jobs';
export {
  UuidParamSchema,
  ListQuerySchema,
  listOf,
  DraftSchema,
  CreateWorkflowBodySchema,
  WorkflowSchema,
  PutDraftBodySchema,
  DraftAnswerSchema,
  CreateVersionBodySchema,
  WorkflowVersionSchema,
  ValidateBodySchema,
  ValidateAnswerSchema,
  CreateRunBodySchema,
  CreateRunAnswerSchema,
  StepSchema,
  RunLogSchema,
  RunSummarySchema,
  RunSchema,
  ListRunsQuerySchema,
  RunCountsQuerySchema,
  RunCountsAnswerSchema,
  RunUsageQuerySchema,
  RunUsageAnswerSchema,
  RunEventSchema,
  RunEventsAnswerSchema,
  RunEventsQuerySchema,
  RunStepsAnswerSchema,
  RunLogsAnswerSchema,
  RUN_STEPS_CAP,
  ResumeRunBodySchema,
  RetryRunBodySchema,
  RerunBodySchema,
  BulkRetryBodySchema,
  BulkRetryAnswerSchema,
  BulkRunActionBodySchema,
  BulkRunActionAnswerSchema,
  RunActionAnswerSchema,
  LiveEventSchema,
  LiveRunSnapshotSchema,
  LiveMessageSchema,
} from './api';
export type {
  ListRunsQuery,
  CreateWorkflowBody,
  Workflow,
  WorkflowVersion,
  CreateRunBody,
  Step,
  RunSummary,
  RunCounts,
  RunUsage,
  Run,
  RunEvent,
  RunLog,
  ResumeRunBody,
  RetryRunBody,
  RerunBody,
  BulkRetryBody,
  BulkRunActionBody,
  BulkRunActionAnswer,
  LiveEvent,
  LiveMessage,
} from './api';
export {
  SECRET_NAME_PATTERN,
  SecretNameSchema,
  SecretValueSchema,
  CreateSecretBodySchema,
  UpdateSecretBodySchema,
  SecretSchema,
  SecretNameParamSchema,
  ListSecretsQuerySchema,
} from './secrets';
export type { CreateSecretBody, UpdateSecretBody, Secret } from './secrets';
export {
  CONNECTION_NAME_PATTERN,
  CONNECTION_NODE_PROVIDERS,
  CONNECTION_PROVIDERS,
  AuthorizeConnectionAnswerSchema,
  AuthorizeConnectionQuerySchema,
  ConnectionIdParamSchema,
  ConnectionNameSchema,
  ConnectionProviderSchema,
  ConnectionSchema,
  ConnectionStatusSchema,
  CreateConnectionBodySchema,
  OAuthCallbackQuerySchema,
} from './connections';
export type { Connection, ConnectionProvider, CreateConnectionBody } from './connections';
export { PERMISSIONS, ROLES, RoleSchema, ROLE_PERMISSIONS, roleCan, roleCovers, permissionsOf } from './access';
export type { Permission, Role } from './access';
export {
  ActorSchema,
  OrgSummarySchema,
  MeSchema,
  CreateApiKeyBodySchema,
  ApiKeySchema,
  CreatedApiKeySchema,
  AuditLogQuerySchema,
  AuditEntrySchema,
} from './accounts';
export type { Actor, Me, CreateApiKeyBody, ApiKeyView, CreatedApiKey, AuditLogQuery, AuditEntry } from './accounts';
export {
  CreateOrgBodySchema,
  OrgSchema,
  MemberSchema,
  MemberParamsSchema,
  UpdateMemberBodySchema,
  CreateInvitationBodySchema,
  InvitationSchema,
  MyInvitationSchema,
  DeleteOrgBodySchema,
  OrgDeletionSchema,
} from './members';
export type { CreateOrgBody, Member, CreateInvitationBody, InvitationView, MyInvitation, DeleteOrgBody, OrgDeletion } from './members';
export { TriggerTypeSchema } from './triggers';
export type { TriggerType } from './triggers';
export {
  CronExpressionSchema,
  TimezoneSchema,
  OverlapPolicySchema,
  CatchupPolicySchema,
  CreateScheduleBodySchema,
  UpdateScheduleBodySchema,
  ScheduleSchema,
  SchedulePreviewQuerySchema,
  SchedulePreviewSchema,
  CronPreviewQuerySchema,
  CronPreviewSchema,
  ListSchedulesQuerySchema,
  PreviewFireSchema,
  ScheduleFireSchema,
  SCHEDULE_NEXT_RUNS,
} from './schedules';
export type { CreateScheduleBody, UpdateScheduleBody, Schedule, CronPreview } from './schedules';
export {
  WEBHOOK_SCHEMES,
  WEBHOOK_MODES,
  MAX_SYNC_TIMEOUT_MS,
  WebhookVerificationSchema,
  WebhookInputsSchema,
  CreateWebhookBodySchema,
  UpdateWebhookBodySchema,
  RotateWebhookSecretBodySchema,
  WebhookSchema,
  CreatedWebhookSchema,
  ListWebhooksQuerySchema,
  RotatedWebhookSecretSchema,
  WEBHOOK_DELIVERY_STATUSES,
  WebhookDeliverySchema,
  DeliveryAnswerSchema,
  TestWebhookBodySchema,
  WebhookTestAnswerSchema,
} from './webhooks';
export type { WebhookScheme, CreateWebhookBody, UpdateWebhookBody, RotateWebhookSecretBody, WebhookView, WebhookDelivery, TestWebhookBody, WebhookTestAnswer } from './webhooks';
export {
  TEMPLATE_STATUSES,
  MODERATION_ACTIONS,
  GALLERY_SORTS,
  TemplateStatusSchema,
  PublishTemplateBodySchema,
  TemplateVersionBodySchema,
  ModerationBodySchema,
  GalleryQuerySchema,
  IdOrSlugParamSchema,
  GalleryItemSchema,
  TemplateDetailSchema,
  ManagedTemplateSchema,
  CreateInstallationBodySchema,
  InstallationSchema,
  ProfileSchema,
  ModerationQueueQuerySchema,
  QueuedTemplateSchema,
  ProfileLinkSchema,
  UpdateProfileBodySchema,
  TemplateCheckBodySchema,
  TemplateCheckSchema,
  TemplateViewBodySchema,
  TemplateStatsSchema,
  ReviewTemplateSchema,
} from './templates';
export type {
  TemplateStatus,
  ModerationAction,
  PublishTemplateBody,
  TemplateVersionBody,
  ModerationBody,
  GalleryQuery,
  GallerySort,
  GalleryItem,
  TemplateDetail,
  CreateInstallationBody,
  ModerationQueueQuery,
  Profile,
  ManagedTemplate,
  QueuedTemplate,
  Installation,
  UpdateProfileBody,
  TemplateCheckBody,
  TemplateCheck,
  TemplateStats,
} from './templates';
export {
  WorkflowTagSchema,
  WorkflowTagsSchema,
  ListWorkflowsQuerySchema,
  UpdateWorkflowBodySchema,
  DuplicateWorkflowBodySchema,
  VersionDiffQuerySchema,
  FieldChangeSchema,
  NodeChangeSchema,
  GraphDiffSchema,
  WorkflowDiffSchema,
  VersionDiffAnswerSchema,
  RollbackBodySchema,
  WorkflowStatsQuerySchema,
  WorkflowStatsSchema,
  WorkflowStatsAnswerSchema,
} from './workflow-admin';
export type { ListWorkflowsQuery, UpdateWorkflowBody, FieldChange, NodeChange, GraphDiff, WorkflowDiff, WorkflowStats } from './workflow-admin';
export { IterationsParamsSchema, IterationsQuerySchema, IterationSchema, IterationsAnswerSchema, StepItemsSchema } from './iterations';
export type { Iteration, IterationsAnswer } from './iterations';
export { InstallationDetailSchema, InstallationUpgradeSchema, UpgradeConflictSchema, UpgradeInstallationBodySchema } from './installations';
export type { InstallationDetail, InstallationUpgrade, UpgradeInstallationBody } from './installations';
export {
  ALERT_CHANNELS,
  ALERT_CONDITION_TYPES,
  ALERT_INCIDENT_STATUSES,
  ALERT_DELIVERY_KINDS,
  ALERT_DELIVERY_STATUSES,
  MAX_ALERT_WINDOW_RUNS,
  MAX_ALERT_WINDOW_MINUTES,
  AlertConditionSchema,
  AlertChannelInputSchema,
  AlertChannelViewSchema,
  CreateAlertRuleBodySchema,
  UpdateAlertRuleBodySchema,
  AlertRuleSchema,
  CreatedAlertRuleSchema,
  AlertIncidentSchema,
  ListAlertIncidentsQuerySchema,
  AlertDeliveryAttemptSchema,
  AlertDeliverySchema,
  AlertTestAnswerSchema,
} from './alerts';
export type { AlertCondition, AlertChannelInput, AlertChannelView, CreateAlertRuleBody, UpdateAlertRuleBody, AlertRuleView, AlertIncidentView, AlertDeliveryView } from './alerts';
export * from './retention';
export { QuotaProblemSchema, RunCostSchema, USAGE_KINDS, UsageAnswerSchema, UsageQuerySchema } from './usage';
export { utcDay, utcMonth, utcMonthDays } from './usage-month';
export type { RunCost, UsageAnswer, UsageQuery } from './usage';
export { ApprovalLinkProblemSchema, ApprovalLinkTokenParamSchema, ApprovalLinkViewSchema, DecideByLinkBodySchema, ApprovalLinkDecisionSchema } from './approval-links';
export type { ApprovalLinkView, DecideByLinkBody, ApprovalLinkDecision } from './approval-links';
export { WaitingApprovalsQuerySchema, WaitingApprovalSchema, WaitingApprovalsAnswerSchema } from './waiting-approvals';
export type { WaitingApprovalItem } from './waiting-approvals';
