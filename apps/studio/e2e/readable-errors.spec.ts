import { createServer } from 'node:net';
import { expect, node, openWorkflow, test } from './support/fixtures';

// Several runs and page loads each: given the time of a loaded 2-core machine (no timing is asserted).
test.slow();

/** A loopback port nothing listens on (the backend allows loopback: the echo server lives there). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const oneCall = (url: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
    { id: 'fetch', type: 'http_request', config: { method: 'GET', url }, position: { x: 300, y: 0 } },
    { id: 'after', type: 'transform', config: { expression: 'steps.fetch.output.status' }, position: { x: 600, y: 0 } },
  ],
  edges: [
    { source: 'trigger', target: 'fetch' },
    { source: 'fetch', target: 'after' },
  ],
});

test('an SSRF refusal reads as a deliberate protection, and the run error as text; the Run tab opens by itself and the banner counts every node', async ({ page, api }) => {
  // A link-local literal (the cloud metadata address): refused before any packet is sent.
  const wf = await api.createWorkflow({ name: 'Blocked call', definition: oneCall('http://169.254.169.254/latest/meta-data') });
  await openWorkflow(page, wf.id);
  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-bar')).toContainText('failed');
  // Three nodes: the trigger and fetch done, `after` skipped (or never reached): counted out of 3, not out of the steps made.
  await expect(page.getByTestId('run-bar')).toContainText(/\d\/3 steps done/);

  // The inspector shows the run without a click on the Run tab.
  await expect(page.getByTestId('tab-run')).toHaveAttribute('aria-selected', 'true');
  const runError = page.getByTestId('run-error');
  await expect(runError).toContainText('node "fetch" failed: Blocked on purpose: 169.254.169.254 is not a public address');
  await expect(runError).not.toContainText('\\"');
  await expect(runError).not.toContainText('{');

  await node(page, 'fetch').click();
  const stepError = page.getByTestId('step-error');
  await expect(stepError.locator('.error-message')).toHaveText(/^Blocked on purpose: 169\.254\.169\.254 is not a public address \(169\.254\.169\.254 is a linkLocal address\)\./);
  await expect(stepError).toContainText('SSRF protection');
  await expect(stepError).toContainText('WEFT_HTTP_ALLOW_CIDRS=169.254.169.254/32');
  await expect(stepError.locator('.error-meta')).toContainText('ssrf_blocked');
  // No line of the box starts with a stray ": ".
  const text = await stepError.innerText();
  expect(text.split('\n').some((line) => line.trim().startsWith(':'))).toBe(false);
});

test('a refused connection is told in words with the URL it called', async ({ page, api }) => {
  const port = await closedPort();
  const wf = await api.createWorkflow({ name: 'Refused call', definition: oneCall(`http://127.0.0.1:${port}/hook?token=abc`) });
  await openWorkflow(page, wf.id);
  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-bar')).toContainText('failed', { timeout: 60_000 });
  await node(page, 'fetch').click();
  const message = page.getByTestId('step-error').locator('.error-message');
  await expect(message).toHaveText(`The connection to 127.0.0.1:${port} at 127.0.0.1:${port} was refused (ECONNREFUSED): nothing is listening on that port. GET http://127.0.0.1:${port}/hook?…`);
  await expect(page.getByTestId('step-error')).toContainText('retryable');
});
