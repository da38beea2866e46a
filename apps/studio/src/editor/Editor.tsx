'use client';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Issue } from '@weft/workflow-schema';
import { useCallback, useRef, useState } from 'react';
import { toast, Toasts } from '../components/toast';
import { toCanvas, toDefinition } from '../lib/graph';
import { definitionToText, download, exportFileName } from '../lib/import-export';
import type { Starter } from '../lib/starters';
import { Canvas } from './Canvas';
import type { MenuRequest } from './canvas/use-canvas-events';
import { EmptyCanvas, RunBar } from './CanvasOverlays';
import { copySelection, cutSelection, duplicateSelection, pasteFromMenu } from './clipboard';
import { ContextMenu } from './ContextMenu';
import { HelpDialog } from './HelpDialog';
import { HistoryDialog } from './history/HistoryDialog';
import { checkImport } from './import';
import { ImportErrorDialog } from './ImportErrorDialog';
import { Inspector } from './Inspector';
import { ConnectAnnouncer } from './nodes/ConnectAnnouncer';
import { Palette } from './Palette';
import { publish } from './run/run-actions';
import { RunDialog } from './run/RunDialog';
import { useEditor } from './store';
import { TopBar } from './TopBar';
import { useAddNode } from './use-add-node';
import { useAutosave } from './use-autosave';
import { useShortcuts } from './use-shortcuts';

/** The workflow editor: palette, canvas and inspector around one workflow (already in the store). */
export function Editor() {
  return (
    <ReactFlowProvider>
      <EditorFrame />
    </ReactFlowProvider>
  );
}

function EditorFrame() {
  const flow = useReactFlow();
  const autosave = useAutosave();
  const addNode = useAddNode();
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  const [help, setHelp] = useState(false);
  const [runOpen, setRunOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [minimap, setMinimap] = useState(true);
  const [publishing, setPublishing] = useState(false);
  const [importError, setImportError] = useState<{ title: string; issues: Issue[]; file?: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const fit = useCallback(() => setTimeout(() => void flow.fitView({ padding: 0.2, duration: 200, maxZoom: 1 }), 50), [flow]);
  const layout = useCallback(() => {
    useEditor.getState().layout();
    fit();
  }, [fit]);
  const doPublish = useCallback(async () => {
    setPublishing(true);
    await autosave.flush();
    await publish();
    setPublishing(false);
  }, [autosave]);
  const importFile = useCallback(
    async (file: File) => {
      const result = await checkImport(await file.text());
      if (!result.ok) return setImportError({ title: result.title, issues: result.issues, file: file.name });
      useEditor.getState().replaceDoc(toCanvas(result.definition));
      toast('success', `Imported ${result.definition.nodes.length} nodes from ${file.name}`);
      fit();
    },
    [fit],
  );
  const applyStarter = useCallback(
    (s: Starter) => {
      useEditor.getState().replaceDoc(toCanvas(s.definition));
      fit();
    },
    [fit],
  );
  const exportJson = () => {
    const s = useEditor.getState();
    download(exportFileName(s.name), definitionToText(toDefinition(s)));
  };

  useShortcuts({
    save: () => void autosave.flush(),
    run: () => setRunOpen(true),
    publish: () => void doPublish(),
    help: () => setHelp(true),
    layout,
    toggleMinimap: () => setMinimap((m) => !m),
    closeMenus: () => setMenu(null),
  });

  const command = (cmd: Parameters<Parameters<typeof ContextMenu>[0]['onCommand']>[0]) => {
    const s = useEditor.getState();
    if (menu?.nodeId && !s.nodes.find((n) => n.id === menu.nodeId)?.selected) s.setSelection(new Set([menu.nodeId]));
    if (cmd === 'copy') copySelection();
    else if (cmd === 'cut') cutSelection();
    else if (cmd === 'paste') void pasteFromMenu();
    else if (cmd === 'duplicate') duplicateSelection();
    else if (cmd === 'delete') useEditor.getState().removeSelected();
    else if (cmd === 'layout') layout();
    else if (cmd === 'fit') fit();
    else if (cmd === 'selectAll') s.setSelection(new Set(s.nodes.map((n) => n.id)));
  };

  return (
    <div className="editor">
      <TopBar
        save={autosave}
        onImport={() => fileInput.current?.click()}
        onExport={exportJson}
        onLayout={layout}
        onHelp={() => setHelp(true)}
        onPublish={() => void doPublish()}
        onRun={() => setRunOpen(true)}
        onHistory={() => setHistoryOpen(true)}
        publishing={publishing}
      />
      <main className="editor-main">
        <Palette onAdd={(type) => addNode(type)} />
        <div className="canvas-wrap">
          <Canvas onMenu={setMenu} onFile={(f) => void importFile(f)} showMinimap={minimap} />
          <RunBar />
          <ConnectAnnouncer />
          <EmptyCanvas onStarter={applyStarter} />
          {menu && <ContextMenu menu={menu} onClose={() => setMenu(null)} onAdd={(type, at) => addNode(type, at)} onCommand={command} />}
        </div>
        <Inspector />
      </main>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
      <HelpDialog open={help} onClose={() => setHelp(false)} />
      <RunDialog open={runOpen} onClose={() => setRunOpen(false)} />
      <HistoryDialog open={historyOpen} onClose={() => setHistoryOpen(false)} />
      <ImportErrorDialog error={importError} onClose={() => setImportError(null)} />
      <Toasts />
    </div>
  );
}
