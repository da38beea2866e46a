/**
 * What the finder may look at, passed in (not read from globals) so that its decisions can be
 * tested on any machine: the system's probe is `systemProbe()` (system.ts).
 */
export interface ChromiumProbe {
  /** `WEFT_CHROMIUM`: a Chromium the user chose; when set, nothing else is tried. */
  override: string | undefined;
  /** Directories of `PATH`, in order. */
  pathDirs: readonly string[];
  platform: NodeJS.Platform;
  /** Whether installing system packages is allowed (root: uid 0). */
  isRoot: boolean;
  /** Whether `path` is a file this process may execute. */
  isExecutable(path: string): boolean;
  /** Whether `path` exists (e.g. /etc/debian_version, apt-get). */
  exists(path: string): boolean;
  /** Where Playwright's own Chromium for its version lives (downloaded or not); undefined without playwright-core. */
  playwrightExecutable(): string | undefined;
  /** Playwright's CLI script (`cli.js` of playwright-core), to install that Chromium; undefined without it. */
  playwrightCli(): string | undefined;
}

export type ChromiumSource = 'WEFT_CHROMIUM' | 'system' | 'playwright';

export type ChromiumLookup =
  | { found: true; path: string; source: ChromiumSource }
  /** `line`: one line saying what is missing and what to do. `explicit`: WEFT_CHROMIUM named it (nothing to install). */
  | { found: false; line: string; explicit: boolean };

/** The flags Chromium needs here (docs: environment.md, Browsers): without the networking ones it stalls on refused connections. */
export const CHROMIUM_ARGS: readonly string[] = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const UNIX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Where each platform's packages put a Chromium or Chrome, most likely first. */
function systemCandidates(probe: ChromiumProbe): string[] {
  switch (probe.platform) {
    case 'darwin':
      return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
    case 'win32':
      return ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'];
    default: {
      const fixed = UNIX_NAMES.map((name) => `/usr/bin/${name}`);
      const onPath = probe.pathDirs.flatMap((dir) => UNIX_NAMES.map((name) => `${dir.replace(/\/$/, '')}/${name}`));
      return [...new Set([...fixed, ...onPath])];
    }
  }
}

/** What to run to get a Chromium on this machine, in the order to try. */
export interface InstallAttempt {
  label: string;
  commands: { cmd: string; args: string[] }[];
}

/** Ways to install a Chromium here: Debian's package as root where apt exists, then Playwright's download. */
export function installPlan(probe: ChromiumProbe): InstallAttempt[] {
  if (probe.override) return [];
  const plan: InstallAttempt[] = [];
  if (probe.platform === 'linux' && probe.isRoot && probe.exists('/usr/bin/apt-get') && probe.exists('/etc/debian_version')) {
    plan.push({ label: 'apt-get install -y chromium', commands: [{ cmd: 'apt-get', args: ['update'] }, { cmd: 'apt-get', args: ['install', '-y', 'chromium'] }] });
  }
  const cli = probe.playwrightCli();
  if (cli) plan.push({ label: 'playwright install chromium', commands: [{ cmd: process.execPath, args: [cli, 'install', '--no-shell', 'chromium'] }] });
  return plan;
}

/** The commands that give a Chromium on this platform, for the line printed when none is found. */
function howToInstall(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '`brew install --cask chromium` or `npx playwright install chromium`';
  if (platform === 'win32') return 'the Google Chrome installer or `npx playwright install chromium`';
  return '`apt-get install -y chromium` (Debian/Ubuntu, as root) or `npx playwright install chromium`';
}

/**
 * Finds the Chromium the browser tests and the studio bench drive: WEFT_CHROMIUM if set (and only
 * it), else the system's, else Playwright's own download.
 */
export function findChromium(probe: ChromiumProbe): ChromiumLookup {
  if (probe.override) {
    if (probe.isExecutable(probe.override)) return { found: true, path: probe.override, source: 'WEFT_CHROMIUM' };
    return {
      found: false,
      explicit: true,
      line: `WEFT_CHROMIUM=${probe.override} is not an executable file: point it at a Chromium or Chrome binary, or unset it to use the system's Chromium (install one with ${howToInstall(probe.platform)}).`,
    };
  }
  const system = systemCandidates(probe).find((p) => probe.isExecutable(p));
  if (system) return { found: true, path: system, source: 'system' };
  const bundled = probe.playwrightExecutable();
  if (bundled && probe.isExecutable(bundled)) return { found: true, path: bundled, source: 'playwright' };
  return {
    found: false,
    explicit: false,
    line: `No Chromium found for the browser tests (looked for ${probe.platform === 'linux' ? 'chromium, chromium-browser and google-chrome in /usr/bin and on PATH' : 'Chrome and Chromium'}, and Playwright's own): install one with ${howToInstall(probe.platform)}, or set WEFT_CHROMIUM to its path.`,
  };
}

/** Runs one install attempt; answers whether every command exited 0. */
export type InstallRunner = (attempt: InstallAttempt) => Promise<boolean>;

/**
 * findChromium, and when nothing is found (and WEFT_CHROMIUM does not name a path), each install
 * attempt in turn until one gives a Chromium. `log` gets one line per attempt.
 */
export async function ensureChromium(probe: ChromiumProbe, run: InstallRunner, log: (line: string) => void): Promise<ChromiumLookup> {
  const first = findChromium(probe);
  if (first.found || first.explicit) return first;
  const tried: string[] = [];
  for (const attempt of installPlan(probe)) {
    log(`• No Chromium found: trying ${attempt.label}`);
    tried.push(`${attempt.label} ${(await run(attempt)) ? 'gave none' : 'failed'}`);
    const again = findChromium(probe);
    if (again.found) return again;
  }
  return tried.length ? { ...first, line: `${first.line} (Tried: ${tried.join('; ')}.)` } : first;
}
