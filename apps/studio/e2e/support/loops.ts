import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** trigger → for_each `each` over [1, 2, 3] (one item at a time) whose body is `start` → `inner`. */
export const loopOver = (inner: { id: string; type: string; config: object }) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 60 } },
    {
      id: 'each',
      type: 'for_each',
      position: { x: 300, y: 0 },
      config: {
        items: '`[1, 2, 3]`',
        concurrency: 1,
        body: {
          nodes: [
            { id: 'start', type: 'trigger', config: {}, position: { x: 24, y: 64 } },
            { ...inner, position: { x: 304, y: 64 } },
          ],
          edges: [{ source: 'start', target: inner.id }],
        },
      },
    },
  ],
  edges: [{ source: 'trigger', target: 'each' }],
});

/** A for_each whose body calls the echo server (not pure: each item runs as an iteration run). */
export const loopOverCalls = (echoUrl: string) => loopOver({ id: 'call', type: 'http_request', config: { method: 'GET', url: `${echoUrl}/echo`, query: { n: '{{ item }}' } } });

/** Runs the open workflow from the editor and waits for the loop to end. */
export async function runLoop(page: Page) {
  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');
}
