/** Runs once when the server starts: a bad environment stops it at boot, with every variable named. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') (await import('./env')).env();
}
