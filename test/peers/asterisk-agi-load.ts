// Load generator for test/bench/fastagi.bench.ts, run as its own CHILD PROCESS (as Asterisk is):
// the server under test (ours, ding-dong, or the bare echo server) runs in another process, so
// each gets its own core. Every call is an AsteriskAgiPeer (the same peer the tests use), with
// recording off, and every server ends its calls itself (the peer then writes HANGUP and closes).
//
// Messages (IPC, from the parent):
//   { type: 'calls', port, calls, concurrency } -> { type: 'done', ms, completed, failed }
//       runs `calls` calls, at most `concurrency` at a time.
//   { type: 'hold', port, calls } -> { type: 'held' } once every call has had its first command
//       answered; the calls stay open until the server ends them -> { type: 'released', ms }.
import { AsteriskAgiPeer } from './asterisk-agi.ts';

interface CallsMessage {
  readonly type: 'calls';
  readonly port: number;
  readonly calls: number;
  readonly concurrency: number;
}

interface HoldMessage {
  readonly type: 'hold';
  readonly port: number;
  readonly calls: number;
}

type Message = CallsMessage | HoldMessage | { readonly type: 'exit' };

const DTMF = '123#5';

async function oneCall(port: number): Promise<boolean> {
  try {
    const peer = await AsteriskAgiPeer.connect({ port, record: false, model: { dtmf: DTMF } });
    await peer.done;
    return true;
  } catch {
    return false;
  }
}

async function runCalls(msg: CallsMessage): Promise<void> {
  const started = performance.now();
  let next = 0;
  let completed = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < msg.calls) {
      next += 1;
      if (await oneCall(msg.port)) completed += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(msg.concurrency, msg.calls) }, worker));
  process.send?.({ type: 'done', ms: performance.now() - started, completed, failed });
}

async function hold(msg: HoldMessage): Promise<void> {
  const started = performance.now();
  let answered = 0;
  const peers: Promise<AsteriskAgiPeer>[] = [];
  const batch = 200;
  for (let i = 0; i < msg.calls; i++) {
    peers.push(
      AsteriskAgiPeer.connect({
        port: msg.port,
        record: false,
        respond: (cmd) => {
          if (cmd.index === 1) answered += 1;
          return undefined;
        },
      }),
    );
    if (i % batch === batch - 1) await Promise.all(peers.slice(i - batch + 1));
  }
  const all = await Promise.all(peers);
  while (answered < msg.calls) await new Promise((resolve) => setTimeout(resolve, 10));
  process.send?.({ type: 'held', ms: performance.now() - started });
  await Promise.all(all.map((p) => p.done));
  process.send?.({ type: 'released', ms: performance.now() - started });
}

process.on('message', (raw: unknown) => {
  const msg = raw as Message;
  if (msg.type === 'calls') void runCalls(msg);
  else if (msg.type === 'hold') void hold(msg);
  else process.exit(0);
});
// If the benchmark dies, do not linger.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
