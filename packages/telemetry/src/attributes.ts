/**
 * The span attributes Weft sets. Ids and names only: never a secret, an input, an output, a header
 * or a URL with its query (see docs/operating/traces.md).
 */
export const ATTR = {
  runId: 'weft.run_id',
  stepId: 'weft.step_id',
  nodeId: 'weft.node_id',
  nodeType: 'weft.node_type',
  orgId: 'weft.org_id',
  attempt: 'weft.attempt',
  workflowId: 'weft.workflow_id',
  runKind: 'weft.run_kind',
  status: 'weft.status',
  trigger: 'weft.trigger',
  jobName: 'weft.job',
  queue: 'messaging.destination.name',
  errorCode: 'weft.error_code',
} as const;
