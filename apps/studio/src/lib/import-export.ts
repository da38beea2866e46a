import type { WorkflowDefinition } from '@weft/workflow-schema';

/** Pretty JSON, the way an export is written. */
export function definitionToText(def: WorkflowDefinition): string {
  return `${JSON.stringify(def, null, 2)}\n`;
}

/** A file name for an export: the workflow's name in kebab case. */
export function exportFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workflow';
  return `${slug}.weft.json`;
}

/** Starts a browser download of `text`. */
export function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
