// The flow language's AgentsPort on the server: remote agents log in, log out, pause and unpause
// from any phone through the Agent login/logout/pause/unpause IVR blocks, identified by extension
// or username and a PIN (hashed, with the account lockout against guessing).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { agents, users } from '../db/schema.ts';
import type { AgentLoginRequest, AgentResult, AgentsPort } from '../../flows/services.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { recordFailedLogin, recordSuccessfulLogin } from '../auth/login.ts';
import { lockedFor, lockName, PHONE_SOURCE } from '../auth/lockout.ts';
import { readSettings } from '../settings/settings.ts';
import { login, logout, pause, type AgentPresence } from './presence.ts';
import { DomainError } from '../errors.ts';
import { remoteDialTarget } from './remote-dial-target.ts';

export function createAgentsPort(db: Db, onChange: (presence: AgentPresence) => void = () => undefined): AgentsPort {
  const asId = (agentId: string): number | undefined => (/^[1-9][0-9]{0,15}$/.test(agentId) ? Number(agentId) : undefined);
  const guarded = async (agentId: string, run: (id: number) => Promise<AgentPresence>): Promise<AgentResult> => {
    const id = asId(agentId);
    if (id === undefined) return { ok: false, reason: 'unknown-agent' };
    try {
      onChange(await run(id));
      return { ok: true, agentId };
    } catch (err) {
      const code = err instanceof DomainError ? err.code : undefined;
      return { ok: false, reason: code === 'conflict' ? 'not-logged-in' : code === 'not_found' ? 'unknown-agent' : 'failed' };
    }
  };
  return {
    async login(request: AgentLoginRequest): Promise<AgentResult> {
      const where =
        request.identity.by === 'extension' ? eq(agents.extension, request.identity.extension) : sql`lower(${users.username}) = lower(${request.identity.username})`;
      const [row] = await db.select({ user: users, agent: agents }).from(agents).innerJoin(users, eq(users.id, agents.userId)).where(where);
      if (!row) return { ok: false, reason: 'unknown-agent' };
      if (row.user.disabled || row.user.locked) return { ok: false, reason: 'not-allowed' };
      // PIN guesses lock the agent's phone login only (every phone is one source: caller ids are
      // forged at will), never their browser login.
      const settings = await readSettings(db);
      const name = lockName(row.user.username);
      if (await lockedFor(db, settings, name, PHONE_SOURCE)) return { ok: false, reason: 'not-allowed' };
      if (!row.agent.phonePinHash || !(await verifyPassword(request.pin, row.agent.phonePinHash))) {
        await recordFailedLogin(db, settings, name, PHONE_SOURCE, row.user.id);
        return { ok: false, reason: 'bad-pin' };
      }
      await recordSuccessfulLogin(db, row.user.id, name, PHONE_SOURCE);
      const phone = request.phone.replace(/[^0-9+*#]/g, '');
      onChange(await login(db, row.user.id, { device: 'phone', ...(phone ? { dialTarget: remoteDialTarget(phone) } : {}) }));
      return { ok: true, agentId: String(row.user.id) };
    },
    logout: (agentId) => guarded(agentId, (id) => logout(db, id, 'phone')),
    pause: (agentId, reason) => guarded(agentId, (id) => pause(db, id, true, reason || 'phone')),
    unpause: (agentId) => guarded(agentId, (id) => pause(db, id, false, null)),
  };
}
