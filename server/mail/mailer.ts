// Outgoing e-mail (password resets now; the e-mail channel later has its own accounts). SMTP only,
// configured by SMTP_URL; without it, sending fails with a clear error rather than pretending.
import nodemailer, { type Transporter } from 'nodemailer';
import { DomainError } from '../errors.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  let transport: Transporter | undefined;
  return {
    async send(mail) {
      if (!smtpUrl) throw new DomainError('mail_unavailable', 'E-mail is not configured (set SMTP_URL)');
      transport ??= nodemailer.createTransport(smtpUrl);
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      } catch (err) {
        throw new DomainError('mail_unavailable', `The mail server did not accept the message: ${(err as Error).message}`);
      }
    },
    close() {
      transport?.close();
    },
  };
}
