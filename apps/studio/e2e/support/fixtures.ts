import type { Locator, Page } from '@playwright/test';
import { expect, webAppTest } from '@weft/integration-tests/web-fixtures';
import type { WeftClient } from '@weft/sdk';

/** The studio's browser tests: signed in, under its CSP (the shared fixtures), with the echo server and the database. */
export const test = webAppTest('STUDIO_URL').extend<{ echoUrl: string; databaseUrl: string }>({
  /** Base URL of the local HTTP server standing in for the internet. */
  echoUrl: async ({}, use) => use(process.env.ECHO_URL!),
  /** The backend's database (to arrange rows no API call makes). */
  databaseUrl: async ({}, use) => use(process.env.WEFT_TEST_DATABASE_URL!),
});
export { expect };

/** The canvas node with this definition id. */
export const node = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Opens a workflow in the editor and waits until the canvas shows it. */
export async function openWorkflow(page: Page, id: string) {
  await page.goto(`/workflows/${id}`);
  // The first paint of the editor is the slowest step on a loaded 2-core machine.
  await expect(page.getByTestId('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('save-state')).toHaveText(/Saved/);
}

/** Drags a node type from the palette and drops it at a point of the page. */
export async function dragFromPalette(page: Page, type: string, to: { x: number; y: number }) {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: await relativeToCanvas(page, to) });
}

async function relativeToCanvas(page: Page, p: { x: number; y: number }) {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  return { x: p.x - box.x, y: p.y - box.y };
}

/** Draws an edge with the mouse, from a node's output (or named output) to another node's input. */
export async function connect(page: Page, source: string, target: string, handle?: string) {
  // (Without a handle: the plain output, not the error output most nodes also have.)
  const from = node(page, source).locator(handle ? `.react-flow__handle.source[data-handleid="${handle}"]` : '.react-flow__handle.source:not([data-handleid="error"])');
  const to = node(page, target).locator('.react-flow__handle.target');
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** The number of nodes on the canvas. */
export const nodeCount = (page: Page) => page.locator('.react-flow__node').count();

/** The definition saved on the server once the studio says "Saved". */
export async function savedDraft(page: Page, api: WeftClient, id: string) {
  await expect(page.getByTestId('save-state')).toHaveText(/Saved/);
  return (await api.getWorkflow(id)).draft;
}
