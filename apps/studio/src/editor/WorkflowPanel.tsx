'use client';
import { useCallback } from 'react';
import type { JSONSchema } from '../lib/schema';
import type { Suggestion } from '../lib/templates';
import { suggestionsFor } from '../lib/templates';
import { ErrorWorkflowField } from './ErrorWorkflowField';
import { SchedulesSection } from './schedules/SchedulesSection';
import { TemplateSection } from './template/TemplateSection';
import { WebhooksSection } from './webhooks/WebhooksSection';
import { SchemaForm } from './form/SchemaForm';
import { SuggestionsContext } from './form/TemplateInput';
import { useEditor } from './store';

const SETTINGS_SCHEMA: JSONSchema = {
  type: 'object',
  properties: {
    output: { type: 'string', description: 'JMESPath over the run context giving the run output. Without it: every final step’s output, by id.' },
    timeoutMs: { type: 'integer', minimum: 1, description: 'The whole run fails after this long.' },
  },
};

/** With nothing selected: the workflow's own settings and every problem of the draft. */
export function WorkflowPanel() {
  const name = useEditor((s) => s.name);
  const settings = useEditor((s) => s.settings);
  const nodeCount = useEditor((s) => s.nodes.length);
  const edgeCount = useEditor((s) => s.edges.length);
  const problems = useEditor((s) => s.problems);
  const epoch = useEditor((s) => s.epoch);
  const setSettings = useEditor((s) => s.setSettings);
  const setSelection = useEditor((s) => s.setSelection);
  const suggestions = useCallback((): Suggestion[] => {
    const s = useEditor.getState();
    const sinks = s.nodes.filter((n) => !n.parentId && !s.edges.some((e) => e.source === n.id));
    const all = new Map<string, Suggestion>();
    for (const n of sinks) {
      for (const x of suggestionsFor(s, n.id, s.catalog, s.run)) all.set(x.path, x);
      all.set(`steps.${n.data.localId}.output`, { path: `steps.${n.data.localId}.output`, detail: 'final step', source: 'context' });
    }
    return [...all.values()];
  }, []);
  return (
    <SuggestionsContext.Provider value={suggestions}>
      <header className="inspector-header">
        <div>
          <h2>{name}</h2>
          <p className="muted">
            {nodeCount} nodes · {edgeCount} connections. Select a node to configure it.
          </p>
        </div>
      </header>
      {problems.length > 0 && (
        <section aria-label="Problems" className="problems-section">
          <h3 className="section-title">Problems ({problems.length})</h3>
          <ul className="problem-list" data-testid="workflow-problems">
            {problems.map((p, i) => (
              <li key={i}>
                {p.nodeId ? (
                  <button type="button" className="link" onClick={() => setSelection(new Set([p.nodeId!]))}>
                    {p.nodeId}
                  </button>
                ) : (
                  <span className="mono">{p.path || 'workflow'}</span>
                )}
                : {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h3 className="section-title">Workflow settings</h3>
      <SchemaForm key={epoch} idPrefix="settings" schema={SETTINGS_SCHEMA} value={settings as Record<string, unknown>} errors={{}} onChange={(next) => setSettings(next)} />
      <ErrorWorkflowField />
      <SchedulesSection />
      <WebhooksSection />
      <TemplateSection />
    </SuggestionsContext.Provider>
  );
}
