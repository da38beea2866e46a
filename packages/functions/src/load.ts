import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RegisteredFunction } from './define';

/**
 * Loads every `*.ts` / `*.js` / `*.mjs` file of a folder whose default export is a function made
 * with `defineFunction`. Operators add functions by dropping files there; services load them at
 * start. A missing folder means no functions; a broken file or a duplicate name stops the start.
 */
export async function loadFunctions(dir: string): Promise<Map<string, RegisteredFunction>> {
  const out = new Map<string, RegisteredFunction>();
  const root = resolve(dir);
  let files: string[];
  try {
    files = readdirSync(root).filter((f) => /\.(ts|js|mjs)$/.test(f) && !/\.(test|d)\.ts$/.test(f)).sort();
  } catch {
    return out;
  }
  for (const file of files) {
    const path = join(root, file);
    if (!statSync(path).isFile()) continue;
    const mod = (await import(pathToFileURL(path).href)) as { default?: RegisteredFunction };
    const fn = mod.default;
    if (!fn || typeof fn.handler !== 'function' || typeof fn.name !== 'string' || !fn.args) {
      throw new Error(`${path}: the default export must be defineFunction({ name, description, args, handler })`);
    }
    if (out.has(fn.name)) throw new Error(`${path}: a function named "${fn.name}" is already registered`);
    out.set(fn.name, fn);
  }
  return out;
}
