export { devMailbox, smtpMailer } from './mailer';
export type { Mail, Mailer } from './mailer';
