/** A list that could not be loaded: what failed, why, and a button to try again. */
export function LoadError({ title, message, onRetry }: { title: string; message: string; onRetry(): void }) {
  return (
    <div className="center-state card" role="alert">
      <h2>{title}</h2>
      <p className="muted">{message}</p>
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
