import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { renderTemplate } from '@weft/engine';
import { StepFailure, invalidInput } from '../../errors';
import type { AddressPolicy } from '../../http/address-policy';
import type { NodeProcessor } from '../types';
import { optionalText, text } from './render';

/** SMTP reply codes 4xx are transient (try again later); 5xx are permanent. */
const isTransient = (err: { responseCode?: number; code?: string }) =>
  (err.responseCode !== undefined && err.responseCode >= 400 && err.responseCode < 500) ||
  ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET'].includes(err.code ?? '');

/**
 * send_email over SMTP (nodemailer). The server's address is resolved and checked against the
 * same policy as HTTP steps, then dialled by IP with the original name for TLS (no rebinding).
 */
export function sendEmail(policy: AddressPolicy): NodeProcessor {
  return async ({ config, context, signal }) => {
    let url: URL;
    try {
      url = new URL(text(config, 'smtpUrl', context));
    } catch {
      throw invalidInput('smtpUrl is not a valid URL (smtp://user:pass@host:587 or smtps://…:465)', { field: 'smtpUrl' });
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw invalidInput('smtpUrl must use smtp: or smtps:', { field: 'smtpUrl' });
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true }).catch(() => {
      throw new StepFailure('network_error', `cannot resolve SMTP host ${host}`, true);
    });
    for (const a of addresses) {
      const reason = policy.check(a.address);
      if (reason) throw new StepFailure('ssrf_blocked', `refused to connect to ${host}: ${reason}`, false);
    }
    const secure = url.protocol === 'smtps:';
    const transport = nodemailer.createTransport({
      host: addresses[0]!.address,
      port: Number(url.port || (secure ? 465 : 587)),
      secure,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      tls: { servername: host },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
    });
    const to = renderTemplate(config.to, context);
    const abort = () => transport.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      const info = await transport.sendMail({
        from: text(config, 'from', context),
        to: Array.isArray(to) ? to.map(String) : String(to),
        subject: text(config, 'subject', context),
        ...(config.text !== undefined ? { text: optionalText(config, 'text', context) } : {}),
        ...(config.html !== undefined ? { html: optionalText(config, 'html', context) } : {}),
      });
      return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
    } catch (err) {
      if (err instanceof StepFailure) throw err;
      const e = err as { message?: string; responseCode?: number; code?: string };
      throw new StepFailure('smtp_error', `SMTP: ${e.message ?? String(err)}`, isTransient(e), { responseCode: e.responseCode, code: e.code });
    } finally {
      signal.removeEventListener('abort', abort);
      transport.close();
    }
  };
}
