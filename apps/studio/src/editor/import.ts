import { api, errorMessage } from '../lib/api';
import { parseWorkflowFile, type ImportResult } from '../lib/import-export';

/** Reads and checks a workflow file: JSON and shape here, then the API's full validation. */
export async function checkImport(text: string): Promise<ImportResult> {
  const parsed = parseWorkflowFile(text);
  if (!parsed.ok) return parsed;
  try {
    const answer = await api.validate(parsed.definition);
    if (!answer.valid) return { ok: false, title: 'The workflow in the file has problems', issues: answer.errors };
  } catch (err) {
    return { ok: false, title: 'The file could not be checked', issues: [{ path: '', code: 'unavailable', message: errorMessage(err) }] };
  }
  return parsed;
}
