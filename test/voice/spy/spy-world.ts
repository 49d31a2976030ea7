// A Tandem node wired to the ARI test peer, with agents in queues, supervisors and real queue calls
// (caller held in Stasis, agent originated and bridged, as test/acd/voice-queue.test.ts does), for
// the listen / whisper / barge tests. The ARI behaviour replayed comes from
// test/fixtures/asterisk/ari-spy-whisper-barge.txt + ari-spy-events.jsonl.
import { eq } from 'drizzle-orm';
import { agentBody, startTestNode, type TestNode } from '../../support/tandem.ts';
import { AriPeer } from '../../peers/asterisk-ari.ts';
import { spyModeChanges, spySessions } from '../../../server/db/schema.ts';
import type { SpySessionEvent } from '../../../server/voice/spy/spy-service.ts';
import { eventually } from '../../support/eventually.ts';

export interface Agent {
  id: number;
  token: string;
  username: string;
  extension: string;
  queueId: number;
  dialTarget: string;
}

export interface Supervisor {
  id: number;
  token: string;
  username: string;
}

export interface BridgedCall {
  entryId: number;
  callerId: string;
  agentLeg: string;
  bridgeId: string;
}

export class SpyWorld {
  ari!: AriPeer;
  node!: TestNode;
  readonly agents: Agent[] = [];
  readonly events: SpySessionEvent[] = [];
  #calls = 0;

  async start(agentCount = 3): Promise<void> {
    // One ARI "second" = 20 ms: a phone that never answers gives up after 30 × 20 ms.
    this.ari = new AriPeer({ username: 'tandem', password: 'secret', secondMs: 20 });
    await this.ari.start();
    this.node = await startTestNode('postgres', { ARI_URL: `http://tandem:secret@127.0.0.1:${this.ari.port}` }, { acdTickMs: 50 });
    await eventually(() => this.node.tandem.voice.ari?.state === 'up', 'ARI connected');
    this.node.tandem.services.spy!.on('session', (e) => this.events.push(e));
    const t = this.node.adminToken;
    for (let i = 0; i < agentCount; i++) {
      const body = agentBody();
      const a = await this.node.client.post<{ id: number; extension: string }>('/api/agents', body, t);
      // One queue per agent: each call goes to the agent the test means.
      const q = await this.node.client.post<{ id: number }>('/api/queues', { name: `spy-q${i}`, channel: 'voice', ringTimeoutSec: 10 }, t);
      await this.node.client.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id }, t);
      this.agents.push({
        id: a.body.id,
        token: await this.node.client.login(String(body.username), String(body.password)),
        username: String(body.username),
        extension: a.body.extension,
        queueId: q.body.id,
        dialTarget: `Local/${300 + i}@agent-leg2`,
      });
    }
  }

  async stop(): Promise<void> {
    await this.node?.stop();
    await this.ari?.stop();
  }

  /** A supervisor with these permissions, enabled on the queues of these agents. */
  async supervisor(permissions: Record<string, string>, scopeAgents: Agent[], phone?: { kind: 'extension' | 'external'; value: string }): Promise<Supervisor> {
    const t = this.node.adminToken;
    const username = `sup.${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const password = 'Superv1sor-Pass!';
    const u = await this.node.client.post<{ id: number }>('/api/users', { role: 'supervisor', username, fullName: `Supervisor ${username}`, password, permissions }, t);
    if (u.status !== 201) throw new Error(`supervisor: ${u.status} ${u.text}`);
    await this.node.client.put(`/api/users/${u.body.id}/queues`, { queueIds: scopeAgents.map((a) => a.queueId) }, t);
    const token = await this.node.client.login(username, password);
    if (phone) {
      const r = await this.node.client.patch('/api/me/phone', { phone }, token);
      if (r.status !== 200) throw new Error(`phone: ${r.status} ${r.text}`);
    }
    return { id: u.body.id, token, username };
  }

  /** A caller from the queue bridged with the agent (voice queue over ARI). */
  async bridgedCall(agent: Agent): Promise<BridgedCall> {
    const c = this.node.client;
    await c.post('/api/me/login', { device: 'external', dialTarget: agent.dialTarget }, agent.token);
    const entry = await c.post<{ id: number }>(`/api/queues/${agent.queueId}/entries`, { interactionRef: `spy-call-${++this.#calls}` }, this.node.adminToken);
    if (entry.status !== 201) throw new Error(`entry: ${entry.status} ${entry.text}`);
    const caller = this.ari.enterStasis('tandem', ['queue', String(entry.body.id)]);
    await eventually(() => [...this.ari.bridges.values()].some((b) => b.channels.includes(caller.id) && b.channels.length === 2), 'caller and agent bridged');
    const bridge = [...this.ari.bridges.values()].find((b) => b.channels.includes(caller.id))!;
    // The voice queue knows the call once the bridge exists.
    await eventually(() => this.node.tandem.services.spy !== undefined, 'spy service');
    return { entryId: entry.body.id, callerId: caller.id, agentLeg: bridge.channels.find((id) => id !== caller.id)!, bridgeId: bridge.id };
  }

  /** Ends every spy session and every queue call left over. */
  async cleanUp(): Promise<void> {
    for (const live of this.node.tandem.services.spy?.liveSessions() ?? []) await this.node.client.delete(`/api/spy-sessions/${live.sessionId}`, this.node.adminToken);
    for (const b of [...this.ari.bridges.values()].filter((x) => x.name.startsWith('queue-entry-'))) {
      for (const ch of b.channels) if (this.ari.channels.get(ch)?.name.includes('@agent-leg2')) this.ari.farEndHangup(ch);
    }
    await eventually(() => ![...this.ari.bridges.values()].some((x) => x.name.startsWith('queue-entry-')), 'calls ended');
  }

  /** Ends a call from the agent's side and waits for the agent's phone to be free again. */
  async hangUpAgent(call: BridgedCall): Promise<void> {
    this.ari.farEndHangup(call.agentLeg);
    await eventually(async () => (await this.node.client.get<{ endedAt: string | null }>(`/api/queue-entries/${call.entryId}`, this.node.adminToken)).body.endedAt !== null, 'the entry to end');
  }

  async session(id: number) {
    const [row] = await this.node.tandem.database.db.select().from(spySessions).where(eq(spySessions.id, id));
    return row!;
  }

  async modes(id: number) {
    return (await this.node.tandem.database.db.select().from(spyModeChanges).where(eq(spyModeChanges.sessionId, id)).orderBy(spyModeChanges.id)).map((r) => `${r.mode}/${r.via}`);
  }

  async sessionsOf(agentId: number) {
    return this.node.tandem.database.db.select().from(spySessions).where(eq(spySessions.agentId, agentId)).orderBy(spySessions.id);
  }
}
