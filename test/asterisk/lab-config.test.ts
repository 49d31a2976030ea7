// The integration lab's own edits of the Asterisk configuration (test/integration/asterisk-config.ts),
// parsed as Asterisk reads them: the run's RTP range where Asterisk looks for it, and agents'
// phones beyond the test-only file written like its sections.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { LAB_ADDITIONS_DIR, labPorts, phoneSectionLikeFirst, type LabPorts } from '../integration/asterisk-config.ts';
import { parseConf, sectionsNamed, valueOf } from './conf-parser.ts';

const ports: LabPorts = { sip: 5070, carrier: 5080, ami: 5039, http: 8089, agi: 4574, rtpStart: 12_000, rtpEnd: 12_998 };

function labFiles(rtp: string): Map<string, string> {
  const files = new Map<string, string>([
    ['pjsip.conf', '[transport-udp]\nbind = 0.0.0.0:5060\n[transport-wss]\nbind = 0.0.0.0\n'],
    ['manager.conf', '[general]\nport = 5038\nbindaddr = 0.0.0.0\n'],
    ['http.conf', '[general]\nbindport = 8088\nbindaddr = 0.0.0.0\n'],
    ['rtp.conf', rtp],
  ]);
  labPorts(files, ports);
  return files;
}

describe("the lab's Asterisk configuration", () => {
  it("puts the run's RTP range in the first [general] of rtp.conf, the only one Asterisk reads it from", () => {
    const rtp = parseConf(labFiles('; ports\n[general]\nrtpstart = 10000\nrtpend = 10200\nicesupport = no\n').get('rtp.conf')!);
    const general = sectionsNamed(rtp, 'general');
    expect(general).to.have.length(1);
    expect(valueOf(general[0]!.entries, 'rtpstart')).to.equal('12000');
    expect(valueOf(general[0]!.entries, 'rtpend')).to.equal('12998');
    expect(general[0]!.entries.filter((e) => e.key === 'rtpstart')).to.have.length(1);
    expect(valueOf(general[0]!.entries, 'icesupport')).to.equal('no');
  });

  it('adds a [general] with the range to an rtp.conf that has none', () => {
    const general = sectionsNamed(parseConf(labFiles('').get('rtp.conf')!), 'general');
    expect(general).to.have.length(1);
    expect(valueOf(general[0]!.entries, 'rtpstart')).to.equal('12000');
  });

  it("writes another agent's phone like the first section of the test-only phones file, with its own secret placeholder", () => {
    const phones = fs.readFileSync(path.join(LAB_ADDITIONS_DIR, 'pjsip_wizard_phones.conf'), 'utf8');
    const [section] = parseConf(phoneSectionLikeFirst(phones, '2207')).sections;
    const [first] = parseConf(phones).sections;
    expect(section).to.include({ name: '2207' });
    expect(section!.inherits).to.deep.equal(first!.inherits);
    expect(valueOf(section!.entries, 'inbound_auth/username')).to.equal('2207');
    expect(valueOf(section!.entries, 'inbound_auth/password')).to.equal('CHANGE_ME:phone_2207_password');
    expect(valueOf(section!.entries, 'hint_exten')).to.equal('2207');
    expect(section!.entries.map((e) => e.key)).to.deep.equal(first!.entries.map((e) => e.key));
  });
});
