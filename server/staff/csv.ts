// CSV export (RFC 4180, through csv-stringify), safe to open in a spreadsheet:
//
// - every cell is quoted, so a separator inside a value never splits it — `Bob;=1+1` stays one cell
//   in a spreadsheet that reads `;` as the separator (most European locales), where it would
//   otherwise become a second cell holding a formula;
// - a cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
//   return) is defused with a leading single quote: a name such as `=HYPERLINK(...)` typed into an
//   agent's profile must not execute on a manager's desktop (OWASP "CSV injection").
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The text of one cell, before quoting: formula starts defused. */
export function csvText(value: unknown): string {
  const s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(s) ? "'" + s : s;
}

export function toCsv<T>(rows: readonly T[], columns: readonly { header: string; value: (row: T) => unknown }[]): string {
  const records = [columns.map((c) => csvText(c.header)), ...rows.map((row) => columns.map((c) => csvText(c.value(row))))];
  return stringify(records, { quoted: true, quoted_empty: true, record_delimiter: 'windows', eof: true });
}
