// Admission of widget connections and new chats, per website, on this node: a cap on the widget
// sockets one client address holds open, new chats per client address and for the whole website in
// a sliding window, and a cap on the website's open chats (counted in PostgreSQL, so it holds across
// nodes up to the chats being created at that very moment on others). The limits are the website's
// (`limits` in its settings, see websites.ts); refusals are ChatErrors whose message the widget shows.
//
// A client address is the TCP peer's (Tandem does not trust X-Forwarded-For); IPv6 clients count per
// /64, the block one subscriber usually gets, or one client could rotate through 2^64 addresses.
import { addressKey } from '../../http/client-address.ts';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { interactions } from '../../db/schema.ts';
import { ChatError } from './chat-service.ts';
import { RateLimiter } from './rate-limit.ts';
import type { WebsiteView } from './websites.ts';


const minutes = (ms: number) => {
  const m = Math.ceil(ms / 60_000);
  return m === 1 ? 'a minute' : `${m} minutes`;
};

export class ChatAdmission {
  readonly #connections = new Map<string, Set<string>>();
  readonly #perAddress: RateLimiter;
  readonly #perWebsite: RateLimiter;
  /** One admission at a time per website on this node: counting open chats and creating one go together. */
  readonly #queues = new Map<number, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    now: () => number = Date.now,
  ) {
    this.#perAddress = new RateLimiter(1, 1, now);
    this.#perWebsite = new RateLimiter(1, 1, now);
  }

  /** Takes a connection slot for the socket; false when the address already holds the website's maximum. */
  connect(website: Pick<WebsiteView, 'id' | 'limits'>, address: string, socketId: string): boolean {
    const key = `${website.id} ${addressKey(address)}`;
    const open = this.#connections.get(key) ?? new Set<string>();
    if (open.size >= website.limits.connectionsPerAddress) return false;
    open.add(socketId);
    this.#connections.set(key, open);
    return true;
  }

  /** Gives the socket's slot back (idempotent: called on disconnect and when the transport closes). */
  disconnect(websiteId: number, address: string, socketId: string): void {
    const key = `${websiteId} ${addressKey(address)}`;
    const open = this.#connections.get(key);
    if (!open) return;
    open.delete(socketId);
    if (open.size === 0) this.#connections.delete(key);
  }

  /**
   * Runs `create` when the website may take one more new chat from this address, else throws the
   * ChatError the widget shows. `open`: the new chat is live (it counts against the open-chat cap);
   * a message left through the offline form is not, but counts as a new chat all the same.
   */
  newChat<T>(website: Pick<WebsiteView, 'id' | 'limits'>, address: string, open: boolean, create: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(website.id) ?? Promise.resolve();
    const run = previous.then(() => this.#admit(website, address, open, create));
    const settled = run.catch(() => undefined);
    this.#queues.set(website.id, settled);
    void settled.then(() => {
      if (this.#queues.get(website.id) === settled) this.#queues.delete(website.id);
    });
    return run;
  }

  async #admit<T>(website: Pick<WebsiteView, 'id' | 'limits'>, address: string, open: boolean, create: () => Promise<T>): Promise<T> {
    const { limits } = website;
    const windowMs = limits.windowSec * 1000;
    const fromAddress = `${website.id} ${addressKey(address)}`;
    const websiteKey = String(website.id);
    if (!this.#perAddress.allows(fromAddress, { max: limits.newChatsPerAddress, windowMs })) {
      throw new ChatError('TOO_MANY_CHATS', `Too many new chats from your network: at most ${limits.newChatsPerAddress} every ${minutes(windowMs)}. Please try again later.`);
    }
    if (!this.#perWebsite.allows(websiteKey, { max: limits.newChatsPerWebsite, windowMs })) {
      throw new ChatError('CHATS_BUSY', 'We are receiving too many new chats right now. Please try again in a few minutes.');
    }
    if (open) {
      const [row] = await this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(interactions)
        .where(and(eq(interactions.accountId, website.id), eq(interactions.status, 'open'), eq(interactions.channel, 'chat')));
      if ((row?.n ?? 0) >= limits.maxOpenChats) throw new ChatError('CHATS_FULL', 'All our chat lines are busy right now. Please try again later.');
    }
    this.#perAddress.take(fromAddress, { max: limits.newChatsPerAddress, windowMs });
    this.#perWebsite.take(websiteKey, { max: limits.newChatsPerWebsite, windowMs });
    return create();
  }
}
