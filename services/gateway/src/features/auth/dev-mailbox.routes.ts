import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { rows } from '@weft/run-store';
import type { Resources } from '../../resources';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The text with its http(s) links clickable (the text is escaped first). */
const linkify = (text: string) => escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/**
 * GET /dev/mailbox: the messages the gateway "sent" in development (no SMTP), newest first, as a
 * plain HTML page (no script or style: the API's CSP applies). Registered only when
 * WEFT_DEV_MAILBOX=true (`npm start` sets it); public like any local mail catcher, so never on a
 * real installation.
 */
export const devMailboxRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/dev/mailbox', {
      config: { access: 'public' },
      schema: { hide: true },
    }, async (_req, reply) => {
      const mails = await rows<{ to_address: string; subject: string; text: string; created_at: Date }>(
        res.db.pool,
        `SELECT to_address, subject, text, created_at FROM dev_mailbox ORDER BY created_at DESC, id DESC LIMIT 50`,
      );
      const items = mails.map((m) => `<article><h2>${escapeHtml(m.subject)}</h2><p>To <b>${escapeHtml(m.to_address)}</b> · ${m.created_at.toISOString()}</p><pre>${linkify(m.text)}</pre></article><hr>`);
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weft development mailbox</title></head><body><h1>Development mailbox</h1><p>Messages Weft would have emailed (no SMTP configured), newest first.</p>${items.join('') || '<p>No messages yet.</p>'}</body></html>`;
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    });
  };
