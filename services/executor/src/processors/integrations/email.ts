import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { renderTemplate } from '@weft/engine';
import { StepFailure, invalidInput } from '../../errors';
import type { AddressPolicy } from '../../http/address-policy';
import { ssrfRefusal } from '../../http/messages';
import type { NodeProcessor } from '../types';
import { optionalText, text } from './render';

/** SMTP reply codes 4xx are transient (try again later); 5xx are permanent. */
const isTransient = (err: { responseCode?: number; code?: string }) =>
  (err.responseCode !== undefined && err.responseCode >= 400 && err.responseCode < 500) ||
  ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET'].includes(err.code ?? '');

/**
 * When send_email insists on TLS: `public` (the default) for every SMTP server except local
 * hosts the operator's allow-list opens (a relay on the same machine or network); `always` for
 * those too.
 */
export type SmtpTlsRequirement = 'public' | 'always';

export interface SendEmailOptions {
  requireTls?: SmtpTlsRequirement;
  /** Extra trusted CA certificates (PEM) for the SMTP servers' TLS; the system's are trusted anyway. */
  ca?: string[];
}

/**
 * send_email over SMTP (nodemailer). The server's address is resolved and checked against the
 * same policy as HTTP steps, then dialled by IP with the original name for TLS (no rebinding).
 * TLS is required (implicit with smtps:, STARTTLS with smtp:, certificate verified) unless the
 * server is a local host opened by the allow-list: mail content and SMTP passwords do not
 * cross a network in clear text, and a server that does not offer STARTTLS is refused instead
 * of silently falling back to plain text.
 */
export function sendEmail(policy: AddressPolicy, options: SendEmailOptions = {}): NodeProcessor<'send_email'> {
  const requirement = options.requireTls ?? 'public';
  return async ({ config, context, budget, signal }) => {
    let url: URL;
    try {
      url = new URL(text(config, 'smtpUrl', context, budget));
    } catch {
      throw invalidInput('smtpUrl is not a valid URL (smtp://user:pass@host:587 or smtps://…:465)', { field: 'smtpUrl' });
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw invalidInput('smtpUrl must use smtp: or smtps:', { field: 'smtpUrl' });
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true }).catch(() => {
      throw new StepFailure('network_error', `Could not find the SMTP host ${host}: DNS has no address for it. Check smtpUrl.`, true);
    });
    for (const a of addresses) {
      const reason = policy.check(a.address);
      if (reason) throw new StepFailure('ssrf_blocked', ssrfRefusal(host, a.address, reason), false);
    }
    const secure = url.protocol === 'smtps:';
    const port = Number(url.port || (secure ? 465 : 587));
    const local = addresses.every((a) => policy.isAllowedLocal(a.address));
    const tlsRequired = secure || requirement === 'always' || !local;
    const transport = nodemailer.createTransport({
      host: addresses[0]!.address,
      port,
      secure,
      // STARTTLS or nothing: without it nodemailer would go on in plain text when the server
      // (or someone between) does not announce STARTTLS.
      requireTLS: tlsRequired,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      // SNI takes a name, never an IP literal; the certificate is checked against the name (or IP) in the URL.
      tls: { ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(options.ca ? { ca: options.ca } : {}) },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
    });
    const to = renderTemplate(config.to, context, budget);
    const abort = () => transport.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      const info = await transport.sendMail({
        from: text(config, 'from', context, budget),
        to: Array.isArray(to) ? to.map(String) : String(to),
        subject: text(config, 'subject', context, budget),
        ...(config.text !== undefined ? { text: optionalText(config, 'text', context, budget) } : {}),
        ...(config.html !== undefined ? { html: optionalText(config, 'html', context, budget) } : {}),
      });
      return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
    } catch (err) {
      if (err instanceof StepFailure) throw err;
      const e = err as { message?: string; responseCode?: number; code?: string; command?: string };
      if (tlsRequired && e.command === 'STARTTLS') {
        const why = secure || requirement === 'always' ? 'TLS is required for every SMTP server (WEFT_SMTP_REQUIRE_TLS=always)' : 'TLS is required for SMTP servers outside the local hosts of WEFT_HTTP_ALLOW_CIDRS';
        throw new StepFailure('smtp_tls_required', `SMTP server ${host}:${port} does not offer STARTTLS (${e.message ?? 'refused'}); ${why}: use a server that does, or smtps:// (implicit TLS)`, false, { responseCode: e.responseCode, code: e.code });
      }
      if (e.code === 'ETLS' || isCertificateError(err)) {
        throw new StepFailure('smtp_tls_failed', `SMTP TLS with ${host}:${port} failed: ${e.message ?? String(err)}`, false, { code: e.code });
      }
      throw new StepFailure('smtp_error', `SMTP: ${e.message ?? String(err)}`, isTransient(e), { responseCode: e.responseCode, code: e.code });
    } finally {
      signal.removeEventListener('abort', abort);
      transport.close();
    }
  };
}

/**
 * Node's certificate verification failures (self-signed, expired, wrong name, unknown CA):
 * nodemailer keeps Node's code as `originalCode` when it sets its own (`ESOCKET`).
 */
function isCertificateError(err: unknown): boolean {
  const { code, originalCode } = err as { code?: unknown; originalCode?: unknown };
  return [code, originalCode].some((c) => typeof c === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(c));
}
