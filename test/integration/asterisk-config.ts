// The project's Asterisk configuration prepared the way asterisk/README.md tells a user to install
// it, step by step, over a standard install's files: copy asterisk/*.conf (step 2), say where
// Tandem is and where calls go without it (step 4), fill in the trunk and write one section per
// agent's phone (step 5), replace every placeholder secret (step 3, done last so that it also
// covers the phones' placeholders). The lab's own edits are only what a test machine needs: ports
// that do not collide, loopback only, and the test-only files of test/integration/asterisk.
// Pure text transforms (exported for the configuration tests), and one function writing the folder.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ASTERISK_DIR = path.resolve(here, '../../asterisk');
export const LAB_ADDITIONS_DIR = path.join(here, 'asterisk');

export interface LabPorts {
  sip: number;
  ami: number;
  http: number;
  agi: number;
  /** The carrier's SIP port (SIPp): the trunk's remote host. */
  carrier: number;
  rtpStart: number;
  rtpEnd: number;
}

/** Replaces `key = value` (or `key => value`) inside one [section]; throws when it is not there. */
export function setOption(text: string, section: string, key: string, value: string): string {
  const lines = text.split('\n');
  let inSection = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      inSection = header[1] === section;
      continue;
    }
    if (inSection && new RegExp(`^\\s*${key.replace(/[/.]/g, '\\$&')}\\s*=>?`).test(line)) {
      lines[i] = `${key} = ${value}`;
      return lines.join('\n');
    }
  }
  throw new Error(`no ${key} in [${section}]`);
}

/** Step 3: one random secret per CHANGE_ME placeholder, the same value wherever it appears. */
export function replaceSecrets(files: Map<string, string>, secrets = new Map<string, string>()): Map<string, string> {
  for (const [name, text] of files) {
    files.set(
      name,
      text.replace(/CHANGE_ME:[a-z0-9_]+/g, (placeholder) => {
        if (!secrets.has(placeholder)) secrets.set(placeholder, randomBytes(24).toString('hex'));
        return secrets.get(placeholder)!;
      }),
    );
  }
  return secrets;
}

/** Step 5, the trunk: uncomment the shipped [tandem-trunk] example and fill in the provider's details. */
export function fillTrunk(wizard: string, provider: { host: string; username: string; sendsRegistrations: boolean }): string {
  const lines = wizard.split('\n');
  const start = lines.findIndex((l) => /^;\[tandem-trunk\]\(/.test(l));
  if (start < 0) throw new Error('pjsip_wizard.conf has no commented [tandem-trunk] example');
  for (let i = start; i < lines.length && lines[i]!.startsWith(';') && !lines[i]!.startsWith('; '); i++) {
    lines[i] = lines[i]!.slice(1).replaceAll('SIP_PROVIDER_HOST', provider.host).replaceAll('SIP_PROVIDER_USERNAME', provider.username);
    if (/^sends_registrations\s*=/.test(lines[i]!)) lines[i] = `sends_registrations = ${provider.sendsRegistrations ? 'yes' : 'no'}`;
  }
  return lines.join('\n');
}

/** The lab's machine-specific edits: loopback only, ports of this run. */
export function labPorts(files: Map<string, string>, ports: LabPorts): void {
  const edit = (name: string, fn: (text: string) => string) => files.set(name, fn(files.get(name) ?? ''));
  edit('pjsip.conf', (t) => setOption(setOption(t, 'transport-udp', 'bind', `127.0.0.1:${ports.sip}`), 'transport-wss', 'bind', '127.0.0.1'));
  edit('manager.conf', (t) => setOption(setOption(t, 'general', 'port', String(ports.ami)), 'general', 'bindaddr', '127.0.0.1'));
  edit('http.conf', (t) => setOption(setOption(t, 'general', 'bindport', String(ports.http)), 'general', 'bindaddr', '127.0.0.1'));
  // Into the file's own [general]: Asterisk reads rtpstart/rtpend from the first [general] only (with
  // a second [general] appended, it used its default 5000-31000 and every lab shared that range).
  edit('rtp.conf', (t) => {
    const range = `rtpstart = ${ports.rtpStart}\nrtpend = ${ports.rtpEnd}`;
    const rest = t.replace(/^\s*rtp(start|end)\s*=.*$/gm, '');
    return /^\[general\][ \t]*$/m.test(rest) ? rest.replace(/^\[general\][ \t]*$/m, `[general]\n${range}`) : `${rest}\n[general]\n${range}\n`;
  });
}

/** The first phone section of `phones` (a wizard file of [ext](tandem-phone) sections) written for `extension`. */
export function phoneSectionLikeFirst(phones: string, extension: string): string {
  const first = /^\[(\d+)\]\(tandem-phone\)\n(?:[^[\n].*\n?)*/m.exec(phones);
  if (!first) throw new Error('pjsip_wizard_phones.conf has no [<extension>](tandem-phone) section to copy');
  return `${first[0].replaceAll(first[1]!, extension).trimEnd()}\n`;
}

export interface PreparedConfig {
  dir: string;
  secrets: Map<string, string>;
  amiSecret: string;
  ariPassword: string;
  labAmiSecret: string;
  phonePassword(extension: string): string;
}

/**
 * Writes the configuration folder: `base` is the standard install's files (the tree's own minimal
 * configuration), then the project's files over it, then the README's steps and the lab's edits.
 */
export function prepareAsteriskConfig(options: {
  base: string;
  dir: string;
  ports: LabPorts;
  backupDial: string;
  /** More agents' phones than the test-only file has: sections written like its first one. */
  phones?: readonly string[];
  /** More test-only dialplan files of test/integration/asterisk, included after extensions_lab.conf. */
  dialplan?: readonly string[];
}): PreparedConfig {
  const files = new Map<string, string>();
  const read = (dir: string) => {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.conf'))) files.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  };
  read(options.base);
  // Step 2: an Asterisk dedicated to Tandem gets the project's files as they are.
  read(PROJECT_ASTERISK_DIR);
  // Step 4: where Tandem's FastAGI listens, and the backup destination.
  let ext = files.get('extensions.conf')!;
  ext = setOption(ext, 'globals', 'TANDEM_AGI_PORT', String(options.ports.agi));
  ext = setOption(ext, 'globals', 'TANDEM_BACKUP_DIAL', options.backupDial);
  // Test-only dialplan (the backup destination), included like any local addition.
  files.set('extensions.conf', `${ext}\n#include extensions_lab.conf\n`);
  files.set('extensions_lab.conf', fs.readFileSync(path.join(LAB_ADDITIONS_DIR, 'extensions_lab.conf'), 'utf8'));
  for (const name of options.dialplan ?? []) {
    files.set('extensions.conf', `${files.get('extensions.conf')}#include ${name}\n`);
    files.set(name, fs.readFileSync(path.join(LAB_ADDITIONS_DIR, name), 'utf8'));
  }
  // Asterisk's own call-detail records, turned on as the modules.conf comment tells a user to
  // (delete the noload line, add the module's file): the tests read them as AMI Cdr events.
  const modules = files.get('modules.conf')!;
  if (!/^noload = cdr_manager\.so\n/m.test(modules)) throw new Error('asterisk/modules.conf no longer has the line noload = cdr_manager.so the lab deletes');
  files.set('modules.conf', modules.replace(/^noload = cdr_manager\.so\n/m, ''));
  for (const name of ['cdr.conf', 'cdr_manager.conf']) files.set(name, fs.readFileSync(path.join(LAB_ADDITIONS_DIR, name), 'utf8'));
  files.set('manager.conf', `${files.get('manager.conf')}\n#include manager_lab.conf\n`);
  files.set('manager_lab.conf', fs.readFileSync(path.join(LAB_ADDITIONS_DIR, 'manager_lab.conf'), 'utf8'));
  // Step 5: the trunk (SIPp as the carrier, which recognises Asterisk by address) and the phones.
  let wizard = fillTrunk(files.get('pjsip_wizard.conf')!, { host: `127.0.0.1:${options.ports.carrier}`, username: 'tandem-lab', sendsRegistrations: false });
  // The lab's own lines: the trunk's RTP on loopback too.
  wizard = wizard.replace(/^\[tandem-trunk\]\(.*\)$/m, '$&\nendpoint/media_address = 127.0.0.1\nendpoint/bind_rtp_to_media_address = yes');
  const phones = fs.readFileSync(path.join(LAB_ADDITIONS_DIR, 'pjsip_wizard_phones.conf'), 'utf8');
  wizard = `${wizard}\n${phones}`;
  if (options.phones?.length) wizard = `${wizard}\n${options.phones.map((extension) => phoneSectionLikeFirst(phones, extension)).join('\n')}`;
  files.set('pjsip_wizard.conf', wizard);
  labPorts(files, options.ports);
  // Step 3, over everything written above.
  const secrets = replaceSecrets(files);
  fs.mkdirSync(options.dir, { recursive: true });
  for (const [name, text] of files) fs.writeFileSync(path.join(options.dir, name), text, { mode: 0o640 });
  const secret = (p: string) => {
    const s = secrets.get(p);
    if (!s) throw new Error(`no placeholder ${p} in the configuration`);
    return s;
  };
  return {
    dir: options.dir,
    secrets,
    amiSecret: secret('CHANGE_ME:ami_secret'),
    ariPassword: secret('CHANGE_ME:ari_password'),
    labAmiSecret: secret('CHANGE_ME:lab_ami_secret'),
    phonePassword: (extension) => secret(`CHANGE_ME:phone_${extension}_password`),
  };
}
