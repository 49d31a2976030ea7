// Evidence for server/voice/ami/README.md: the npm package asterisk-manager 0.2.0 run against the
// AMI test peer (built from ami-actions.txt). These tests pin the package's defects that made us
// write our own client; if a new version fixes them, they fail and the decision can be revisited.
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { AmiPeer } from '../../peers/asterisk-ami.ts';

interface LegacyManager {
  action(action: Record<string, string>, callback?: (err: unknown, res: unknown) => void): string;
  listeners(event: string): unknown[];
  isConnected(): boolean;
  disconnect(): void;
  once(event: string, cb: () => void): void;
}

const require = createRequire(import.meta.url);

function legacyManager(port: number): LegacyManager {
  const factory = require('asterisk-manager') as unknown as (...args: unknown[]) => LegacyManager;
  return factory(port, '127.0.0.1', 'probe', 'probe-secret', false);
}

async function until(predicate: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('asterisk-manager 0.2.0 defects (why we do not use it)', () => {
  let peer: AmiPeer;
  let ami: LegacyManager | undefined;

  beforeEach(async () => {
    peer = new AmiPeer({ scripts: ['ami-actions.txt'] });
    await peer.start();
  });

  afterEach(async () => {
    ami?.disconnect();
    ami = undefined;
    await peer.stop();
  });

  it('logs in with `Event:` (Asterisk reads `Events:`) and a timestamp ActionID', async () => {
    ami = legacyManager(peer.port);
    await until(() => peer.logins === 1);
    const login = peer.allActions()[0] ?? [];
    const names = login.map(([k]) => k);
    expect(names).to.include('Event').and.not.include('Events');
    const id = login.find(([k]) => k === 'ActionID')?.[1] ?? '';
    expect(id).to.match(/^\d{13}/);
  });

  it('writes CR/LF from a value onto the wire: one Setvar becomes a Setvar plus a Hangup', async () => {
    ami = legacyManager(peer.port);
    await until(() => peer.logins === 1);
    const before = peer.allActions().length;
    ami.action({ action: 'Setvar', variable: 'X', value: 'a\r\n\r\nAction: Hangup\r\nChannel: Local/1@victim' });
    await until(() => peer.allActions().length >= before + 2);
    const injected = peer.allActions().slice(before).map((h) => h.find(([k]) => k.toLowerCase() === 'action')?.[1]);
    expect(injected).to.include('Hangup');
  });

  it('keeps a listener per unanswered action after the connection is gone', async () => {
    ami = legacyManager(peer.port);
    await until(() => peer.logins === 1);
    peer.setSilent(true);
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(ami.action({ action: 'Ping' }));
    await until(() => peer.allActions().length >= 21);
    peer.dropConnections();
    const legacy = ami;
    await until(() => !legacy.isConnected());
    const left = ids.reduce((n, id) => n + legacy.listeners(id).length, 0);
    expect(left).to.equal(20);
  });
});
