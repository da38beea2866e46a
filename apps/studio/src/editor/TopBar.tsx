'use client';
import { AlertCircle, Check, ChevronLeft, Download, HelpCircle, History, LayoutGrid, Loader2, Play, Redo2, Rocket, Undo2, Upload } from 'lucide-react';
import Link from 'next/link';
import { ThemeToggle } from '@weft/ui/theme';
import { useEditor } from './store';
import type { SaveState } from './use-autosave';

interface Props {
  save: { state: SaveState; error: string | null };
  onImport(): void;
  onExport(): void;
  onLayout(): void;
  onHelp(): void;
  onPublish(): void;
  onRun(): void;
  onHistory(): void;
  publishing: boolean;
}

const SAVE_TEXT: Record<SaveState, string> = { saved: 'Saved', dirty: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' };

/** The editor's header: way back, name, save state, history, file and run actions. */
export function TopBar({ save, onImport, onExport, onLayout, onHelp, onPublish, onRun, onHistory, publishing }: Props) {
  const name = useEditor((s) => s.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const undo = useEditor((s) => s.undo);
  const redo = useEditor((s) => s.redo);
  const running = useEditor((s) => s.run !== null && !['succeeded', 'failed', 'cancelled'].includes(s.run.status));
  return (
    <header className="topbar">
      <Link href="/" className="icon-btn" aria-label="All workflows" title="All workflows">
        <ChevronLeft size={18} />
      </Link>
      <div className="topbar-title">
        <h1 title={name}>{name}</h1>
        <span className={`save-state save-${save.state}`} data-testid="save-state" title={save.error ?? undefined} aria-live="polite">
          {save.state === 'saving' ? <Loader2 size={12} className="wf-spin" /> : save.state === 'error' ? <AlertCircle size={12} /> : save.state === 'saved' ? <Check size={12} /> : null}
          {SAVE_TEXT[save.state]}
        </span>
      </div>
      <div className="topbar-group" role="toolbar" aria-label="Edit">
        <button type="button" className="icon-btn" onClick={undo} disabled={!canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
          <Undo2 size={16} />
        </button>
        <button type="button" className="icon-btn" onClick={redo} disabled={!canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
          <Redo2 size={16} />
        </button>
        <button type="button" className="icon-btn" onClick={onLayout} aria-label="Auto-layout" title="Auto-layout (L)">
          <LayoutGrid size={16} />
        </button>
        <span className="topbar-sep" />
        <button type="button" className="icon-btn" onClick={onImport} aria-label="Import JSON" title="Import JSON (or drop a file on the canvas)" data-testid="import">
          <Upload size={16} />
        </button>
        <button type="button" className="icon-btn" onClick={onExport} aria-label="Export JSON" title="Export JSON" data-testid="export">
          <Download size={16} />
        </button>
        <span className="topbar-sep" />
        <button type="button" className="icon-btn" onClick={onHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          <HelpCircle size={16} />
        </button>
        <ThemeToggle />
      </div>
      <div className="topbar-actions">
        <button type="button" className="btn" onClick={onHistory} data-testid="history" title="Recent runs and versions">
          <History size={14} /> History
        </button>
        <button type="button" className="btn" onClick={onPublish} disabled={publishing} data-testid="publish" title="Publish a version (Ctrl+Shift+P)">
          {publishing ? <Loader2 size={14} className="wf-spin" /> : <Rocket size={14} />} Publish
        </button>
        <button type="button" className="btn btn-primary" onClick={onRun} data-testid="run" title="Run (Ctrl+Enter)">
          {running ? <Loader2 size={14} className="wf-spin" /> : <Play size={14} />} Run
        </button>
      </div>
    </header>
  );
}
