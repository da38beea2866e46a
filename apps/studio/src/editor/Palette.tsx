'use client';
import type { CatalogEntry } from '@weft/workflow-schema';
import { Search } from 'lucide-react';
import { useMemo, useState } from 'react';
import { helpText } from './form/values';
import { NodeIcon } from './nodes/icons';
import { useEditor } from './store';

export const DRAG_MIME = 'application/weft-node';
const CATEGORY_ORDER = ['core', 'flow', 'integration', 'human'];
const CATEGORY_TITLE: Record<string, string> = { core: 'Core', flow: 'Flow control', integration: 'Integrations', human: 'People' };

/** Catalog entries matching a search, grouped by category in a stable order. */
export function groupCatalog(entries: CatalogEntry[], query: string): [string, CatalogEntry[]][] {
  const q = query.trim().toLowerCase();
  const hits = entries.filter((e) => !q || `${e.title} ${e.type} ${e.description} ${e.category}`.toLowerCase().includes(q));
  const groups = new Map<string, CatalogEntry[]>();
  for (const e of hits) groups.set(e.category, [...(groups.get(e.category) ?? []), e]);
  return [...groups.entries()].sort(([a], [b]) => rankOf(a) - rankOf(b));
}
const rankOf = (c: string) => (CATEGORY_ORDER.indexOf(c) + 1 || 99);

/** The node palette: search, categories, drag onto the canvas (or Enter / click to add in view). */
export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const catalog = useEditor((s) => s.catalog);
  const hasTrigger = useEditor((s) => s.nodes.some((n) => !n.parentId && n.data.type === 'trigger'));
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupCatalog(Object.values(catalog), query), [catalog, query]);
  return (
    <aside className="palette" aria-label="Node palette">
      <div className="palette-search">
        <Search size={14} aria-hidden />
        <input
          id="palette-search"
          className="input"
          placeholder="Search nodes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search nodes"
          onKeyDown={(e) => {
            const first = groups[0]?.[1][0];
            // Enter (with or without Ctrl/⌘) adds the first match, and only that: Ctrl+Enter must not also run.
            if (e.key === 'Enter') {
              e.preventDefault();
              e.stopPropagation();
              if (first) onAdd(first.type);
            }
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
      </div>
      <div className="palette-list">
        {groups.length === 0 && <p className="muted palette-empty">No node matches “{query}”.</p>}
        {groups.map(([category, entries]) => (
          <section key={category}>
            <h3 className="palette-category">{CATEGORY_TITLE[category] ?? category}</h3>
            {entries.map((e) => {
              const disabled = e.type === 'trigger' && hasTrigger;
              return (
                <button
                  key={e.type}
                  type="button"
                  className="palette-item"
                  data-category={e.category}
                  data-testid={`palette-${e.type}`}
                  draggable={!disabled}
                  disabled={disabled}
                  title={disabled ? 'A workflow has exactly one trigger' : `${e.description}\nDrag onto the canvas, or press Enter to add it.`}
                  onDragStart={(ev) => {
                    ev.dataTransfer.setData(DRAG_MIME, e.type);
                    ev.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => onAdd(e.type)}
                >
                  <span className="palette-icon">
                    <NodeIcon name={e.icon} size={15} />
                  </span>
                  <span className="palette-text">
                    <span className="palette-title">{e.title}</span>
                    <span className="palette-desc">{helpText(e.description)}</span>
                  </span>
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </aside>
  );
}
