import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** A for_each whose body calls the echo server (not pure: each item runs as an iteration run). */
export const loopOverCalls = (echoUrl: string) => ({
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
            { id: 'call', type: 'http_request', config: { method: 'GET', url: `${echoUrl}/echo`, query: { n: '{{ item }}' } }, position: { x: 304, y: 64 } },
          ],
          edges: [{ source: 'start', target: 'call' }],
        },
      },
    },
  ],
  edges: [{ source: 'trigger', target: 'each' }],
});

/** Runs the open workflow from the editor and waits for the loop to end. */
export async function runLoop(page: Page) {
  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');
}
