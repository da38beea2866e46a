export { createDb, openDb, openServiceDb, rowLevelSecurityProblem, type CreateDbOptions, type Db, type OpenDbOptions, type ServiceDbEnv } from './client';
export { runOrgOf } from './run-org';
export { asMaintenance, currentScope, inScope, scopeKey, withOrg, type DbScope, type DefaultScope } from './scope';
export { APP_ROLE, MAINTENANCE_ROLE, SCOPE_STATEMENT } from './scoped-pool';
export { newId } from './ids';
export {
  ensureDatabase,
  migrate,
  MigrationError,
  pendingMigrations,
  type MigrateOptions,
  type MigrationErrorCode,
} from './migrate';
export { checksumOf, matchesChecksum, migrationsDir, readMigrations, type Migration } from './migrations';
export { PrismaClient, Prisma } from './generated/client';
export type {
  ApiKey,
  AuditLog,
  Installation,
  Membership,
  ModerationEvent,
  Org,
  Outbox,
  Profile,
  Run,
  RunEvent,
  RunLog,
  RunStep,
  Schedule,
  ScheduleFire,
  AlertRule,
  AlertIncident,
  AlertDelivery,
  AlertDeliveryAttempt,
  Secret,
  SecretVersion,
  Submission,
  Template,
  TemplateVersion,
  UsageEvent,
  User,
  Webhook,
  WebhookDelivery,
  WebhookSecret,
  Workflow,
  WorkflowVersion,
} from './generated/client';
export { backupDatabase, type BackupManifest } from './backup/backup';
export { restoreDatabase, type RestoreResult } from './backup/restore';
