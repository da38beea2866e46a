'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { groupCatalog } from './Palette';
import type { MenuRequest } from './canvas/use-canvas-events';
import { NodeIcon } from './nodes/icons';
import { useEditor } from './store';

interface Props {
  menu: MenuRequest;
  onClose(): void;
  onAdd(type: string, at: { x: number; y: number }): void;
  onCommand(cmd: 'copy' | 'cut' | 'paste' | 'duplicate' | 'delete' | 'layout' | 'fit' | 'selectAll'): void;
}

/** Right-click menu: on a node, its commands; on the canvas, a searchable list of nodes to add there. */
export function ContextMenu({ menu, onClose, onAdd, onCommand }: Props) {
  const catalog = useEditor((s) => s.catalog);
  const [query, setQuery] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const entries = useMemo(() => groupCatalog(Object.values(catalog), query).flatMap(([, e]) => e), [catalog, query]);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, button')?.focus();
    const onDown = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && onClose();
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [onClose]);
  const style = { left: Math.min(menu.x, window.innerWidth - 260), top: Math.min(menu.y, window.innerHeight - 380) };
  const item = (label: string, cmd: Parameters<Props['onCommand']>[0], keys?: string) => (
    <button type="button" role="menuitem" className="menu-item" onClick={() => (onCommand(cmd), onClose())}>
      <span>{label}</span>
      {keys && <span className="menu-keys">{keys}</span>}
    </button>
  );
  return (
    <div ref={ref} className="context-menu" role="menu" style={style} data-testid="context-menu" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {menu.nodeId ? (
        <>
          {item('Duplicate', 'duplicate', 'Ctrl+D')}
          {item('Copy', 'copy', 'Ctrl+C')}
          {item('Cut', 'cut', 'Ctrl+X')}
          {item('Delete', 'delete', 'Del')}
        </>
      ) : (
        <>
          <input className="input" placeholder="Add a node here…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search nodes to add" onKeyDown={(e) => e.key === 'Enter' && entries[0] && (onAdd(entries[0].type, menu.flow), onClose())} />
          <div className="menu-scroll">
            {entries.map((e) => (
              <button key={e.type} type="button" role="menuitem" className="menu-item" data-testid={`menu-add-${e.type}`} onClick={() => (onAdd(e.type, menu.flow), onClose())}>
                <span className="menu-icon">
                  <NodeIcon name={e.icon} size={14} />
                </span>
                <span>{e.title}</span>
              </button>
            ))}
          </div>
          <div className="menu-sep" />
          {item('Paste', 'paste', 'Ctrl+V')}
          {item('Select all', 'selectAll', 'Ctrl+A')}
          {item('Auto-layout', 'layout', 'L')}
          {item('Fit view', 'fit', 'F')}
        </>
      )}
    </div>
  );
}
