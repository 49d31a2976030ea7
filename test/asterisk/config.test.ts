// The Asterisk configuration of asterisk/: parsed as Asterisk reads it, then checked for what an
// admin relies on — every call reaches Tandem with the DID and caller, no path leaves a caller in
// silence when Tandem is down, the management interfaces stay on loopback with least rights, no
// secret is a usable default, names agree with Tandem's defaults.
// Behaviour of AGI()/Stasis() after a failure is taken from agi-server-down.txt and
// agi-to-stasis.txt (test/fixtures/asterisk, captured from Asterisk 22.10.1).
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/config.ts';
import {
  ConfParseError,
  effectiveEntries,
  extensionMatches,
  loadConf,
  parseConf,
  parseDialplan,
  sectionsNamed,
  splitArgs,
  templateNamed,
  valueOf,
  type ConfFile,
  type Dialplan,
} from './conf-parser.ts';
import { evaluate, findExtension, simulate, SimulationError, type SimulationHooks, type SimulationResult } from './dialplan-sim.ts';
import { asteriskFixture } from '../support/fixtures.ts';
import { fillTrunk } from '../integration/asterisk-config.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const asteriskDir = path.join(repoRoot, 'asterisk');
const conf = (name: string) => loadConf(path.join(asteriskDir, name));
/** pjsip_wizard.conf with the trunk example uncommented as README step 5 says, placeholders kept. */
const wizardWithTrunk = () =>
  parseConf(
    fillTrunk(fs.readFileSync(path.join(asteriskDir, 'pjsip_wizard.conf'), 'utf8'), { host: 'SIP_PROVIDER_HOST', username: 'SIP_PROVIDER_USERNAME', sendsRegistrations: true }),
    'pjsip_wizard.conf',
  );
const tandemDefaults = loadConfig({});

function parseError(fn: () => unknown): ConfParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfParseError) return err;
    throw err;
  }
  throw new Error('expected a ConfParseError');
}

describe('asterisk: configuration parser', () => {
  it('reads sections, key = value, key => value, and every comment form', () => {
    const c = parseConf(['; header', '[general]', 'a = 1 ; trailing', 'b=>two', 'c = semi\\;colon', ';-- block', 'hidden = yes', '--;', 'd = 4'].join('\n'), 'x.conf');
    expect(c.sections).to.have.length(1);
    expect(c.sections[0]!.entries.map((e) => [e.key, e.op, e.value])).to.deep.equal([
      ['a', '=', '1'],
      ['b', '=>', 'two'],
      ['c', '=', 'semi;colon'],
      ['d', '=', '4'],
    ]);
  });

  it('reads templates, inheritance chains and appends', () => {
    const c = parseConf(['[base](!)', 'type = wizard', 'x = 1', '[mid](!,base)', 'x = 2', 'y = 3', '[obj](mid)', 'z = 4', '[obj](+)', 'w = 5'].join('\n'));
    const obj = sectionsNamed(c, 'obj')[0]!;
    expect(obj.template).to.equal(false);
    expect(templateNamed(c, 'mid')!.inherits).to.deep.equal(['base']);
    const entries = effectiveEntries(c, obj);
    expect(entries.map((e) => e.key)).to.deep.equal(['type', 'x', 'x', 'y', 'z']);
    expect(valueOf(entries, 'x')).to.equal('2'); // later wins
    expect(sectionsNamed(c, 'obj')[1]!.append).to.equal(true);
    expect(parseError(() => effectiveEntries(c, { ...obj, inherits: ['nope'] })).message).to.contain("unknown template 'nope'");
  });

  it('names the file and line of what it cannot read', () => {
    expect(parseError(() => parseConf('a = 1', 'f.conf')).message).to.equal("f.conf:1: 'a' is outside of any [section]");
    expect(parseError(() => parseConf('[ok]\n[broken', 'f.conf')).message).to.contain('f.conf:2: malformed section header');
    expect(parseError(() => parseConf('[ok]\njust words', 'f.conf')).message).to.contain("expected 'key = value'");
    expect(parseError(() => parseConf('#exec /bin/sh', 'f.conf')).message).to.contain('unknown directive');
    expect(parseConf('#include "other.conf"\n#tryinclude x.conf').includes.map((i) => [i.target, i.optional])).to.deep.equal([
      ['other.conf', false],
      ['x.conf', true],
    ]);
  });

  it('reads exten/same lines into numbered priorities with labels', () => {
    const plan = parseDialplan(parseConf(['[ctx]', 'exten => _X.,1,NoOp(a, b)', ' same => n(lbl),Set(X=${CALLERID(num)})', ' same => n,Hangup', 'exten => s,1,GotoIf($["${X}" = "1"]?ctx,s,1:lbl)', 'include => other'].join('\n')));
    const ctx = plan.contexts.get('ctx')!;
    const steps = ctx.extensions.get('_X.')!;
    expect(steps.map((s) => [s.priority, s.label, s.app])).to.deep.equal([
      [1, undefined, 'NoOp'],
      [2, 'lbl', 'Set'],
      [3, undefined, 'Hangup'],
    ]);
    expect(steps[0]!.args).to.deep.equal(['a', ' b']);
    expect(steps[2]!.rawArgs).to.equal('');
    expect(ctx.includes).to.deep.equal(['other']);
    expect(splitArgs('agi://h:1/p,${EXTEN},${CALLERID(num)}')).to.deep.equal(['agi://h:1/p', '${EXTEN}', '${CALLERID(num)}']);
    expect(splitArgs('a\\,b,"c,d",e')).to.deep.equal(['a\\,b', '"c,d"', 'e']);
  });

  it('refuses inconsistent priorities', () => {
    const plan = (lines: string[]) => parseDialplan(parseConf(['[c]', ...lines].join('\n'), 'e.conf'));
    expect(parseError(() => plan(['exten => 1,1,NoOp', 'exten => 1,1,NoOp'])).message).to.contain('priority 1 of \'1\' in [c] is defined twice');
    expect(parseError(() => plan(['exten => 1,n,NoOp'])).message).to.contain("priority 'n' with no previous priority");
    expect(parseError(() => plan(['same => n,NoOp'])).message).to.contain("'same =>' before any 'exten =>'");
    expect(parseError(() => plan(['exten => 1,1(a),NoOp', ' same => n(a),NoOp'])).message).to.contain("label 'a'");
    expect(parseError(() => plan(['exten => 1,1,No Op(x)'])).message).to.contain('malformed application');
  });

  it('matches extension patterns as Asterisk does', () => {
    expect(extensionMatches('_X.', '0212345678')).to.equal(true);
    expect(extensionMatches('_X.', '1')).to.equal(false); // '.' needs at least one more character
    expect(extensionMatches('_+X.', '+390212345678')).to.equal(true);
    expect(extensionMatches('_X.', '+39021')).to.equal(false);
    expect(extensionMatches('_XXXX', '1001')).to.equal(true);
    expect(extensionMatches('_XXXX', '10010')).to.equal(false);
    expect(extensionMatches('_*X.', '*45')).to.equal(true);
    expect(extensionMatches('_NXX', '199')).to.equal(false);
    expect(extensionMatches('_[1-3]X', '25')).to.equal(true);
    expect(extensionMatches('s', 's')).to.equal(true);
  });
});

/** AMI events of one channel from a transcript: Newexten (application, priority) and VarSet. */
function amiEvents(file: string, channel: string): Record<string, string>[] {
  const events: Record<string, string>[] = [];
  let cur: Record<string, string> = {};
  for (const line of fs.readFileSync(asteriskFixture(file), 'utf8').split('\n')) {
    if (!line.startsWith('A>')) continue;
    const body = line.slice(2).trim();
    if (body === '') {
      if (cur.Event && cur.Channel === channel) events.push(cur);
      cur = {};
      continue;
    }
    const colon = body.indexOf(':');
    if (colon > 0) cur[body.slice(0, colon)] = body.slice(colon + 1).trim();
  }
  return events;
}

describe('asterisk: the dialplan simulator against a real Asterisk', () => {
  it('continues with the next priority after AGI() fails, as in agi-server-down.txt', () => {
    const events = amiEvents('agi-server-down.txt', 'Local/130@agi2-00000016;2');
    const executed = events.filter((e) => e.Event === 'Newexten').map((e) => [e.Application, Number(e.Priority), e.AppData]);
    const agistatus = events.find((e) => e.Event === 'VarSet' && e.Variable === 'AGISTATUS');
    expect(agistatus?.Value).to.equal('FAILURE');
    // The fixture's dialplan as its README describes it.
    const plan = parseDialplan(
      parseConf(['[agi2]', 'exten => 130,1,NoOp(agi2 130 start)', ' same => n,AGI(agi://127.0.0.1:4573/x)', ' same => n,NoOp(${AGISTATUS})', ' same => n,NoOp(dialplan continues after AGI failure)', ' same => n,Hangup'].join('\n')),
    );
    const run = simulate(plan, 'agi2', '130', { callerNumber: '1300', agi: () => ({ AGISTATUS: agistatus!.Value! }), dial: () => 'CHANUNAVAIL' });
    expect(run.executed.map((s) => [s.app, s.priority, s.app === 'NoOp' && s.rawArgs === '${AGISTATUS}' ? run.vars.get('AGISTATUS') : s.rawArgs])).to.deep.equal(executed);
    expect(run.ending).to.equal('hangup');
  });

  it('reports what it does not model instead of guessing', () => {
    const plan = parseDialplan(parseConf('[c]\nexten => 1,1,Queue(support)\nexten => 2,1,Set(X=${LEN(abc)})'));
    const hooks: SimulationHooks = { callerNumber: '1', agi: () => ({ AGISTATUS: 'SUCCESS' }), dial: () => 'ANSWER' };
    expect(() => simulate(plan, 'c', '1', hooks)).to.throw(SimulationError, 'does not model Queue()');
    expect(() => simulate(plan, 'c', '2', hooks)).to.throw(SimulationError, 'does not model ${LEN(abc)}');
    expect(evaluate('$["a" != "b" & "c" = "c"]')).to.equal(true);
    expect(evaluate('$["a" = "b" | "c" = "d"]')).to.equal(false);
    expect(() => evaluate('$[${X} > 3]')).to.throw(SimulationError);
  });
});

describe('asterisk: extensions.conf and extensions_tandem.conf', () => {
  let dialplanConf: ConfFile;
  let plan: Dialplan;
  before(() => {
    dialplanConf = conf('extensions.conf'); // follows #include extensions_tandem.conf
    plan = parseDialplan(dialplanConf);
  });

  it('has the contexts an admin points trunks and phones at', () => {
    for (const name of ['tandem-inbound', 'tandem-internal', 'tandem-outbound', 'tandem-fallback', 'tandem-stasis', 'tandem-agents', 'tandem-agents-external', 'tandem-hints']) {
      expect(plan.contexts.has(name), name).to.equal(true);
    }
    expect(plan.contexts.get('tandem-internal')!.includes).to.deep.equal(['tandem-outbound']);
  });

  it("points at Tandem's FastAGI and ARI defaults through globals", () => {
    expect(plan.globals.get('TANDEM_AGI_HOST')).to.equal(tandemDefaults.fastagi.host);
    expect(plan.globals.get('TANDEM_AGI_PORT')).to.equal(String(tandemDefaults.fastagi.port));
    expect(plan.globals.get('TANDEM_ARI_APP')).to.equal(tandemDefaults.ari.app);
    for (const name of ['TANDEM_FALLBACK_PROMPT', 'TANDEM_UNAVAILABLE_PROMPT', 'TANDEM_BACKUP_DIAL', 'TANDEM_BACKUP_TIMEOUT', 'TANDEM_TRUNK', 'TANDEM_AGENT_RING_SECONDS']) {
      expect(plan.globals.get(name), name).to.be.a('string').and.not.equal('');
    }
  });

  it('calls AGI() only with the configured host and port, the context as path, and the DID and caller as arguments', () => {
    const pathOf: Record<string, string> = { 'tandem-inbound': 'inbound', 'tandem-internal': 'internal', 'tandem-outbound': 'outbound' };
    let count = 0;
    for (const ctx of plan.contexts.values()) {
      for (const steps of ctx.extensions.values()) {
        for (const s of steps.filter((x) => x.app === 'AGI' || x.app === 'EAGI' || x.app === 'DeadAGI')) {
          count++;
          expect(pathOf[ctx.name], `AGI in [${ctx.name}] at ${s.file}:${s.line}`).to.be.a('string');
          expect(s.app).to.equal('AGI');
          expect(s.args, `${s.file}:${s.line}`).to.deep.equal([`agi://\${TANDEM_AGI_HOST}:\${TANDEM_AGI_PORT}/${pathOf[ctx.name]}`, '${EXTEN}', '${CALLERID(num)}']);
        }
      }
    }
    expect(count).to.equal(10); // inbound _X. _+X. s, internal _XXXX _*X. _*X _#X. _#X, outbound _X. _+X.
  });

  it('names the ARI application of Tandem in every Stasis() call', () => {
    const stasis = [...plan.contexts.values()].flatMap((c) => [...c.extensions.values()].flat()).filter((s) => s.app === 'Stasis');
    expect(stasis).to.have.length.greaterThan(0);
    for (const s of stasis) expect(s.args[0]!.replace('${TANDEM_ARI_APP}', plan.globals.get('TANDEM_ARI_APP')!)).to.equal('tandem');
  });

  it('numbers priorities from 1 without gaps, and every Goto lands on an existing step', () => {
    for (const ctx of plan.contexts.values()) {
      for (const [name, steps] of ctx.extensions) {
        expect(
          steps.map((s) => s.priority),
          `${name}@${ctx.name}`,
        ).to.deep.equal(steps.map((_, i) => i + 1));
        for (const s of steps.filter((x) => x.app === 'Goto' || x.app === 'GotoIf')) {
          const targets = s.app === 'Goto' ? [s.rawArgs] : s.rawArgs.slice(s.rawArgs.indexOf(']?') + 2).split(':');
          for (const t of targets.filter(Boolean)) {
            const parts = t.split(',');
            const [context, exten, prio] = parts.length === 3 ? parts : parts.length === 2 ? [ctx.name, ...parts] : [ctx.name, name, parts[0]];
            const found = findExtension(plan, context!, exten!);
            expect(found, `${s.file}:${s.line} → ${t}`).to.not.equal(undefined);
            const target = found!.context.extensions.get(found!.name)!;
            expect(
              target.some((x) => String(x.priority) === prio || x.label === prio),
              `${s.file}:${s.line} → ${t}`,
            ).to.equal(true);
          }
        }
      }
    }
  });

  // Every outcome Tandem can leave on the channel, and every outcome of the dials that follow.
  const AGI_OUTCOMES: { name: string; agi: ReturnType<SimulationHooks['agi']> }[] = [
    { name: 'Tandem down (connection refused)', agi: { AGISTATUS: 'FAILURE' } },
    { name: 'AGI not found', agi: { AGISTATUS: 'NOTFOUND' } },
    { name: 'Tandem vanished mid-call', agi: { AGISTATUS: 'SUCCESS' } },
    { name: 'no route', agi: { AGISTATUS: 'SUCCESS', vars: { TANDEM_STATUS: 'NOROUTE' } } },
    { name: 'no published version', agi: { AGISTATUS: 'SUCCESS', vars: { TANDEM_STATUS: 'NOVERSION' } } },
    { name: 'flow error', agi: { AGISTATUS: 'SUCCESS', vars: { TANDEM_STATUS: 'ERROR' } } },
    { name: 'Tandem stopping', agi: { AGISTATUS: 'SUCCESS', vars: { TANDEM_STATUS: 'STOPPED' } } },
    { name: 'flow done, channel up', agi: { AGISTATUS: 'SUCCESS', vars: { TANDEM_STATUS: 'DONE' } } },
    { name: 'Tandem hung up', agi: { AGISTATUS: 'SUCCESS', hungUp: true } },
  ];
  const DIAL_OUTCOMES = ['ANSWER', 'BUSY', 'NOANSWER', 'CONGESTION', 'CHANUNAVAIL'];

  function checkNeverSilent(run: SimulationResult, label: string): void {
    expect(run.ending, label).to.not.equal('fell-off-the-end');
    if (run.ending === 'hung-up-by-tandem' || run.ending === 'connected') return;
    const status = run.vars.get('TANDEM_STATUS');
    if (run.vars.get('AGISTATUS') === 'SUCCESS' && status === 'DONE') return; // the flow said its last word
    if (run.vars.get('AGISTATUS') === 'SUCCESS' && run.vars.get('DIALSTATUS') === 'ANSWER') return; // Tandem's dial was a conversation
    expect(run.audibleAfterHandoff.length, `${label}: ends (${run.ending}) without a word or a tone after Tandem let go`).to.be.greaterThan(0);
  }

  it('sends every inbound call Tandem does not take to the fallback: a message, the backup destination, a last message', () => {
    let runs = 0;
    for (const did of ['0212345678', '+390212345678', 's']) {
      for (const outcome of AGI_OUTCOMES) {
        for (const backup of DIAL_OUTCOMES) {
          for (const backupDial of [plan.globals.get('TANDEM_BACKUP_DIAL')!, '']) {
            const label = `inbound ${did}, ${outcome.name}, backup ${backupDial || '(none)'} → ${backup}`;
            const withBackup: Dialplan = { ...plan, globals: new Map([...plan.globals, ['TANDEM_BACKUP_DIAL', backupDial]]) };
            const run = simulate(withBackup, 'tandem-inbound', did, { callerNumber: '+3955512345', agi: () => outcome.agi, dial: () => backup });
            runs++;
            expect(run.agiCalls, label).to.have.length(1);
            expect(run.agiCalls[0]!.args, label).to.deep.equal([did, '+3955512345']);
            checkNeverSilent(run, label);
            const fallback = outcome.agi.AGISTATUS !== 'SUCCESS' || (!outcome.agi.hungUp && outcome.agi.vars?.TANDEM_STATUS !== 'DONE');
            expect(run.contextsVisited.has('tandem-fallback'), label).to.equal(fallback);
            if (fallback) {
              expect(run.audible[0]!.what, label).to.equal(plan.globals.get('TANDEM_FALLBACK_PROMPT'));
              expect(run.dialed, label).to.deep.equal(backupDial ? [backupDial] : []);
              if (run.ending !== 'connected') expect(run.audible.at(-1)!.what, label).to.equal(plan.globals.get('TANDEM_UNAVAILABLE_PROMPT'));
            }
          }
        }
      }
    }
    expect(runs).to.equal(3 * AGI_OUTCOMES.length * DIAL_OUTCOMES.length * 2);
  });

  it('lets an agent reach a colleague directly when Tandem does not take an internal call', () => {
    // Feature codes of every shape the settings allow: * or #, one digit or more.
    for (const number of ['1001', '*45', '*5', '#5', '#123456', '*2221001']) {
      for (const outcome of AGI_OUTCOMES) {
        for (const dial of DIAL_OUTCOMES) {
          const label = `internal ${number}, ${outcome.name}, dial → ${dial}`;
          const run = simulate(plan, 'tandem-internal', number, { callerNumber: '1002', agi: () => outcome.agi, dial: () => dial });
          expect(run.agiCalls[0], label).to.deep.equal({ url: 'agi://127.0.0.1:4573/internal', args: [number, '1002'] });
          checkNeverSilent(run, label);
          if (run.contextsVisited.has('tandem-fallback')) expect(run.dialed, label).to.deep.equal([`PJSIP/${number}`]);
        }
      }
    }
  });

  it('routes outbound calls only through Tandem, with tones for busy and failed dials, and never dials out on its own', () => {
    for (const [context, number] of [
      ['tandem-outbound', '0212345678'],
      ['tandem-outbound', '+442071234567'],
      ['tandem-internal', '0212345678'], // an agent's phone: reaches tandem-outbound through the include
    ] as const) {
      for (const outcome of AGI_OUTCOMES) {
        for (const tandemDial of ['', ...DIAL_OUTCOMES]) {
          const label = `${context} ${number}, ${outcome.name}, Tandem's dial → ${tandemDial || '(none)'}`;
          const vars: Record<string, string> = { ...(outcome.agi.vars ?? {}), ...(tandemDial ? { DIALSTATUS: tandemDial } : {}) };
          const run = simulate(plan, context, number, { callerNumber: '1001', agi: () => ({ ...outcome.agi, vars }), dial: () => 'ANSWER' });
          expect(run.agiCalls[0], label).to.deep.equal({ url: 'agi://127.0.0.1:4573/outbound', args: [number, '1001'] });
          expect(run.dialed, `${label}: the dialplan must not dial around Tandem's routes`).to.deep.equal([]);
          checkNeverSilent(run, label);
          if (outcome.agi.AGISTATUS === 'SUCCESS' && !outcome.agi.hungUp && tandemDial === 'BUSY' && vars.TANDEM_STATUS !== 'DONE') expect(run.audible.at(-1)!.app, label).to.equal('Busy');
        }
      }
    }
  });

  it('sends emergency numbers straight to the trunk, even from a phone, without asking Tandem', () => {
    for (const number of ['112', '911']) {
      const run = simulate(plan, 'tandem-internal', number, { callerNumber: '1001', agi: () => expect.fail('emergency calls must not use AGI'), dial: () => 'CONGESTION' });
      expect(run.dialed).to.deep.equal([`PJSIP/${number}@${plan.globals.get('TANDEM_TRUNK')}`]);
      expect(run.ending).to.equal('tone-then-hangup');
    }
  });

  it('falls back when the Stasis application is missing (STASISSTATUS=FAILED, as in agi-to-stasis.txt)', () => {
    const base = { callerNumber: '555', agi: () => ({ AGISTATUS: 'SUCCESS' }), dial: () => 'NOANSWER' };
    const missing = simulate(plan, 'tandem-stasis', '0212345678', { ...base, stasis: () => ({ STASISSTATUS: 'FAILED' }) });
    expect(missing.contextsVisited.has('tandem-fallback')).to.equal(true);
    checkNeverSilent(missing, 'stasis failed');
    const handled = simulate(plan, 'tandem-stasis', '0212345678', { ...base, stasis: (args) => (expect(args).to.deep.equal(['tandem', 'inbound', '0212345678', '555']), { STASISSTATUS: 'SUCCESS', hungUp: true }) });
    expect(handled.ending).to.equal('hung-up-by-tandem');
  });

  it('rings agents on the legs Tandem originates, internal and external', () => {
    const agent = simulate(plan, 'tandem-agents', '1001', { callerNumber: '', agi: () => expect.fail('no AGI on agent legs'), dial: () => 'NOANSWER' });
    expect(agent.dialed).to.deep.equal(['PJSIP/1001']);
    expect(agent.ending).to.equal('hangup');
    const external = simulate(plan, 'tandem-agents-external', '+393331234567', { callerNumber: '', agi: () => expect.fail('no AGI on agent legs'), dial: () => 'ANSWER' });
    expect(external.dialed).to.deep.equal(['PJSIP/+393331234567@tandem-trunk']);
  });
});

describe('asterisk: manager.conf, ari.conf, http.conf', () => {
  it('binds AMI to loopback with one least-rights user', () => {
    const c = conf('manager.conf');
    const general = sectionsNamed(c, 'general')[0]!.entries;
    expect(valueOf(general, 'enabled')).to.equal('yes');
    expect(valueOf(general, 'bindaddr')).to.equal('127.0.0.1');
    expect(valueOf(general, 'webenabled')).to.equal('no');
    const users = c.sections.filter((s) => s.name !== 'general');
    expect(users.map((s) => s.name)).to.deep.equal(['tandem']);
    const tandem = users[0]!.entries;
    expect(tandem.filter((e) => e.key === 'deny').map((e) => e.value)).to.deep.equal(['0.0.0.0/0.0.0.0']);
    expect(tandem.filter((e) => e.key === 'permit').map((e) => e.value)).to.deep.equal(['127.0.0.1/255.255.255.255']);
    const write = valueOf(tandem, 'write')!.split(',').map((s) => s.trim());
    const read = valueOf(tandem, 'read')!.split(',').map((s) => s.trim());
    // The actions Tandem's AMI client sends (server/voice/ami): Originate, Hangup, Redirect, Getvar,
    // Setvar, CoreShowChannels, DeviceStateList, QueueStatus, QueuePause, Ping.
    expect(write).to.have.members(['call', 'originate', 'agent', 'reporting']);
    for (const dangerous of ['all', 'system', 'command', 'config', 'user', 'message']) expect(write).to.not.include(dangerous);
    expect(read).to.include.members(['call', 'agent', 'system']);
    expect(read).to.not.include('all');
  });

  it('serves ARI on loopback only, to a user named for Tandem, from loopback only', () => {
    const http = conf('http.conf');
    const general = sectionsNamed(http, 'general')[0]!.entries;
    expect(valueOf(general, 'enabled')).to.equal('yes');
    expect(valueOf(general, 'bindaddr')).to.equal('127.0.0.1');
    expect(valueOf(general, 'bindport')).to.equal('8088');
    expect(valueOf(general, 'tlsenable')).to.equal(undefined); // only as a documented comment
    const ari = conf('ari.conf');
    expect(valueOf(sectionsNamed(ari, 'general')[0]!.entries, 'enabled')).to.equal('yes');
    expect(valueOf(sectionsNamed(ari, 'general')[0]!.entries, 'allowed_origins')).to.equal('');
    const user = sectionsNamed(ari, 'tandem')[0]!.entries;
    expect(valueOf(user, 'type')).to.equal('user');
    expect(valueOf(user, 'read_only')).to.equal('no');
    expect(valueOf(user, 'deny')).to.equal('0.0.0.0/0');
    expect(valueOf(user, 'permit')).to.equal('127.0.0.1/32');
    expect(ari.sections.filter((s) => s.name !== 'general').map((s) => s.name)).to.deep.equal(['tandem']);
  });

  it('leaves no usable default secret: every password and secret is a CHANGE_ME placeholder, each one distinct', () => {
    const placeholders: string[] = [];
    for (const file of fs.readdirSync(asteriskDir).filter((f) => f.endsWith('.conf'))) {
      const c = file === 'pjsip_wizard.conf' ? wizardWithTrunk() : parseConf(fs.readFileSync(path.join(asteriskDir, file), 'utf8'), file);
      for (const s of c.sections) {
        for (const e of s.entries.filter((x) => /(^|\/)(secret|password|passwd)$/i.test(x.key))) {
          expect(e.value, `${file}:${e.line} ${e.key}`).to.match(/^CHANGE_ME:[a-z0-9_]+$/);
          placeholders.push(e.value);
        }
      }
    }
    expect(placeholders).to.include.members(['CHANGE_ME:ami_secret', 'CHANGE_ME:ari_password', 'CHANGE_ME:trunk_password']);
    expect(new Set(placeholders).size).to.equal(placeholders.length);
  });
});

describe('asterisk: pjsip, music on hold, modules', () => {
  it('ships the trunk commented out, so that a fresh copy does not resolve and register to a placeholder host', () => {
    const shipped = conf('pjsip_wizard.conf');
    expect(sectionsNamed(shipped, 'tandem-trunk')).to.deep.equal([]);
    expect(templateNamed(shipped, 'tandem-trunk-template')).to.not.equal(undefined);
  });

  it('builds phones and the trunk from templates, pointing at existing transports and contexts', () => {
    const wizard = wizardWithTrunk();
    const transports = conf('pjsip.conf');
    const plan = parseDialplan(conf('extensions.conf'));
    const objects = wizard.sections.filter((s) => !s.template);
    expect(objects.length).to.be.greaterThan(0);
    for (const o of objects) {
      expect(o.inherits.length, `[${o.name}] should use a template`).to.be.greaterThan(0);
      const entries = effectiveEntries(wizard, o);
      expect(valueOf(entries, 'type'), o.name).to.equal('wizard');
      // res_pjsip_config_wizard reads its own options with ast_variable_find_in_list (the first
      // occurrence): a key set twice along a template chain would not be overridden.
      const keys = entries.map((e) => e.key);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i), `[${o.name}] keys set twice`).to.deep.equal([]);
      const transport = sectionsNamed(transports, valueOf(entries, 'transport')!)[0];
      expect(transport && valueOf(transport.entries, 'type'), `[${o.name}] transport`).to.equal('transport');
      expect(plan.contexts.has(valueOf(entries, 'endpoint/context')!), `[${o.name}] context`).to.equal(true);
    }
    const phones = objects.filter((o) => valueOf(effectiveEntries(wizard, o), 'accepts_registrations') === 'yes');
    expect(phones.length).to.be.greaterThanOrEqual(2);
    for (const p of phones) {
      const e = effectiveEntries(wizard, p);
      expect(valueOf(e, 'endpoint/context')).to.equal('tandem-internal');
      expect(valueOf(e, 'hint_exten')).to.equal(p.name);
      expect(valueOf(e, 'inbound_auth/username')).to.equal(p.name);
      // The wizard manages priority 1 of each hint extension in the hint context (hint_application):
      // in tandem-internal that could bypass Tandem, or delete its steps.
      const hintContext = valueOf(e, 'hint_context')!;
      expect(hintContext).to.equal('tandem-hints');
      expect(plan.contexts.get('tandem-internal')!.includes).to.not.include(hintContext);
    }
    const webrtc = phones.filter((p) => valueOf(effectiveEntries(wizard, p), 'endpoint/webrtc') === 'yes');
    expect(webrtc.length).to.equal(1);
    const wss = sectionsNamed(transports, valueOf(effectiveEntries(wizard, webrtc[0]!), 'transport')!)[0]!;
    expect(valueOf(wss.entries, 'protocol')).to.equal('wss');
    const trunk = sectionsNamed(wizard, plan.globals.get('TANDEM_TRUNK')!)[0]!;
    const t = effectiveEntries(wizard, trunk);
    expect(valueOf(t, 'endpoint/context')).to.equal('tandem-inbound');
    expect(valueOf(t, 'sends_auth')).to.equal('yes');
    expect(valueOf(t, 'remote_hosts')).to.match(/^[A-Z_]+$/); // a placeholder to fill in
    expect(valueOf(t, 'sends_registrations')).to.equal('yes');
  });

  it('defines the default and tandem music-on-hold classes', () => {
    const moh = conf('musiconhold.conf');
    for (const name of ['default', 'tandem']) {
      const entries = sectionsNamed(moh, name)[0]!.entries;
      expect(valueOf(entries, 'mode')).to.equal('files');
      // Relative to Asterisk's data folder: an absolute folder a standard install lacks is an ERROR at start.
      expect(valueOf(entries, 'directory')).to.match(/^[a-z][a-z0-9/_-]*$/);
    }
  });

  it('keeps autoload but leaves out the modules that fail without a configuration file of their own', () => {
    const modules = sectionsNamed(conf('modules.conf'), 'modules')[0]!.entries;
    expect(valueOf(modules, 'autoload')).to.equal('yes');
    const noload = modules.filter((e) => e.key === 'noload').map((e) => e.value);
    expect(noload).to.include.members(['pbx_ael.so', 'res_config_sqlite3.so', 'res_prometheus.so', 'res_stun_monitor.so', 'cdr_csv.so', 'cel_custom.so', 'chan_websocket.so', 'res_aeap.so']);
    const required = modules.filter((e) => e.key === 'require').map((e) => e.value);
    expect(noload.filter((m) => required.includes(m))).to.deep.equal([]);
  });

  it('requires the modules Tandem depends on', () => {
    const modules = sectionsNamed(conf('modules.conf'), 'modules')[0]!.entries;
    const required = modules.filter((e) => e.key === 'require').map((e) => e.value);
    expect(required).to.include.members(['chan_pjsip.so', 'res_agi.so', 'res_ari.so', 'res_stasis.so', 'app_stasis.so', 'res_http_media_cache.so', 'format_wav.so', 'format_sln.so', 'res_musiconhold.so', 'res_pjsip_config_wizard.so']);
  });

  it('documents hagi:// with the DNS SRV name Asterisk looks up, and the media cache URL form', () => {
    const readme = fs.readFileSync(path.join(asteriskDir, 'README.md'), 'utf8');
    expect(readme).to.contain('hagi://');
    expect(readme).to.contain('_agi._tcp.');
    expect(readme).to.match(/Playback\(http:\/\/[^)]*\/media\/sounds\/en\/[a-z-]+\.wav\)/);
  });
});
