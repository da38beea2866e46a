import type { Issue } from '@weft/workflow-schema';
import { configStrings, templateNodes } from './nodes';

/** Known credential shapes: a literal matching one is refused at publish. */
const KEY_PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'a Stripe secret key', re: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/ },
  { name: 'a GitHub token', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/ },
  { name: 'a Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'a Slack webhook URL', re: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { name: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { name: 'a PEM private key', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { name: 'an OpenAI-style API key', re: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/ },
  { name: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'a URL with a password', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@{}]+:[^\s/@{}]+@/i },
];

/** Tokens at least this long are tested for entropy (characters). */
export const MIN_ENTROPY_TOKEN = 24;
/** Shannon entropy per character above which a long token looks random, i.e. like a key (bits). */
export const ENTROPY_THRESHOLD = 4.0;

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Why `text` looks like a credential (its `{{ … }}` parts are not literals), or undefined. */
export function credentialLooking(text: string): string | undefined {
  const literal = text.replace(/\{\{[\s\S]*?\}\}/g, ' ');
  for (const p of KEY_PATTERNS) if (p.re.test(literal)) return p.name;
  for (const token of literal.split(/[^A-Za-z0-9+_=-]+/)) {
    // Random keys mix letters and digits; long words, identifiers and numbers do not reach the threshold.
    if (token.length >= MIN_ENTROPY_TOKEN && /[0-9]/.test(token) && /[A-Za-z]/.test(token) && shannonEntropy(token) >= ENTROPY_THRESHOLD) {
      return 'a high-entropy string (a key or token?)';
    }
  }
  return undefined;
}

/**
 * Every literal in the definition's node configs that looks like a credential: one issue per
 * string, naming the node and the path inside its config. A template carries `{{ secrets.NAME }}`
 * instead, mapped to the installer's own secret.
 */
export function credentialLiterals(definition: unknown): Issue[] {
  const issues: Issue[] = [];
  for (const node of templateNodes(definition)) {
    for (const s of configStrings(node.config)) {
      const what = credentialLooking(s.text);
      if (what) {
        issues.push({ nodeId: node.id, path: `config.${s.path}`, code: 'credential_literal', message: `this literal looks like ${what}: use {{ secrets.NAME }} and publish the secret as a credential slot` });
      }
    }
  }
  return issues;
}
