// Evidence for server/voice/ami/README.md: the npm package asterisk-manager 0.2.0 run against the
// AMI test peer (built from ami-actions.txt). These tests pin the package's defects that made us
// write our own client; if a new version fixes them, they fail and the decision can be revisited.
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { AmiPeer } from '../../peers/asterisk-ami.ts';
import { eventually } from '../../support/eventually.ts';

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
    await eventually(() => peer.logins === 1, 'one login at the peer');
    const login = peer.allActions()[0] ?? [];
    const names = login.map(([k]) => k);
    expect(names).to.include('Event').and.not.include('Events');
    const id = login.find(([k]) => k === 'ActionID')?.[1] ?? '';
    expect(id).to.match(/^\d{13}/);
  });

  it('writes CR/LF from a value onto the wire: one Setvar becomes a Setvar plus a Hangup', async () => {
    ami = legacyManager(peer.port);
    await eventually(() => peer.logins === 1, 'one login at the peer');
    const before = peer.allActions().length;
    ami.action({ action: 'Setvar', variable: 'X', value: 'a\r\n\r\nAction: Hangup\r\nChannel: Local/1@victim' });
    await eventually(() => peer.allActions().length >= before + 2, 'two more actions at the peer');
    const injected = peer.allActions().slice(before).map((h) => h.find(([k]) => k.toLowerCase() === 'action')?.[1]);
    expect(injected).to.include('Hangup');
  });

  it('keeps a listener per unanswered action after the connection is gone', async () => {
    ami = legacyManager(peer.port);
    await eventually(() => peer.logins === 1, 'one login at the peer');
    peer.setSilent(true);
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(ami.action({ action: 'Ping' }));
    await eventually(() => peer.allActions().length >= 21, '21 actions at the peer');
    peer.dropConnections();
    const legacy = ami;
    await eventually(() => !legacy.isConnected(), 'the legacy client to disconnect');
    const left = ids.reduce((n, id) => n + legacy.listeners(id).length, 0);
    expect(left).to.equal(20);
  });
});
