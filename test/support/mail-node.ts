// A node that sends its mail to an SMTP sink on loopback, for the tests that read what was mailed
// (password reset links, unlock notices). Registers the mocha hooks that start and stop both.
import type { Engine } from '../../server/db/database.ts';
import { startSmtpSink, type SmtpSink } from './smtp.ts';
import { startTestNode, type ApiClient, type TestNode } from './tandem.ts';

export interface MailNode {
  node: TestNode;
  smtp: SmtpSink;
  /** The node's API client and its administrator's token, as most tests name them. */
  c: ApiClient;
  admin: string;
}

/**
 * In a `describe`: a `before` hook starts the sink and a node mailing to it, then hands both to
 * `ready` (which keeps them in the suite's variables); an `after` hook stops them.
 */
export function nodeWithSmtpSink(ready: (world: MailNode) => void, { engine = 'postgres', env = {} }: { engine?: Engine; env?: Record<string, string> } = {}): void {
  let world: MailNode | undefined;
  let smtp: SmtpSink | undefined;
  before(async () => {
    smtp = await startSmtpSink();
    const node = await startTestNode(engine, { SMTP_URL: smtp.url, ...env });
    world = { node, smtp, c: node.client, admin: node.adminToken };
    ready(world);
  });
  after(async () => {
    await world?.node.stop();
    await smtp?.close();
  });
}
