import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import nodemailer from 'nodemailer';
import type { Pool } from 'pg';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends the platform's own messages: sign-in links (gateway) and alerts (executor). */
export interface Mailer {
  /** Where messages go, for logs and the startup banner: `smtp` or `dev-mailbox`. */
  readonly kind: 'smtp' | 'dev-mailbox';
  /** Resolves with the SMTP server's reply code when there is one (250 for an accepted message). */
  send(mail: Mail): Promise<{ code?: number } | void>;
}

/** Sends through an SMTP server (nodemailer), e.g. `smtp://user:pass@smtp.example.com:587` or `smtps://…:465`. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      const code = Number.parseInt(String(info.response ?? ''), 10);
      return Number.isNaN(code) ? {} : { code };
    },
  };
}

/**
 * Development without SMTP: messages are stored in Postgres (`dev_mailbox`) and listed at
 * GET /dev/mailbox, so that `npm start` signs in offline. Never used when SMTP is configured.
 */
export function devMailbox(pool: Pool, logger: Logger): Mailer {
  return {
    kind: 'dev-mailbox',
    async send(mail) {
      await pool.query(`INSERT INTO dev_mailbox (id, to_address, subject, text) VALUES ($1, $2, $3, $4)`, [newId(), mail.to, mail.subject, mail.text]);
      logger.info({ to: mail.to, subject: mail.subject }, 'message stored in the development mailbox (GET /dev/mailbox)');
    },
  };
}
