export { CHROMIUM_ARGS, ensureChromium, findChromium, installPlan } from './find';
export type { ChromiumLookup, ChromiumProbe, ChromiumSource, InstallAttempt, InstallRunner } from './find';
export { chromiumPath, runInstall, systemProbe } from './system';
