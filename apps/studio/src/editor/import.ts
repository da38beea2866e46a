import { api, errorMessage } from '../lib/api';
import type { ImportResult } from '../lib/parse-workflow-file';

/**
 * Reads and checks a workflow file: JSON and shape here, then the API's full validation. The shape
 * check (Zod) is loaded when a file is imported, not with the editor.
 */
export async function checkImport(text: string): Promise<ImportResult> {
  const parsed = (await import('../lib/parse-workflow-file')).parseWorkflowFile(text);
  if (!parsed.ok) return parsed;
  try {
    const answer = await api.validate(parsed.definition);
    if (!answer.valid) return { ok: false, title: 'The workflow in the file has problems', issues: answer.errors };
  } catch (err) {
    return { ok: false, title: 'The file could not be checked', issues: [{ path: '', code: 'unavailable', message: errorMessage(err) }] };
  }
  return parsed;
}
