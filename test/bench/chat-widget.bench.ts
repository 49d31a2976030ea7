/**
 * Web chat under load: `npx tsx test/bench/chat-widget.bench.ts`. A whole Tandem node on PostgreSQL;
 * CHAT_BENCH_CONNECTIONS widget sockets (default 1000) start chats that auto-answering agents (20,
 * simulated over socket.io + REST) take; each visitor sends 3 messages, each agent answers each one.
 * Prints connections made, chats connected, messages/s and p50/p99 delivery (visitor → agent over
 * socket.io, agent REST → visitor). Bounded by a 50 s deadline: what finished by then is reported.
 */
import { performance } from 'node:perf_hooks';
import { agentBody, startTestNode } from '../support/tandem.ts';
import { openAgentSocket, openWidget, ORIGIN, type Widget } from '../channels/chat/support.ts';

const N = Number(process.env.CHAT_BENCH_CONNECTIONS ?? 1000);
const AGENTS = 20;
const PER_VISITOR = 3;
const deadline = performance.now() + 50_000;
const left = () => Math.max(0, deadline - performance.now());
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1) : 'n/a');

const node = await startTestNode('postgres', {}, { acdTickMs: 50 });
const c = node.client;
const admin = node.adminToken;
const sockets: { close(): void }[] = [];
try {
  const q = await c.post<{ id: number; name: string }>('/api/queues', { name: 'bench', channel: 'chat', ringTimeoutSec: 30, retrySec: 0, timeoutSec: 120 }, admin);
  const w = await c.post<{ key: string }>('/api/chat/websites', { name: 'Bench', allowedOrigins: [ORIGIN], queueId: q.body.id }, admin);
  const toVisitor: number[] = [];
  const toAgent: number[] = [];
  let delivered = 0;
  for (let i = 0; i < AGENTS; i++) {
    const body = agentBody({ capacity: { chat: Math.ceil(N / AGENTS) + 1 }, autoAnswer: { chat: { enabled: true, delaySeconds: 0 } } });
    const a = await c.post<{ id: number }>('/api/agents', body, admin);
    await c.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id, penalty: 0 }, admin);
    const token = await c.login(String(body.username), String(body.password));
    await c.post('/api/me/login', { device: 'web' }, token);
    const s = await openAgentSocket(c.baseUrl, token);
    sockets.push({ close: () => s.socket.disconnect() });
    s.socket.on('chat:message', (e: { interactionId: number; message: { from: string; text: string } }) => {
      if (e.message.from !== 'visitor') return;
      const sentAt = Number(e.message.text.split(' ')[0]);
      toAgent.push(performance.now() - sentAt);
      delivered++;
      void c.post(`/api/interactions/${e.interactionId}/messages`, { text: `${performance.now()} re` }, token);
    });
  }
  const t0 = performance.now();
  const widgets: Widget[] = [];
  for (let i = 0; i < N && left() > 0; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, N - i) }, async () => {
        const v = await openWidget(c.baseUrl, w.body.key);
        sockets.push(v);
        v.socket.on('message', (m: { from: string; text: string }) => {
          if (m.from !== 'agent') return;
          toVisitor.push(performance.now() - Number(m.text.split(' ')[0]));
          delivered++;
        });
        await v.call('start', { form: { name: 'Load' } });
        return v;
      }),
    );
    widgets.push(...batch);
  }
  console.log(`widget connections: ${widgets.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let connected = 0;
  await Promise.all(
    widgets.map(async (v) => {
      try {
        await v.next('state', (s: { status: string }) => s.status === 'connected', left());
        connected++;
      } catch {
        /* not connected by the deadline */
      }
    }),
  );
  console.log(`chats connected to agents: ${connected}`);
  const m0 = performance.now();
  for (let k = 0; k < PER_VISITOR && left() > 0; k++) await Promise.all(widgets.map((v) => v.call('message', { text: `${performance.now()} hello` }).catch(() => undefined)));
  const expected = connected * PER_VISITOR * 2;
  while (delivered < expected && left() > 0) await new Promise((r) => setTimeout(r, 50));
  const secs = (performance.now() - m0) / 1000;
  console.log(`messages delivered: ${delivered} of ${expected} in ${secs.toFixed(1)} s (${(delivered / secs).toFixed(0)} messages/s)`);
  console.log(`visitor -> agent delivery ms: p50 ${pct(toAgent, 50)} p99 ${pct(toAgent, 99)}`);
  console.log(`agent -> visitor delivery ms: p50 ${pct(toVisitor, 50)} p99 ${pct(toVisitor, 99)}`);
} finally {
  for (const s of sockets) s.close();
  await node.stop();
}
