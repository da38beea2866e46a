import type { ReactNode } from 'react';

/** What a screen shows when there is nothing yet: what it is for and the next step to take. */
export function EmptyState({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId ?? 'empty-state'}>
      <h2>{title}</h2>
      <div className="muted">{children}</div>
    </div>
  );
}

/** A load or action error, read out by screen readers. */
export function ErrorNote({ message }: { message: string | null }) {
  return message ? (
    <p className="error-note" role="alert">
      {message}
    </p>
  ) : null;
}
