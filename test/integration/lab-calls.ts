// Calls the lab's phones place and calls the carrier answers, beside what lab.ts already plays
// (the carrier calling in, desk phones answering): a desk phone dialling a number (an agent calling
// out, a supervisor dialling the spy feature code), and the carrier on the trunk's remote port
// answering what Asterisk sends out (an outbound call), logging the headers it bills on.
// Each SippRun is the caller's to stop (after()); the lab's own stop() does not know these.
import fs from 'node:fs';
import { freeMediaPorts, freeUdpPort, type Lab } from './lab.ts';
import { eventually } from '../support/eventually.ts';
import { dtmfPcap, fillScenario, scenarioFile, startSipp, type SippRun } from './sipp.ts';
import type { RtpParty } from './rtp-party.ts';

/** SIPp actions sending `keys` as RFC 4733 events, `gapMs` apart. */
export function dtmfExecs(keys: string, gapMs: number): string {
  return [...keys].map((k) => `  <nop><action><exec play_pcap_audio="${dtmfPcap(k)}"/></action></nop>\n  <pause milliseconds="${gapMs}"/>`).join('\n');
}

export interface PhoneCallOptions {
  /** Keys sent once the call is answered (RFC 4733), dtmfAfterMs after the answer, dtmfGapMs apart. */
  dtmf?: string;
  dtmfAfterMs?: number;
  dtmfGapMs?: number;
  /** The phone hangs up this long after the keys, unless Asterisk hangs up first. */
  hangupAfterMs?: number;
}

/**
 * The desk phone of PJSIP endpoint `extension` dials `number` (authenticating as the phone does),
 * so the call enters tandem-internal as a real phone's would. Logs ANSWERED, DTMF, then HUNGUP (the
 * phone hung up), ENDED (Asterisk hung up) or REFUSED (an error answer to the INVITE).
 */
export async function phoneCall(lab: Lab, extension: string, number: string, o: PhoneCallOptions = {}): Promise<SippRun> {
  const keys = o.dtmf ?? '';
  const scenario = fillScenario(
    'phone-call.xml',
    {
      EXTENSION: extension,
      DTMF_NAME: keys || 'none',
      DTMF_EXECS: dtmfExecs(keys, o.dtmfGapMs ?? 400),
      DTMF_AFTER_MS: String(o.dtmfAfterMs ?? 2_500),
      HANGUP_AFTER_MS: String(o.hangupAfterMs ?? 60_000),
    },
    lab.workDir,
  );
  return startSipp({
    sipp: lab.sipp,
    workDir: lab.workDir,
    name: `call-${extension}`,
    scenario,
    args: [
      `127.0.0.1:${lab.ports.sip}`,
      '-s',
      number,
      '-au',
      extension,
      '-ap',
      lab.asterisk.config.phonePassword(extension),
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdpPort()),
      '-mp',
      String(await freeMediaPorts()),
      '-m',
      '1',
    ],
  });
}

/** What the carrier saw of one INVITE Asterisk sent on the trunk. */
export interface CarrierInvite {
  /** The request URI, e.g. sip:0039061234567@127.0.0.1:5060. */
  requestUri: string;
  from: string;
  /** The P-Asserted-Identity header, '' when absent. */
  pAssertedIdentity: string;
}

/**
 * The carrier answering calls on the trunk's remote port (the lab's carrier port), talking
 * `talkMs` unless Asterisk hangs up first. Nothing else may hold the port: no lab.carrier() call
 * may be running. Resolves once Asterisk finds the trunk reachable.
 */
export async function carrierAnswer(lab: Lab, o: { talkMs?: number } = {}): Promise<SippRun & { invite(): Promise<CarrierInvite> }> {
  const scenario = fillScenario('carrier-answer.xml', { TALK_MS: String(o.talkMs ?? 60_000) }, lab.workDir);
  const run = startSipp({
    sipp: lab.sipp,
    workDir: lab.workDir,
    name: 'carrier-answer',
    scenario,
    // No call limit: the trunk's qualify OPTIONS count as calls too; the caller stops it.
    args: ['-i', '127.0.0.1', '-p', String(lab.ports.carrier), '-mp', String(await freeMediaPorts())],
  });
  await untilTrunkReachable(lab);
  const field = (lines: string[], key: string) => (lines.find((l) => l.startsWith(`${key} `)) ?? `${key} `).slice(key.length + 1).trim();
  return Object.assign(run, {
    async invite(): Promise<CarrierInvite> {
      await run.waitForLog(/^PAI /, 'the carrier receiving an INVITE', { timeoutMs: 60_000 });
      const lines = run.logLines();
      return { requestUri: field(lines, 'INVITE'), from: field(lines, 'FROM'), pAssertedIdentity: field(lines, 'PAI') };
    },
  });
}

/**
 * Qualifies the trunk until Asterisk finds its contact reachable: a contact that went unanswered
 * (no carrier listened at the last qualify) is not dialled.
 */
async function untilTrunkReachable(lab: Lab): Promise<void> {
  const contacts = async () => {
    await lab.asterisk.cli('pjsip qualify tandem-trunk');
    return lab.asterisk.cli('pjsip show contacts');
  };
  // "  Contact:  tandem-trunk/sip:127.0.0.1:5070   hash   Avail   0.412"
  await eventually(contacts, (text) => /^\s*Contact:\s+tandem-trunk\/\S+\s+\S+\s+Avail\b/m.test(text), 'the trunk reachable (the carrier answering its qualify)', { timeoutMs: 30_000, everyMs: 500 });
}

/**
 * A filled scenario rewritten so that its media is `party`'s: the SDP names the party's port, SIPp
 * plays no audio of its own, and the message carrying Asterisk's SDP (the first INVITE a phone
 * receives, the 200 OK a caller receives) logs Asterisk's RTP port as `MEDIA m=audio <port>`.
 */
function withRtpParty(file: string, party: RtpParty): string {
  let text = fs.readFileSync(file, 'utf8');
  const swaps: [RegExp | string, string][] = [
    ['m=audio [media_port]', `m=audio ${party.port}`],
    ['<exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/>', ''],
    [/(<recv (?:request="INVITE"|response="200") rrs="true">\s*<action>)/, '$1<ereg regexp="m=audio [0-9]+" search_in="body" check_it="true" assign_to="remote_media"/><log message="MEDIA [$remote_media]"/>'],
  ];
  for (const [from, to] of swaps) {
    const next = typeof from === 'string' ? text.replaceAll(from, to) : text.replace(from, to);
    if (next === text) throw new Error(`${file}: nothing to rewrite for ${String(from)}`);
    text = next;
  }
  fs.writeFileSync(file, text);
  return file;
}

/** Once `run` logged Asterisk's RTP port for its latest call, `party` talks to it. */
export async function talkWhenConnected(run: SippRun, party: RtpParty, count = 1): Promise<void> {
  const lines = await run.waitForLog(/^MEDIA m=audio [0-9]+/, `${run.name}'s media connected`, { count, timeoutMs: 60_000 });
  party.talkTo(Number(/([0-9]+)$/.exec(lines[lines.length - 1]!)![1]));
}

/** A desk phone like lab.phone(), whose media is `party` (what it hears is counted there). */
export async function rtpPhone(lab: Lab, extension: string, party: RtpParty, o: { ringMs?: number; talkMs?: number } = {}): Promise<SippRun> {
  const answer = withRtpParty(fillScenario('phone-answer.xml', { RING_MS: String(o.ringMs ?? 300), TALK_MS: String(o.talkMs ?? 600_000) }, lab.workDir), party);
  const run = startSipp({
    sipp: lab.sipp,
    workDir: lab.workDir,
    name: `rtp-phone-${extension}`,
    scenario: scenarioFile('phone-register.xml'),
    oocScenario: answer,
    args: [`127.0.0.1:${lab.ports.sip}`, '-s', extension, '-au', extension, '-ap', lab.asterisk.config.phonePassword(extension), '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-mp', String(await freeMediaPorts()), '-m', '1'],
  });
  await run.waitForLog(/^REGISTERED /, `phone ${extension} registered`);
  return run;
}

/** The carrier calling `did` once like lab.carrier(), whose media is `party`. No other carrier may run. */
export async function rtpCarrierCall(lab: Lab, did: string, caller: string, party: RtpParty, o: { hangupAfterMs?: number } = {}): Promise<SippRun> {
  const scenario = withRtpParty(
    fillScenario(
      'carrier-call.xml',
      { CALLER: caller, CALLER_NAME: `"Caller ${caller}[call_number]"`, DTMF_NAME: 'none', DTMF_EXECS: '', DTMF_AFTER_MS: '1000', HANGUP_AFTER_MS: String(o.hangupAfterMs ?? 600_000) },
      lab.workDir,
    ),
    party,
  );
  return startSipp({
    sipp: lab.sipp,
    workDir: lab.workDir,
    name: `rtp-carrier-${did}`,
    scenario,
    args: [`127.0.0.1:${lab.ports.sip}`, '-s', did, '-i', '127.0.0.1', '-p', String(lab.ports.carrier), '-mp', String(await freeMediaPorts()), '-m', '1', '-l', '1', '-aa'],
  });
}
