import type { SmtpSink } from '../test/smtp-sink';
import type { ConfirmationLinkReader } from './fixtures';
import type { TestServer } from './server';

/** Reads a server's confirmation emails from the test SMTP server, noting each token for the server's log check. */
export function confirmationLinkFromSink(sink: () => SmtpSink, server: () => TestServer): ConfirmationLinkReader {
  return async (_page, email) => {
    const text = (await sink().next(email, { subject: 'Confirm your email address for Guidepost' })).text ?? '';
    const link = /https?:\/\/\S+\/verify-email#([A-Za-z0-9_-]{43})/.exec(text)!;
    server().noteSecret(link[1]!);
    return link[0];
  };
}
