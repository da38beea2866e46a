import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { chromiumEnv, installerEnv } from './env';
import { findChromium, type ChromiumProbe, type InstallAttempt } from './find';

const require = createRequire(import.meta.url);

/** This machine: its environment, file system and Playwright install. */
export function systemProbe(): ChromiumProbe {
  const env = chromiumEnv();
  return {
    override: env.WEFT_CHROMIUM,
    pathDirs: env.PATH.split(delimiter).filter(Boolean),
    platform: process.platform,
    isRoot: process.getuid?.() === 0,
    isExecutable: (path) => {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    exists: existsSync,
    playwrightExecutable: () => {
      try {
        // playwright-core's registry knows where its Chromium build goes (~/.cache/ms-playwright/…).
        const { chromium } = require('playwright-core') as typeof import('playwright-core');
        return chromium.executablePath();
      } catch {
        return undefined;
      }
    },
    playwrightCli: () => {
      try {
        return join(dirname(require.resolve('playwright-core/package.json')), 'cli.js');
      } catch {
        return undefined;
      }
    },
  };
}

/** An installer can take a while (apt, a 170 MB download) but never forever. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs an install attempt's commands in turn, their output kept out of the way (an installer prints
 * hundreds of lines); a failure shows its last lines. Answers whether every command exited 0.
 */
export async function runInstall(attempt: InstallAttempt, log: (line: string) => void = console.log): Promise<boolean> {
  for (const { cmd, args } of attempt.commands) {
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: installerEnv(), timeout: INSTALL_TIMEOUT_MS });
      let tail = '';
      const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('error', (err) => {
        log(`  ${cmd}: ${err.message}`);
        resolve(false);
      });
      child.on('close', (code) => {
        // The last lines that say something (not a stack trace's "at …" frames).
        const said = tail.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
        if (code !== 0) log(`  ${[cmd, ...args].join(' ')} exited ${code}: ${said.slice(-2).join(' / ')}`);
        resolve(code === 0);
      });
    });
    if (!ok) return false;
  }
  return true;
}

/** This machine's Chromium (WEFT_CHROMIUM, the system's, Playwright's), or an Error whose message says what to install. */
export function chromiumPath(): string {
  const found = findChromium(systemProbe());
  if (!found.found) throw new Error(found.line);
  return found.path;
}
