// One administration session for a browser test: a real node (PostgreSQL, the built app served by
// it), Chromium, a page signed in as the admin on Home. Every test/admin file starts the same way;
// a file that needs more before signing in (accounts, projects, clipboard rights) says so in
// `beforeSignIn`. If any step fails, whatever was already started is stopped so nothing leaks.
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestNode, type TestNode } from '../support/tandem.ts';
import { ensureDesignerBuilt, launchChromium, openPage, signIn, type DesignerPage } from '../designer/harness.ts';

export { seriousViolations } from '../support/axe.ts';

export interface AdminSession {
  node: TestNode;
  browser: Browser;
  admin: DesignerPage;
  page: Page;
  /** Closes the page and the browser, then stops the node. */
  stop(): Promise<void>;
}

export interface AdminSessionOptions {
  /** Runs once the node is up and the page is open, before the admin signs in. */
  beforeSignIn?: (node: TestNode, admin: DesignerPage) => Promise<void>;
}

export async function startAdminSession(options: AdminSessionOptions = {}): Promise<AdminSession> {
  await ensureDesignerBuilt();
  const [node, browser] = await Promise.all([startTestNode('postgres'), launchChromium()]);
  let admin: DesignerPage | undefined;
  const stop = async () => {
    await admin?.close();
    await browser.close();
    await node.stop();
  };
  try {
    admin = await openPage(browser, node.tandem.url);
    await options.beforeSignIn?.(node, admin);
    await signIn(admin.page, 'admin', ADMIN_PASSWORD, { heading: 'Home' });
    return { node, browser, admin, page: admin.page, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * One admin session for a whole describe block: started in its before hook (with the long timeout a
 * node, a build check and Chromium need), stopped in its after hook. The getter hands it to tests.
 */
export function adminSessionForSuite(options: AdminSessionOptions = {}): () => AdminSession {
  let session: AdminSession | undefined;
  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession(options);
  });
  after(async () => session?.stop());
  return () => {
    if (session === undefined) throw new Error('the admin session did not start (see the before hook)');
    return session;
  };
}
