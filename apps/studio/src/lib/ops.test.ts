import { describe, expect, it } from 'vitest';
import { connectionProblem } from './connect';
import { toCanvas, toDefinition } from './graph';
import { uniqueId } from './ids';
import { ancestorsOf, fragmentOf, pasteFragment, removeNodes, renameNode } from './ops';
import { STARTERS } from './starters';
import type { Catalog } from './types';

const route = () => toCanvas(STARTERS[1]!.definition);
const catalog = {
  branch: { handles: ['true', 'false'], errorHandle: true },
  transform: { handles: [], errorHandle: true },
  trigger: { handles: [], errorHandle: false },
} as unknown as Catalog;

describe('uniqueId', () => {
  it('numbers copies from 2 and keeps ids valid identifiers', () => {
    expect(uniqueId('fetch', new Set())).toBe('fetch');
    expect(uniqueId('fetch', new Set(['fetch']))).toBe('fetch_2');
    expect(uniqueId('fetch_2', new Set(['fetch', 'fetch_2']))).toBe('fetch_3');
    expect(uniqueId('9 lives!', new Set())).toBe('n_9_lives_');
  });
});

describe('copy and paste', () => {
  it('pastes copies with fresh ids, the edges between them, and no second trigger', () => {
    const doc = route();
    const f = fragmentOf(doc, new Set(['trigger', 'is_large', 'review']))!;
    expect(f.nodes.map((n) => n.id)).toEqual(['trigger', 'is_large', 'review']);
    const pasted = pasteFragment(doc, f, { x: 32, y: 32 });
    expect(pasted.nodes.map((n) => n.id)).toEqual(['is_large_2', 'review_2']);
    expect(pasted.edges.map((e) => [e.source, e.target, e.sourceHandle])).toEqual([['is_large_2', 'review_2', 'true']]);
    expect(pasted.nodes[0]!.position).toEqual({ x: 332, y: 112 });
    expect(pasted.nodes.every((n) => n.selected)).toBe(true);
  });
});

describe('renameNode', () => {
  it('renames the node and every edge touching it', () => {
    const doc = renameNode(route(), 'is_large', 'big');
    const def = toDefinition(doc);
    expect(def.nodes[1]!.id).toBe('big');
    expect(def.edges.filter((e) => e.source === 'big' || e.target === 'big')).toHaveLength(3);
  });
});

describe('removeNodes', () => {
  it('removes the nodes and their edges', () => {
    const doc = removeNodes(route(), new Set(['review']));
    expect(doc.nodes).toHaveLength(4);
    expect(doc.edges.some((e) => e.source === 'review' || e.target === 'review')).toBe(false);
  });
});

describe('ancestorsOf', () => {
  it('lists every node upstream, nearest first', () => {
    expect(ancestorsOf(route(), 'summary')).toEqual(['review', 'fast_track', 'is_large', 'trigger']);
  });
});

describe('connectionProblem', () => {
  const doc = route();
  const c = (source: string, target: string, sourceHandle: string | null = null) => connectionProblem(doc, { source, target, sourceHandle, targetHandle: null }, catalog);
  it('allows a new edge between two nodes of one graph', () => expect(c('review', 'fast_track')).toBeNull());
  it('refuses cycles, self loops, edges into the trigger and duplicates', () => {
    expect(c('summary', 'is_large')).toMatch(/cycle/);
    expect(c('review', 'review')).toMatch(/itself/);
    expect(c('review', 'trigger')).toMatch(/trigger/);
    expect(c('trigger', 'is_large')).toMatch(/already/);
  });
  it('needs a named output on a branch', () => {
    expect(c('is_large', 'summary')).toMatch(/named output/);
    expect(c('is_large', 'summary', 'false')).toBeNull();
  });
  it("allows an edge from the error output of a node that has one, a branch's too", () => {
    expect(c('review', 'fast_track', 'error')).toBeNull();
    expect(c('is_large', 'summary', 'error')).toBeNull();
  });
  it('refuses an edge from an error output the node does not have', () => expect(c('trigger', 'review', 'error')).toMatch(/no error output/));
});
