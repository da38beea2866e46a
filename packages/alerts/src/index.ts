export { conditionHolds, decideAlert, runsNeeded, windowStart } from './decide';
export type { AlertDecision, FinishedRun } from './decide';
export { alertSubject, alertText, describeCondition, slackPayload, webhookPayload } from './messages';
export type { AlertContext, AlertKind } from './messages';
export { evaluateRunAlerts, insertDelivery, queueTestDelivery } from './evaluate';
export type { EvaluationResult } from './evaluate';
export { deliverAlert, TransportError } from './deliver';
export type { AlertTransport, DeliveryOutcome } from './deliver';
export { openRuleSecret, sealRuleSecret } from './rule-secrets';
