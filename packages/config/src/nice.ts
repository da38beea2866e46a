import { getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to `nice` (never raises it: that would need a privilege).
 * Returns the niceness in effect, or an error message when the system refused.
 */
export function lowerPriority(nice: number): { nice: number } | { error: string } {
  try {
    if (nice > getPriority()) setPriority(nice);
    return { nice: getPriority() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
