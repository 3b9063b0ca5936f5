import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (nodemailer's smtp-server) on a free loopback port, keeping every message it accepts, parsed
 * (mailparser). For tests of what Guidepost sends: the mailer speaks SMTP to it exactly as to a provider's server.
 * `refuse` makes it answer the next messages with an error (550 to DATA unless told otherwise), until `refuse(false)`.
 */
export interface SmtpSink {
  url: string;
  messages: ParsedMail[];
  /** The next message sent to `to`, waiting for it up to `timeoutMs`. */
  next(to: string, options?: { subject?: string | RegExp; timeoutMs?: number }): Promise<ParsedMail>;
  /** true: 550 to DATA; or the reply code and the command that gets it (451 to RCPT TO is a temporary refusal). */
  refuse(on: boolean | Refusal): void;
  close(): Promise<void>;
}

export interface Refusal {
  code: number;
  at: 'rcpt' | 'data';
}

const refusal = (code: number) => Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let refusing: Refusal | undefined;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: the test machine has no certificate to offer.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refusing?.at === 'rcpt') callback(refusal(refusing.code));
      else callback();
    },
    onData(stream, _session, callback) {
      if (refusing?.at === 'data') {
        const { code } = refusing;
        stream.resume();
        stream.on('end', () => callback(refusal(code)));
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          messages.push(parsed);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const matches = (message: ParsedMail, to: string, subject?: string | RegExp) =>
    message.to !== undefined &&
    (Array.isArray(message.to) ? message.to : [message.to]).some((address) => address.value.some((entry) => entry.address === to)) &&
    (subject === undefined || (typeof subject === 'string' ? message.subject === subject : subject.test(message.subject ?? '')));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async next(to, { subject, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((message) => matches(message, to, subject));
        if (found) {
          messages.splice(messages.indexOf(found), 1);
          return found;
        }
        if (Date.now() > deadline) throw new Error(`no email to ${to} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    refuse(on) {
      refusing = on === true ? { code: 550, at: 'data' } : on || undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
