// Issue 22, finding 11: the CSV export left `Bob;=1+1` unquoted — a spreadsheet that reads `;` as
// the separator (most European locales) splits it and runs `=1+1` as a formula. Now every cell is
// quoted (csv-stringify) and a cell starting with = + - @, a tab or a carriage return gets a leading
// single quote (server/staff/csv.ts).
import { expect } from 'chai';
import { toCsv } from '../../server/staff/csv.ts';
import { agentBody, startTestNode, type TestNode } from '../support/tandem.ts';

/** RFC 4180 records, and whether every field was quoted. */
function parseCsv(text: string): { records: string[][]; allQuoted: boolean } {
  const records: string[][] = [];
  let record: string[] = [];
  let allQuoted = true;
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      allQuoted = false;
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
    }
  }
  if (record.length) records.push(record);
  return { records, allQuoted };
}

const DANGEROUS = ['=1+1', '+1+1', '-1+1', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', '=HYPERLINK("http://evil.example","x")'];
const HARMLESS = ['Bob;=1+1', 'Bob', 'say "hi"', 'a,b', 'two\r\nlines', '', ' =1+1', '1-2'];

describe('security row 11: CSV export against formula injection', function () {
  this.timeout(60_000);

  it('quotes every cell and defuses formula starts with a single quote', () => {
    const cells = [...DANGEROUS, ...HARMLESS];
    const csv = toCsv(cells, [{ header: 'value', value: (v) => v }, { header: '=header', value: () => null }]);
    const { records, allQuoted } = parseCsv(csv);
    expect(allQuoted, csv).to.equal(true);
    expect(records[0]).to.deep.equal(['value', "'=header"]);
    const values = records.slice(1).map((r) => r[0]);
    expect(values).to.deep.equal([...DANGEROUS.map((v) => "'" + v), ...HARMLESS]);
    for (const r of records.slice(1)) expect(r[1]).to.equal('');
    // `Bob;=1+1` stays inside its quotes, where a `;`-separating spreadsheet does not split it.
    expect(csv).to.contain('"Bob;=1+1"');
  });

  describe('GET /api/agents/export.csv', () => {
    let node: TestNode;
    before(async () => {
      node = await startTestNode('postgres');
    });
    after(async () => node?.stop());

    it('exports hostile profile fields quoted and defused', async () => {
      const t = node.adminToken;
      const ids: number[] = [];
      for (const [fullName, alias] of [
        ['Bob;=1+1', '=1+1'],
        ['@SUM(A1:A9)', '-2+3'],
        ['Eve', '+cmd|" /C calc"!A0'],
      ] as const) {
        const a = await node.client.post<{ id: number }>('/api/agents', agentBody({ fullName, alias }), t);
        expect(a.status, a.text).to.equal(201);
        ids.push(a.body.id);
      }
      const res = await node.client.get(`/api/agents/export.csv?ids=${ids.join(',')}`, t);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      const { records, allQuoted } = parseCsv(res.text);
      expect(allQuoted, res.text).to.equal(true);
      const header = records[0]!;
      const col = (name: string) => header.indexOf(name);
      const rows = records.slice(1).map((r) => ({ fullName: r[col('fullName')], alias: r[col('alias')] }));
      expect(rows).to.have.deep.members([
        { fullName: 'Bob;=1+1', alias: "'=1+1" },
        { fullName: "'@SUM(A1:A9)", alias: "'-2+3" },
        { fullName: 'Eve', alias: `'+cmd|" /C calc"!A0` },
      ]);
      for (const r of records) for (const cell of r) expect(cell, cell).to.not.match(/^[=+\-@\t\r]/);
    });
  });
});
