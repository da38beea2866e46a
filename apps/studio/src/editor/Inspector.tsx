'use client';
import { CONNECTION_NODE_PROVIDERS, type Issue } from '@weft/workflow-schema';
import { useCallback, useMemo, useState } from 'react';
import { NODE_ID_RE } from '../lib/ids';
import { validateConfig, type FieldErrors, type JSONSchema } from '../lib/schema';
import { suggestionsFor } from '../lib/templates';
import type { AppNode } from '../lib/types';
import { NodeProviderContext } from './form/ConnectionPicker';
import { SchemaForm } from './form/SchemaForm';
import { helpText } from './form/values';
import { SuggestionsContext } from './form/TemplateInput';
import { NodeIcon } from './nodes/icons';
import { StepDetail } from './run/StepDetail';
import { selectedCount, selectedNodeId } from './selection';
import { useEditor } from './store';
import { WorkflowPanel } from './WorkflowPanel';

const HIDDEN_LOOP_FIELDS = new Set(['body']);

/** The right-hand panel: the selected node's form (or the workflow's settings), and its run result. */
export function Inspector() {
  const id = useEditor(selectedNodeId);
  const count = useEditor(selectedCount);
  const runId = useEditor((s) => s.run?.id ?? null);
  const hasRun = runId !== null;
  const [tab, setTab] = useState<'config' | 'run'>('config');
  // A run that starts (or is opened) brings its result into view: the Run tab.
  const [shownRun, setShownRun] = useState(runId);
  if (shownRun !== runId) {
    setShownRun(runId);
    if (runId) setTab('run');
  }
  const current = hasRun ? tab : 'config';
  return (
    <aside className="inspector" aria-label="Inspector">
      <div className="tabs" role="tablist">
        <button role="tab" type="button" aria-selected={current === 'config'} className="tab" onClick={() => setTab('config')}>
          Configure
        </button>
        <button role="tab" type="button" aria-selected={current === 'run'} className="tab" disabled={!hasRun} onClick={() => setTab('run')} data-testid="tab-run">
          Run
        </button>
      </div>
      <div className="inspector-body">
        {current === 'run' ? <StepDetail nodeId={id} /> : id ? <NodeForm key={id} id={id} /> : count > 1 ? <MultiSelection count={count} /> : <WorkflowPanel />}
      </div>
    </aside>
  );
}

function MultiSelection({ count }: { count: number }) {
  return (
    <div className="inspector-empty">
      <p>
        <strong>{count} nodes selected.</strong>
      </p>
      <p className="muted">Drag to move them together, Ctrl+D to duplicate, Delete to remove.</p>
    </div>
  );
}

function NodeForm({ id }: { id: string }) {
  const node = useEditor((s) => s.nodes.find((n) => n.id === id)) as AppNode | undefined;
  const entry = useEditor((s) => (node ? s.catalog[node.data.type] : undefined));
  const problems = useEditor((s) => s.problems);
  const epoch = useEditor((s) => s.epoch);
  const updateData = useEditor((s) => s.updateData);
  const suggestions = useCallback(() => {
    const s = useEditor.getState();
    return suggestionsFor(s, id, s.catalog, s.run);
  }, [id]);
  const config = node?.data.config;
  const formErrors = useMemo(() => (node && config ? validateConfig(entry, node.type === 'loop' ? { ...config, body: { nodes: [] } } : config) : {}), [entry, config, node]);
  const mine = useMemo(() => (node && !node.parentId ? problems.filter((p) => p.nodeId === node.data.localId) : []), [problems, node]);
  if (!node) return null;
  const { errors, other } = mergeErrors(formErrors, mine);
  return (
    <SuggestionsContext.Provider value={suggestions}>
      <header className="inspector-header">
        <span className="inspector-icon" data-category={entry?.category}>
          <NodeIcon name={entry?.icon} size={18} />
        </span>
        <div>
          <h2>{entry?.title ?? node.data.type}</h2>
          <p className="muted">{entry ? helpText(entry.description) : 'This node type is not in the catalog.'}</p>
        </div>
      </header>
      <IdField node={node} />
      <div className="field">
        <label className="field-label" htmlFor="node-name">
          Label
        </label>
        <input id="node-name" className="input" placeholder="Shown on the canvas instead of the id" value={node.data.name ?? ''} onChange={(e) => updateData(id, { name: e.target.value || undefined }, `name:${id}`)} />
      </div>
      {other.length > 0 && (
        <ul className="problem-list" data-testid="node-problems">
          {other.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
      <h3 className="section-title">Configuration</h3>
      <NodeProviderContext.Provider value={CONNECTION_NODE_PROVIDERS[node.data.type]}>
        <SchemaForm
          key={`${id}:${epoch}`}
          idPrefix={`cfg-${id}`}
          schema={(entry?.configSchema ?? {}) as JSONSchema}
          value={node.data.config}
          errors={errors}
          hidden={node.type === 'loop' ? HIDDEN_LOOP_FIELDS : undefined}
          onChange={(next, field) => updateData(id, { config: next }, `cfg:${id}:${field}`)}
        />
      </NodeProviderContext.Provider>
    </SuggestionsContext.Provider>
  );
}

/** Form errors by field, with the API's issues added to the field they name (the rest listed apart). */
function mergeErrors(form: FieldErrors, issues: Issue[]): { errors: FieldErrors; other: string[] } {
  const errors: FieldErrors = { ...form };
  const other: string[] = [];
  if (errors['']) other.push(errors['']);
  for (const i of issues) {
    const m = /\.config\.([\w.]+)$/.exec(i.path);
    const field = m?.[1];
    if (field) errors[field] ??= i.message;
    else other.push(i.message);
  }
  return { errors, other };
}

function IdField({ node }: { node: AppNode }) {
  const rename = useEditor((s) => s.rename);
  const [text, setText] = useState(node.data.localId);
  const taken = useEditor((s) => s.nodes.some((n) => n.id !== node.id && n.parentId === node.parentId && n.data.localId === text));
  const error = !NODE_ID_RE.test(text) ? 'Letters, digits and _; not starting with a digit' : taken ? 'Another node has this id' : null;
  const commit = () => {
    if (!error && text !== node.data.localId) rename(node.id, text);
    else if (error) setText(node.data.localId);
  };
  return (
    <div className="field">
      <label className="field-label" htmlFor="node-id">
        Id
      </label>
      <input
        id="node-id"
        className="input mono"
        value={text}
        aria-invalid={Boolean(error)}
        aria-describedby="node-id-help"
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <span className={error ? 'field-error' : 'field-help'} id="node-id-help">
        {error ?? `Reference its output as steps.${node.data.localId}.output`}
      </span>
    </div>
  );
}
