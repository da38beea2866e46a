import { describe, expect, it } from 'vitest';
import type { Run } from '@weft/workflow-schema';
import { toCanvas } from './graph';
import { STARTERS } from './starters';
import { expressionToken, rank, suggestionsFor, templateToken } from './templates';
import type { Catalog } from './types';

const catalog = {
  http_request: { title: 'HTTP request', outputSchema: { type: 'object', properties: { status: { type: 'integer' }, headers: { type: 'object' }, body: {} } } },
  transform: { title: 'Transform' },
  trigger: { title: 'Trigger' },
} as unknown as Catalog;

describe('templateToken', () => {
  it('finds the path typed after an open {{', () => {
    expect(templateToken('Hi {{ inp', 9)).toEqual({ from: 6, to: 9, query: 'inp', close: true });
    expect(templateToken('Hi {{ input.na }}', 14)).toMatchObject({ query: 'input.na', close: false });
    expect(templateToken('Hi {{ a }} there', 16)).toBeNull();
  });
});

describe('expressionToken', () => {
  it('finds the path right before the caret', () => {
    expect(expressionToken('length(steps.fe', 15)).toEqual({ from: 7, to: 15, query: 'steps.fe', close: false });
    expect(expressionToken('a + ', 4)).toBeNull();
  });
});

describe('suggestionsFor', () => {
  const doc = toCanvas(STARTERS[0]!.definition);
  it('offers the inputs and the upstream outputs from the output schemas', () => {
    const paths = suggestionsFor(doc, 'shape', catalog, null).map((s) => s.path);
    expect(paths).toEqual(expect.arrayContaining(['input', 'input.url', 'steps.fetch.output', 'steps.fetch.output.body', 'steps.trigger.output.url', 'run.id']));
    expect(paths).not.toContain('steps.shape.output');
  });
  it('adds the fields of the last run’s actual outputs, arrays as projections', () => {
    const run = { inputs: { url: 'x' }, steps: [{ nodeId: 'fetch', status: 'succeeded', output: { status: 200, body: { items: [{ name: 'ada' }] } } }] } as unknown as Run;
    const all = suggestionsFor(doc, 'shape', catalog, run);
    expect(all.find((s) => s.path === 'steps.fetch.output.body.items[].name')).toEqual({ path: 'steps.fetch.output.body.items[].name', detail: '"ada"', source: 'run' });
  });
  it('offers the secrets the workflow already uses, by name', () => {
    const withSecret = toCanvas({ ...STARTERS[0]!.definition, nodes: STARTERS[0]!.definition.nodes.map((n) => (n.id === 'fetch' ? { ...n, config: { ...n.config, headers: { authorization: 'Bearer {{ secrets.GITHUB_TOKEN }}' } } } : n)) });
    expect(suggestionsFor(withSecret, 'shape', catalog, null).filter((s) => s.source === 'secret').map((s) => s.path)).toEqual(['secrets.GITHUB_TOKEN']);
  });
  it('ranks prefix matches first', () => {
    const all = suggestionsFor(doc, 'shape', catalog, null);
    expect(rank(all, 'steps.fetch.output.b')[0]!.path).toBe('steps.fetch.output.body');
  });
});
