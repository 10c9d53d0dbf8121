/** A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps what it receives. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from?: string;
  to: string[];
  user?: string;
  /** The raw message, quoted-printable soft line breaks joined. */
  data: string;
}

export interface Mailbox {
  port: number;
  received: ReceivedMail[];
  /** Resolves with the first message to `address` received after `since` messages, or fails. */
  waitFor: (address: string, since?: number) => Promise<ReceivedMail>;
  close: () => Promise<void>;
}

export const SMTP_USER = 'cms';
export const SMTP_PASSWORD = 'smtp-secret';

/** `onMail`: called with each message as it arrives (e.g. to keep it where another process reads it). */
export async function startMailbox(onMail?: (mail: ReceivedMail) => void): Promise<Mailbox> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          user: session.user as string | undefined,
          data: Buffer.concat(chunks)
            .toString('utf8')
            .replace(/=\r?\n/g, ''),
        };
        received.push(mail);
        onMail?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  let closed = false;

  async function waitFor(address: string, since = 0): Promise<ReceivedMail> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const mail = received.slice(since).find((candidate) => candidate.to.includes(address));
      if (mail) return mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no mail to ${address} within 5 s (${received.length} received)`);
  }

  return {
    port,
    received,
    waitFor,
    close: () =>
      closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            closed = true;
            server.close(() => resolve());
          }),
  };
}

/** The environment that points Strapi at `mailbox`. */
export const smtpEnv = (mailbox: Mailbox) => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(mailbox.port),
  SMTP_USER,
  SMTP_PASSWORD,
  EMAIL_FROM: 'Inter-Actions <cms@example.test>',
});

/** Decodes the quoted-printable `=XX` sequences of a message body (UTF-8). */
export function decodeQuotedPrintable(data: string): string {
  return Buffer.from(
    data.replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
