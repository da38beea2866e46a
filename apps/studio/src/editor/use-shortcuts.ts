import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { toast } from '../components/toast';
import { copySelection, cutSelection, duplicateSelection, fragmentFromText, heldFragment, pasteFragmentHere } from './clipboard';
import { useEditor } from './store';

export interface ShortcutHandlers {
  save(): void;
  run(): void;
  publish(): void;
  help(): void;
  layout(): void;
  toggleMinimap(): void;
  closeMenus(): void;
}

/** True while the user types in a field (or a dialog is open): then plain keys belong to it. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || Boolean(el.closest('dialog[open]'));
}

const ARROWS: Record<string, [number, number]> = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] };

/** The editor's keyboard shortcuts and clipboard events (shortcuts.ts lists them for the help dialog). */
export function useShortcuts(h: ShortcutHandlers) {
  const flow = useReactFlow();
  const handlers = useRef(h);
  useEffect(() => {
    handlers.current = h;
  });

  useEffect(() => {
    const s = () => useEditor.getState();
    let pasteHandled = false;

    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') return e.preventDefault(), handlers.current.save();
      if (mod && key === 'enter') return e.preventDefault(), handlers.current.run();
      if (mod && e.shiftKey && key === 'p') return e.preventDefault(), handlers.current.publish();
      if (typing(e.target)) return;
      if (mod && key === 'z') return e.preventDefault(), e.shiftKey ? s().redo() : s().undo();
      if (mod && key === 'y') return e.preventDefault(), s().redo();
      if (mod && key === 'a') return e.preventDefault(), s().setSelection(new Set(s().nodes.map((n) => n.id)));
      if (mod && key === 'd') return e.preventDefault(), duplicateSelection();
      // Copy/cut keep the native event going: it fills the system clipboard (onCopy below).
      if (mod && key === 'c') return void copySelection();
      if (mod && key === 'x') return void cutSelection();
      if (mod && key === 'v') {
        pasteHandled = false;
        // Without a native paste event (no clipboard access), paste what was copied in this page.
        setTimeout(() => {
          const f = heldFragment();
          if (!pasteHandled && f) pasteFragmentHere(f);
        }, 60);
        return;
      }
      if (mod || e.altKey) return;
      if (key === 'delete' || key === 'backspace') return e.preventDefault(), s().removeSelected();
      if (key === 'escape') return handlers.current.closeMenus(), s().setSelection(new Set());
      if (key === '?') return handlers.current.help();
      if (key === '+' || key === '=') return void flow.zoomIn({ duration: 150 });
      if (key === '-' || key === '_') return void flow.zoomOut({ duration: 150 });
      if (key === 'f' || (e.shiftKey && e.code === 'Digit1')) return void flow.fitView({ padding: 0.2, duration: 200 });
      if (key === 'l') return handlers.current.layout();
      if (key === 'g') return s().toggleSnap(), toast('info', `Snap to grid ${s().snapToGrid ? 'on' : 'off'}`);
      if (key === 'm') return handlers.current.toggleMinimap();
      if (key === 'n') return e.preventDefault(), document.getElementById('palette-search')?.focus();
      const dir = ARROWS[key];
      if (dir && s().nodes.some((n) => n.selected)) {
        e.preventDefault();
        const step = e.shiftKey ? 160 : 16;
        s().nudge(dir[0] * step, dir[1] * step);
      }
    };

    const onCopy = (e: ClipboardEvent) => {
      const f = heldFragment();
      if (typing(e.target) || !f || (e.type === 'copy' && !s().nodes.some((n) => n.selected))) return;
      e.clipboardData?.setData('text/plain', JSON.stringify(f, null, 2));
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (typing(e.target)) return;
      const f = fragmentFromText(e.clipboardData?.getData('text/plain') ?? '');
      if (!f) return;
      pasteHandled = true;
      e.preventDefault();
      pasteFragmentHere(f);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [flow]);
}
