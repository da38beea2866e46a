import type { FieldChange, GraphDiff, WorkflowDiff } from '@weft/workflow-schema';

const show = (v: unknown) => {
  if (v === undefined) return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

function Fields({ fields }: { fields: FieldChange[] }) {
  return (
    <ul className="diff-fields">
      {fields.map((f) => (
        <li key={f.path} data-testid="diff-field" className={`diff-${f.change}`}>
          <code>{f.path}</code>{' '}
          {f.change === 'added' ? <ins>{show(f.to)}</ins> : f.change === 'removed' ? <del>{show(f.from)}</del> : <><del>{show(f.from)}</del> → <ins>{show(f.to)}</ins></>}
        </li>
      ))}
    </ul>
  );
}

function Graph({ diff }: { diff: GraphDiff }) {
  const edge = (e: { source: string; target: string; sourceHandle?: string | undefined }) => `${e.source}${e.sourceHandle ? ` (${e.sourceHandle})` : ''} → ${e.target}`;
  return (
    <>
      {diff.nodes.added.map((n) => (
        <p key={`+${n.id}`} className="diff-added" data-testid="diff-node-added"><strong>+ {n.id}</strong> <span className="muted">{n.type}</span> added</p>
      ))}
      {diff.nodes.removed.map((n) => (
        <p key={`-${n.id}`} className="diff-removed" data-testid="diff-node-removed"><strong>− {n.id}</strong> <span className="muted">{n.type}</span> removed</p>
      ))}
      {diff.nodes.changed.map((n) => (
        <div key={`~${n.id}`} className="diff-changed" data-testid="diff-node-changed">
          <p><strong>~ {n.id}</strong> <span className="muted">{n.fromType ? `${n.fromType} → ${n.type}` : n.type}</span> changed</p>
          {n.fields.length > 0 && <Fields fields={n.fields} />}
          {n.body && <div className="diff-body"><span className="muted">loop body:</span><Graph diff={n.body} /></div>}
        </div>
      ))}
      {diff.edges.added.map((e) => <p key={`+e${edge(e)}`} className="diff-added" data-testid="diff-edge-added">+ edge {edge(e)}</p>)}
      {diff.edges.removed.map((e) => <p key={`-e${edge(e)}`} className="diff-removed" data-testid="diff-edge-removed">− edge {edge(e)}</p>)}
    </>
  );
}

/** A semantic diff of two workflow definitions: nodes, their config fields old → new, edges, settings. */
export function WorkflowDiffView({ diff }: { diff: WorkflowDiff }) {
  if (diff.same) return <p className="muted" data-testid="diff-same">No difference (besides the layout).</p>;
  return (
    <div className="workflow-diff" data-testid="workflow-diff">
      <Graph diff={diff} />
      {diff.settings.length > 0 && (
        <div className="diff-changed">
          <p><strong>~ settings</strong></p>
          <Fields fields={diff.settings} />
        </div>
      )}
    </div>
  );
}
