import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  BRANCHING_TYPES,
  NODE_TYPES,
  catalogEntry,
  configOf,
  hasBody,
  hasErrorHandle,
  isResumable,
  reusesOutput,
  ERROR_HANDLE,
  isOfKind,
  kindHas,
  nodeKind,
  nodeTypes,
  typesOfKind,
  typesWith,
  type BranchingNodeType,
  type HandleOf,
  type KindOf,
  type NodeConfig,
  type NodeTypeOfKind,
} from './catalog';
import { NODE_KINDS, NODE_KIND_NAMES } from './kinds';
import { NODE_TYPE_KINDS, type KindedNodeType } from './type-kinds';

// The sets the engine, orchestrator and executor spelled out by hand before the catalog said
// each type's kind (issue 13). The derived sets must be the same, or behaviour changed.
const BEFORE = {
  pure: ['trigger', 'transform', 'branch'], // engine PURE_NODE_TYPES
  waiting: ['delay', 'wait_for_approval'], // engine WAITING_TYPES, orchestrator TIMER_NODES and inputs.ts SQL
  loop: ['for_each'], // orchestrator LOOP_NODES, loops.ts and reconciler SQL
  secrets: ['http_request', 'function', 'llm_completion', 'slack_message', 'google_sheets_append', 'send_email', 'webhook_out'], // engine SECRET_NODE_TYPES
  branching: ['branch', 'wait_for_approval'], // workflow-schema BRANCHING_TYPES
  childRuns: ['for_each', 'sub_workflow'], // orchestrator commands.ts cancelChildren filter
  // The apps' literals (studio for_each checks, approval prompt; dashboard RUN_AGAIN_TYPES).
  body: ['for_each'],
  approval: ['wait_for_approval'],
  runAgain: ['trigger', 'wait_for_approval', 'delay', 'for_each', 'sub_workflow', 'terminate'],
  executorProcessors: ['trigger', 'transform', 'branch', 'http_request', 'webhook_out', 'slack_message', 'google_sheets_append', 'llm_completion', 'send_email', 'function'], // executor createProcessors keys
};

const sorted = (s: Iterable<string>) => [...s].sort();

describe('the node catalog', () => {
  it('gives every node type a known kind', () => {
    for (const t of NODE_TYPES) expect(NODE_KIND_NAMES, t).toContain(nodeKind(t));
  });

  it('partitions the node types by kind: each type is in exactly one kind', () => {
    const byKind = NODE_KIND_NAMES.map((k) => [...typesOfKind(k)]);
    expect(sorted(byKind.flat())).toEqual(sorted(NODE_TYPES));
    expect(new Set(byKind.flat()).size).toBe(NODE_TYPES.length);
  });

  it('uses every kind for at least one node type', () => {
    for (const k of NODE_KIND_NAMES) expect(typesOfKind(k).size, k).toBeGreaterThan(0);
  });

  it('derives the pure types the engine used to list by hand', () => {
    expect(sorted(typesOfKind('inline'))).toEqual(sorted(BEFORE.pure));
  });

  it('derives the waiting types (WAITING_TYPES and TIMER_NODES) from the kinds that park a step', () => {
    expect(sorted(typesOfKind('timer', 'waiting'))).toEqual(sorted(BEFORE.waiting));
    expect(sorted(typesWith('parks'))).toEqual(sorted(BEFORE.waiting));
  });

  it('derives the loop types from the loop kind', () => {
    expect(sorted(typesOfKind('loop'))).toEqual(sorted(BEFORE.loop));
  });

  it('derives the secrets-capable types, in the order the publish error lists them', () => {
    expect([...typesWith('secrets')]).toEqual(BEFORE.secrets);
    expect([...typesOfKind('executor')]).toEqual(BEFORE.secrets);
  });

  it('derives the branching types from the types with named outputs', () => {
    expect(sorted(BRANCHING_TYPES)).toEqual(sorted(BEFORE.branching));
  });

  it('derives the types whose steps start runs of their own', () => {
    expect(sorted(typesWith('startsRuns'))).toEqual(sorted(BEFORE.childRuns));
  });

  it('derives the types an executor can run: executor steps, and pure steps when inline steps are off', () => {
    expect(sorted(typesOfKind('executor', 'inline'))).toEqual(sorted(BEFORE.executorProcessors));
  });

  it('takes every entry\'s kind from the kind table, which names the same types in the same order', () => {
    expect(Object.keys(NODE_TYPE_KINDS)).toEqual(NODE_TYPES);
    for (const t of NODE_TYPES) expect(nodeTypes[t].kind, t).toBe(NODE_TYPE_KINDS[t]);
    expectTypeOf<KindedNodeType>().toEqualTypeOf<(typeof NODE_TYPES)[number]>();
  });

  it('derives the types drawn with a body inside them (the studio\'s for_each groups)', () => {
    expect(NODE_TYPES.filter(hasBody)).toEqual(BEFORE.body);
    expect(hasBody('no_such_type')).toBe(false);
  });

  it('derives the types whose waiting step a person resumes (the apps\' approval prompt)', () => {
    expect(NODE_TYPES.filter(isResumable)).toEqual(BEFORE.approval);
    expect(sorted(typesWith('resumable'))).toEqual(sorted(typesOfKind('waiting')));
  });

  it('derives the types whose output a replay reuses: every type but those that run again (the trigger aside)', () => {
    expect(sorted(NODE_TYPES.filter((t) => t === 'trigger' || !reusesOutput(t)))).toEqual(sorted(BEFORE.runAgain));
    expect(reusesOutput('no_such_type')).toBe(false);
  });

  it('answers undefined and false for a type it does not know', () => {
    expect(nodeKind('no_such_type')).toBeUndefined();
    expect(nodeKind('constructor')).toBeUndefined();
    expect(kindHas('no_such_type', 'secrets')).toBe(false);
    expect(isOfKind('no_such_type', 'executor')).toBe(false);
  });

  it('says which kinds have which traits', () => {
    expect(NODE_KIND_NAMES.filter((k) => NODE_KINDS[k].secrets)).toEqual(['executor']);
    expect(kindHas('delay', 'parks')).toBe(true);
    expect(kindHas('transform', 'parks')).toBe(false);
  });

  it('gives the error handle to the types whose steps can fail, not to the trigger, approvals or terminate', () => {
    expect(NODE_TYPES.filter(hasErrorHandle)).toEqual(NODE_TYPES.filter((t) => !['trigger', 'wait_for_approval', 'terminate'].includes(t)));
    expect(NODE_KIND_NAMES.filter((k) => !NODE_KINDS[k].errorHandle)).toEqual(['waiting', 'terminal']);
    expect(hasErrorHandle('no_such_type')).toBe(false);
  });

  it('accepts continueOnFail exactly on the types with the error handle', () => {
    for (const t of NODE_TYPES) {
      const withFlag = nodeTypes[t].config.safeParse({ ...nodeTypes[t].example, continueOnFail: true });
      expect(withFlag.success, t).toBe(hasErrorHandle(t));
    }
  });

  it('keeps the error handle apart from every named output', () => {
    for (const t of NODE_TYPES) expect(nodeTypes[t].handles as string[], t).not.toContain(ERROR_HANDLE);
  });

  it('serves whether each type has the error handle in its catalog entry', () => {
    expect(catalogEntry(nodeTypes.http_request).errorHandle).toBe(true);
    expect(catalogEntry(nodeTypes.trigger).errorHandle).toBe(false);
    expect(catalogEntry(nodeTypes.wait_for_approval).errorHandle).toBe(false);
  });

  it('serves each type with its kind in the catalog entry', () => {
    for (const t of NODE_TYPES) expect(catalogEntry(nodeTypes[t]).kind).toBe(nodeKind(t));
  });

  it('types each kind and each config from the catalog', () => {
    expectTypeOf<KindOf['delay']>().toEqualTypeOf<'timer'>();
    expectTypeOf<NodeTypeOfKind<'loop' | 'child'>>().toEqualTypeOf<'for_each' | 'sub_workflow'>();
    expectTypeOf<NodeConfig<'for_each'>['concurrency']>().toEqualTypeOf<number>();
    expectTypeOf<NodeConfig<'wait_for_approval'>['timeoutMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BranchingNodeType>().toEqualTypeOf<'branch' | 'wait_for_approval'>();
    expectTypeOf<HandleOf<'wait_for_approval'>>().toEqualTypeOf<'approved' | 'rejected'>();
  });

  it('reads a config as its type, with the defaults the schema applied', () => {
    const config = nodeTypes.for_each.config.parse({ items: 'input.xs', body: { nodes: [] } });
    expect(configOf({ type: 'for_each', config }, 'for_each').concurrency).toBe(10);
  });

  it('refuses to read a node config as another type', () => {
    expect(() => configOf({ type: 'delay', config: {} }, 'for_each')).toThrow(/"delay" read as "for_each"/);
  });
});
