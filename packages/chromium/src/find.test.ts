import { describe, expect, it } from 'vitest';
import { ensureChromium, findChromium, installPlan, type ChromiumProbe, type InstallAttempt } from './find';

const PLAYWRIGHT = '/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';

/** A machine made of the files it has: `executables` exist and run, `files` only exist. */
function machine(o: { override?: string; executables?: string[]; files?: string[]; platform?: NodeJS.Platform; root?: boolean; path?: string[]; playwright?: boolean } = {}) {
  const executables = new Set(o.executables ?? []);
  const files = new Set([...(o.files ?? []), ...executables]);
  const probe: ChromiumProbe = {
    override: o.override,
    pathDirs: o.path ?? ['/usr/local/bin', '/usr/bin'],
    platform: o.platform ?? 'linux',
    isRoot: o.root ?? false,
    isExecutable: (p) => executables.has(p),
    exists: (p) => files.has(p),
    playwrightExecutable: () => (o.playwright === false ? undefined : PLAYWRIGHT),
    playwrightCli: () => (o.playwright === false ? undefined : '/repo/node_modules/playwright-core/cli.js'),
  };
  return { probe, install: (path: string) => executables.add(path) };
}

const DEBIAN_ROOT = { root: true, files: ['/usr/bin/apt-get', '/etc/debian_version'] };

describe('findChromium', () => {
  it('takes WEFT_CHROMIUM when it names an executable, before the system\'s', () => {
    const { probe } = machine({ override: '/opt/chrome/chrome', executables: ['/opt/chrome/chrome', '/usr/bin/chromium'] });
    expect(findChromium(probe)).toEqual({ found: true, path: '/opt/chrome/chrome', source: 'WEFT_CHROMIUM' });
  });

  it('refuses a WEFT_CHROMIUM that names nothing, in one line, without falling back to another browser', () => {
    const { probe } = machine({ override: '/nonexistent', executables: ['/usr/bin/chromium'] });
    const r = findChromium(probe);
    expect(r).toMatchObject({ found: false, explicit: true });
    expect(!r.found && r.line).toMatch(/^WEFT_CHROMIUM=\/nonexistent is not an executable file: .*apt-get install -y chromium/);
    expect(!r.found && r.line).not.toContain('\n');
  });

  it("finds the system's Chromium, then Chrome on PATH, then Playwright's own", () => {
    expect(findChromium(machine({ executables: ['/usr/bin/chromium', PLAYWRIGHT] }).probe)).toMatchObject({ path: '/usr/bin/chromium', source: 'system' });
    expect(findChromium(machine({ executables: ['/opt/google/bin/google-chrome'], path: ['/opt/google/bin'] }).probe)).toMatchObject({ path: '/opt/google/bin/google-chrome', source: 'system' });
    expect(findChromium(machine({ executables: [PLAYWRIGHT] }).probe)).toEqual({ found: true, path: PLAYWRIGHT, source: 'playwright' });
  });

  it("does not take a file that exists but cannot run, nor Playwright's Chromium before it is downloaded", () => {
    const r = findChromium(machine({ files: ['/usr/bin/chromium'] }).probe);
    expect(r).toMatchObject({ found: false, explicit: false });
    expect(!r.found && r.line).toMatch(/^No Chromium found .*apt-get install -y chromium.*npx playwright install chromium.*WEFT_CHROMIUM/);
  });

  it("looks where macOS puts Chrome and Chromium", () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findChromium(machine({ platform: 'darwin', executables: [chrome] }).probe)).toMatchObject({ path: chrome, source: 'system' });
    const none = findChromium(machine({ platform: 'darwin', playwright: false }).probe);
    expect(!none.found && none.line).toContain('brew install --cask chromium');
  });
});

describe('installPlan', () => {
  it("plans Debian's package as root where apt exists, then Playwright's download", () => {
    expect(installPlan(machine(DEBIAN_ROOT).probe).map((a) => a.label)).toEqual(['apt-get install -y chromium', 'playwright install chromium']);
    expect(installPlan(machine(DEBIAN_ROOT).probe)[0]!.commands).toEqual([{ cmd: 'apt-get', args: ['update'] }, { cmd: 'apt-get', args: ['install', '-y', 'chromium'] }]);
  });

  it('plans no system package without root, apt or Debian, and nothing at all for an explicit WEFT_CHROMIUM', () => {
    expect(installPlan(machine({ files: ['/usr/bin/apt-get', '/etc/debian_version'] }).probe).map((a) => a.label)).toEqual(['playwright install chromium']);
    expect(installPlan(machine({ root: true }).probe).map((a) => a.label)).toEqual(['playwright install chromium']);
    expect(installPlan(machine({ ...DEBIAN_ROOT, platform: 'darwin' }).probe).map((a) => a.label)).toEqual(['playwright install chromium']);
    expect(installPlan(machine({ ...DEBIAN_ROOT, playwright: false }).probe).map((a) => a.label)).toEqual(['apt-get install -y chromium']);
    expect(installPlan(machine({ ...DEBIAN_ROOT, override: '/nonexistent' }).probe)).toEqual([]);
  });
});

describe('ensureChromium', () => {
  const quiet = () => undefined;

  it('installs nothing when a Chromium is there', async () => {
    const ran: string[] = [];
    const r = await ensureChromium(machine({ ...DEBIAN_ROOT, executables: ['/usr/bin/chromium'] }).probe, async (a) => (ran.push(a.label), true), quiet);
    expect(r).toMatchObject({ found: true, path: '/usr/bin/chromium' });
    expect(ran).toEqual([]);
  });

  it("stops at the first install that gives a Chromium", async () => {
    const m = machine(DEBIAN_ROOT);
    const ran: string[] = [];
    const log: string[] = [];
    const r = await ensureChromium(m.probe, async (a: InstallAttempt) => (ran.push(a.label), m.install('/usr/bin/chromium'), true), (l) => log.push(l));
    expect(r).toEqual({ found: true, path: '/usr/bin/chromium', source: 'system' });
    expect(ran).toEqual(['apt-get install -y chromium']);
    expect(log).toEqual(['• No Chromium found: trying apt-get install -y chromium']);
  });

  it("falls back to Playwright's download when apt fails", async () => {
    const m = machine(DEBIAN_ROOT);
    const r = await ensureChromium(m.probe, async (a) => (a.label.startsWith('playwright') ? (m.install(PLAYWRIGHT), true) : false), quiet);
    expect(r).toEqual({ found: true, path: PLAYWRIGHT, source: 'playwright' });
  });

  it('answers one line naming what to install and what was tried when every attempt fails', async () => {
    const r = await ensureChromium(machine(DEBIAN_ROOT).probe, async (a) => a.label.startsWith('apt'), quiet);
    expect(r.found).toBe(false);
    const line = !r.found ? r.line : '';
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^No Chromium found .*apt-get install -y chromium.*\(Tried: apt-get install -y chromium gave none; playwright install chromium failed\.\)$/);
  });

  it('tries no installer for a WEFT_CHROMIUM that names nothing', async () => {
    const ran: string[] = [];
    const r = await ensureChromium(machine({ ...DEBIAN_ROOT, override: '/nonexistent' }).probe, async (a) => (ran.push(a.label), true), quiet);
    expect(r).toMatchObject({ found: false, explicit: true });
    expect(ran).toEqual([]);
  });
});
