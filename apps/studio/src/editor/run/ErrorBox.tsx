'use client';

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  retryable?: unknown;
  nodeId?: unknown;
}

/** The parts of a step or run error worth reading; anything else is shown as JSON. */
export function errorParts(error: unknown): { code?: string; message: string; retryable: boolean; nodeId?: string } {
  if (typeof error === 'string') return { message: error, retryable: false };
  const e = (error ?? {}) as ErrorShape;
  if (typeof e.message !== 'string') return { message: JSON.stringify(error, null, 2), retryable: false };
  return {
    ...(typeof e.code === 'string' && e.code ? { code: e.code } : {}),
    message: e.message,
    retryable: e.retryable === true,
    ...(typeof e.nodeId === 'string' ? { nodeId: e.nodeId } : {}),
  };
}

/** A step's or a run's error as text: the message as a sentence, its code and retryability as labels. */
export function ErrorBox({ error, testId }: { error: unknown; testId?: string }) {
  const { code, message, retryable, nodeId } = errorParts(error);
  return (
    <div className="error-box" data-testid={testId} role="group" aria-label="Error">
      <p className="error-message">{message}</p>
      {(code || retryable || nodeId) && (
        <p className="error-meta">
          {code && <code className="badge" title="Error code">{code}</code>}
          {nodeId && <span className="badge">node {nodeId}</span>}
          {retryable && <span className="badge">retryable</span>}
        </p>
      )}
    </div>
  );
}
