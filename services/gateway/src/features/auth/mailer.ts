import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import nodemailer from 'nodemailer';
import type { Pool } from 'pg';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends sign-in messages. */
export interface Mailer {
  /** Where messages go, for logs and the startup banner: `smtp` or `dev-mailbox`. */
  readonly kind: 'smtp' | 'dev-mailbox';
  send(mail: Mail): Promise<void>;
}

/** Sends through an SMTP server (nodemailer), e.g. `smtp://user:pass@smtp.example.com:587` or `smtps://…:465`. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
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
