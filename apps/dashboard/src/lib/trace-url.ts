const TRACE_ID = /^[0-9a-f]{32}$/;

/** The trace viewer's URL of a trace: `{traceId}` of the template replaced (null without a template or for a malformed id). */
export function traceUrl(template: string | null, traceId: string): string | null {
  if (!template || !TRACE_ID.test(traceId)) return null;
  return template.replaceAll('{traceId}', traceId);
}
