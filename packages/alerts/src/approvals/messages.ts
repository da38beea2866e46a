/** What a recipient of a waiting approval reads (email and Slack): the prompt, where it comes from, and two links. */
export interface ApprovalNotice {
  workflowName: string;
  runId: string;
  nodeId: string;
  prompt: unknown;
  approveUrl: string;
  rejectUrl: string;
  expiresAt: Date;
}

const promptText = (p: unknown): string => (typeof p === 'string' ? p : JSON.stringify(p, null, 2));

export const approvalSubject = (n: ApprovalNotice): string => `Approval needed: ${n.workflowName}`;

export function approvalText(n: ApprovalNotice): string {
  return [
    `The workflow "${n.workflowName}" waits for your decision (run ${n.runId}, step "${n.nodeId}"):`,
    '',
    promptText(n.prompt),
    '',
    `Approve: ${n.approveUrl}`,
    `Reject:  ${n.rejectUrl}`,
    '',
    `Each link opens a page that asks you to confirm. The links work once, until ${n.expiresAt.toISOString()}, and stop working as soon as anyone decides.`,
  ].join('\n');
}

/** A Slack incoming-webhook message (mrkdwn links). */
export function approvalSlackPayload(n: ApprovalNotice): { text: string } {
  return {
    text: [
      `*Approval needed* in *${n.workflowName}* (run \`${n.runId}\`, step \`${n.nodeId}\`)`,
      `> ${promptText(n.prompt).replace(/\n/g, '\n> ')}`,
      `<${n.approveUrl}|Approve> · <${n.rejectUrl}|Reject> (single use, until ${n.expiresAt.toISOString()})`,
    ].join('\n'),
  };
}
