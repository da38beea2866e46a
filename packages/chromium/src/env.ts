import { z } from 'zod';

const EnvSchema = z.object({
  /** Path of the Chromium (or Chrome) binary to drive; when set, nothing else is looked for. */
  WEFT_CHROMIUM: z.string().trim().min(1).optional().catch(undefined),
  /** Searched for chromium, chromium-browser, google-chrome. */
  PATH: z.string().default(''),
});

/** The variables the finder reads, at the time it is asked (a caller may set WEFT_CHROMIUM first). */
export const chromiumEnv = () => EnvSchema.parse(process.env);

/** An installer's environment: this one, and apt never asking questions. */
export const installerEnv = (): NodeJS.ProcessEnv => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
