import { renderTemplate } from '@weft/engine';
import { invalidInput } from '../../errors';
import type { StepHttpClient } from '../../http/client';
import { assertOk } from '../http-request';
import type { NodeProcessor } from '../types';
import { join, text } from './render';

/** google_sheets_append: spreadsheets.values.append (Sheets API v4). */
export function googleSheetsAppend(http: StepHttpClient, apiUrl: string): NodeProcessor<'google_sheets_append'> {
  return async ({ config, context, budget, signal, ids, connection }) => {
    const values = renderTemplate(config.values, context, budget);
    if (!Array.isArray(values) || !values.every(Array.isArray)) throw invalidInput('values must render to an array of rows (arrays)', { field: 'values' });
    const id = encodeURIComponent(text(config, 'spreadsheetId', context, budget));
    const range = encodeURIComponent(text(config, 'range', context, budget));
    const token = connection?.accessToken ?? text(config, 'accessToken', context, budget);
    const url = `${join(apiUrl, `v4/spreadsheets/${id}/values/${range}:append`)}?valueInputOption=${config.valueInputOption}&insertDataOption=INSERT_ROWS`;
    const res = await http.send({
      orgId: ids.orgId,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ majorDimension: 'ROWS', values }),
      signal,
    });
    assertOk(res, 'sheets.googleapis.com', (b) => (b as { error?: { status?: string; message?: string } })?.error?.message);
    const body = res.body as { spreadsheetId?: string; updates?: { updatedRange?: string; updatedRows?: number; updatedCells?: number } };
    return { spreadsheetId: body.spreadsheetId, updatedRange: body.updates?.updatedRange, updatedRows: body.updates?.updatedRows ?? 0, updatedCells: body.updates?.updatedCells ?? 0 };
  };
}
