// The platform's mailer lives in packages/mail (the executor sends alerts with it too).
export { devMailbox, smtpMailer } from '@weft/mail';
export type { Mail, Mailer } from '@weft/mail';
