'use client';
import type { Issue, TemplateCheck } from '@weft/workflow-schema';

/** One issue of the checks: the node and the config path it names, then why. */
function IssueLine({ issue }: { issue: Issue }) {
  return (
    <li>
      {issue.nodeId && <span className="mono">node {issue.nodeId} · </span>}
      <span className="mono">{issue.path}</span>: {issue.message}
    </li>
  );
}

/**
 * The pre-publish checks as the creator reads them before submitting: refusals (each naming the
 * node and the path of the literal), warnings (missing descriptions), secrets the workflow reads
 * that this org does not have (unmapped: its own runs would fail too), outbound domains and integrations.
 */
export function CheckReport({ check, orgSecrets }: { check: TemplateCheck; orgSecrets: Set<string> | null }) {
  const unmapped = orgSecrets ? check.credentials.filter((c) => !orgSecrets.has(c.name)) : [];
  return (
    <div className="template-check" data-testid="template-check">
      {check.errors.length > 0 ? (
        <div className="check-block check-errors" role="alert">
          <strong>Refused: fix these before publishing</strong>
          <ul data-testid="check-errors">
            {check.errors.map((e, i) => (
              <IssueLine key={i} issue={e} />
            ))}
          </ul>
        </div>
      ) : (
        <p className="check-ok" data-testid="check-ok">No credential-looking literal, nothing refused.</p>
      )}
      {(check.warnings.length > 0 || unmapped.length > 0) && (
        <div className="check-block check-warnings">
          <strong>Warnings</strong>
          <ul data-testid="check-warnings">
            {check.warnings.map((w, i) => (
              <IssueLine key={i} issue={w} />
            ))}
            {unmapped.map((c) => (
              <li key={`u-${c.name}`} data-testid="check-unmapped">
                <span className="mono">secrets.{c.name}</span>: not a secret of this org (unmapped): installers map it, but your own runs fail without it
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="small">
        <strong>Domains it calls:</strong> <span data-testid="check-domains">{check.domains.join(', ') || 'none'}</span>
        <br />
        <strong>Integrations:</strong> <span data-testid="check-integrations">{check.integrations.join(', ') || 'none'}</span>
      </p>
    </div>
  );
}
