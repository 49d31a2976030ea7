// A small parser for Asterisk's configuration format, enough to check the files of asterisk/ the
// way Asterisk reads them (main/config.c, pbx/pbx_config.c):
//   [section]  [tpl](!)  [obj](tpl1,tpl2)  [tpl2](!,tpl1)  [section](+)
//   key = value   key => value   ; comment   \; literal semicolon   ;-- block comment --;
//   #include file   #include "file"   #tryinclude file
// and, for extensions.conf, `exten => name,priority[(label)],App(args)`, `same => n[(label)],App(args)`
// with numeric priorities resolved (`n` = previous + 1) and `include => context`.
import fs from 'node:fs';
import path from 'node:path';

export interface ConfEntry {
  key: string;
  value: string;
  op: '=' | '=>';
  file: string;
  line: number;
}

export interface ConfSection {
  name: string;
  /** `(!)`: a template, never an object of its own. */
  template: boolean;
  /** Templates inherited, in order: their entries come before the section's own. */
  inherits: string[];
  /** `(+)`: adds to an earlier section of the same name. */
  append: boolean;
  entries: ConfEntry[];
  file: string;
  line: number;
}

export interface ConfInclude {
  target: string;
  optional: boolean;
  file: string;
  line: number;
}

export interface ConfFile {
  file: string;
  sections: ConfSection[];
  includes: ConfInclude[];
}

export class ConfParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ConfParseError';
  }
}

/** Removes comments: `;` to end of line unless escaped as `\;`; `;--` … `--;` across lines. */
function stripComments(lines: string[]): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of lines) {
    let line = '';
    for (let i = 0; i < raw.length; i++) {
      if (inBlock) {
        if (raw.startsWith('--;', i)) {
          inBlock = false;
          i += 2;
        }
        continue;
      }
      const c = raw[i]!;
      if (c === '\\' && raw[i + 1] === ';') {
        line += ';';
        i++;
        continue;
      }
      if (c === ';') {
        if (raw.startsWith(';--', i)) {
          inBlock = true;
          i += 2;
          continue;
        }
        break;
      }
      line += c;
    }
    out.push(line);
  }
  return out;
}

export function parseConf(text: string, file = '(text)'): ConfFile {
  const lines = stripComments(text.split(/\r?\n/));
  const result: ConfFile = { file, sections: [], includes: [] };
  let current: ConfSection | undefined;
  lines.forEach((content, index) => {
    const lineNo = index + 1;
    const line = content.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#(include|tryinclude)\s+"?([^"]+?)"?\s*$/.exec(line);
      if (!m) throw new ConfParseError(file, lineNo, `unknown directive '${line}'`);
      result.includes.push({ target: m[2]!, optional: m[1] === 'tryinclude', file, line: lineNo });
      return;
    }
    if (line.startsWith('[')) {
      const m = /^\[([^\]]+)\]\s*(?:\(([^)]*)\))?$/.exec(line);
      if (!m) throw new ConfParseError(file, lineNo, `malformed section header '${line}'`);
      const options = m[2] === undefined ? [] : m[2].split(',').map((s) => s.trim());
      if (options.some((o) => o === '')) throw new ConfParseError(file, lineNo, `empty template name in '${line}'`);
      current = {
        name: m[1]!.trim(),
        template: options.includes('!'),
        append: options.includes('+'),
        inherits: options.filter((o) => o !== '!' && o !== '+'),
        entries: [],
        file,
        line: lineNo,
      };
      result.sections.push(current);
      return;
    }
    const m = /^([^=]+?)\s*(=>|=)\s*(.*)$/.exec(line);
    if (!m) throw new ConfParseError(file, lineNo, `expected 'key = value', got '${line}'`);
    if (!current) throw new ConfParseError(file, lineNo, `'${m[1]}' is outside of any [section]`);
    current.entries.push({ key: m[1]!.trim(), value: m[3]!.trim(), op: m[2] as '=' | '=>', file, line: lineNo });
  });
  return result;
}

/** Parses a file and, in place, the files it #includes (paths relative to its folder, as in /etc/asterisk). */
export function loadConf(filePath: string, seen: Set<string> = new Set()): ConfFile {
  const resolved = path.resolve(filePath);
  if (seen.has(resolved)) throw new ConfParseError(filePath, 0, 'include loop');
  seen.add(resolved);
  const own = parseConf(fs.readFileSync(resolved, 'utf8'), path.basename(resolved));
  const merged: ConfFile = { file: own.file, sections: [...own.sections], includes: [...own.includes] };
  for (const inc of own.includes) {
    const target = path.resolve(path.dirname(resolved), inc.target);
    if (!fs.existsSync(target)) {
      if (inc.optional) continue;
      throw new ConfParseError(inc.file, inc.line, `#include of missing file '${inc.target}'`);
    }
    const child = loadConf(target, seen);
    merged.sections.push(...child.sections);
    merged.includes.push(...child.includes);
  }
  return merged;
}

/** The (non-template) sections of that name. */
export function sectionsNamed(conf: ConfFile, name: string): ConfSection[] {
  return conf.sections.filter((s) => s.name === name && !s.template);
}

export function templateNamed(conf: ConfFile, name: string): ConfSection | undefined {
  return conf.sections.find((s) => s.name === name && s.template);
}

/** A section's entries with its templates' entries first (recursively), as Asterisk applies them. */
export function effectiveEntries(conf: ConfFile, section: ConfSection, depth = 0): ConfEntry[] {
  if (depth > 16) throw new ConfParseError(section.file, section.line, `template chain too deep at [${section.name}]`);
  const inherited: ConfEntry[] = [];
  for (const name of section.inherits) {
    const tpl = conf.sections.find((s) => s.name === name && s.template) ?? conf.sections.find((s) => s.name === name);
    if (!tpl) throw new ConfParseError(section.file, section.line, `[${section.name}] uses unknown template '${name}'`);
    inherited.push(...effectiveEntries(conf, tpl, depth + 1));
  }
  return [...inherited, ...section.entries];
}

/** The last value of a key (later entries override earlier ones, templates' included). */
export function valueOf(entries: readonly ConfEntry[], key: string): string | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === key) return entries[i]!.value;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Dialplan

export interface DialplanStep {
  context: string;
  exten: string;
  priority: number;
  label: string | undefined;
  app: string;
  /** The text between the parentheses, unparsed (GotoIf and expressions need it whole). */
  rawArgs: string;
  /** Arguments split on top-level commas, as Asterisk's standard argument parsing does. */
  args: string[];
  file: string;
  line: number;
}

export interface DialplanContext {
  name: string;
  /** Extension name → steps by ascending priority. */
  extensions: Map<string, DialplanStep[]>;
  includes: string[];
}

export interface Dialplan {
  globals: Map<string, string>;
  contexts: Map<string, DialplanContext>;
}

/** Splits on commas outside (), [], {} and double quotes; `\,` is a literal comma. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[i + 1]!;
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '(' || c === '[' || c === '{')) depth++;
    else if (!quoted && (c === ')' || c === ']' || c === '}')) depth--;
    if (c === ',' && depth === 0 && !quoted) {
      args.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  args.push(cur);
  return args;
}

function parseApplication(text: string, file: string, line: number): { app: string; rawArgs: string } {
  const m = /^([A-Za-z][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/.exec(text.trim());
  if (!m) throw new ConfParseError(file, line, `malformed application '${text}'`);
  return { app: m[1]!, rawArgs: m[2] ?? '' };
}

export function parseDialplan(conf: ConfFile): Dialplan {
  const plan: Dialplan = { globals: new Map(), contexts: new Map() };
  for (const section of conf.sections) {
    if (section.name === 'general') continue;
    if (section.name === 'globals') {
      for (const e of section.entries) plan.globals.set(e.key, e.value);
      continue;
    }
    let ctx = plan.contexts.get(section.name);
    if (!ctx) plan.contexts.set(section.name, (ctx = { name: section.name, extensions: new Map(), includes: [] }));
    let lastExten: string | undefined;
    let lastPriority = 0;
    for (const e of section.entries) {
      if (e.key === 'include') {
        ctx.includes.push(e.value);
        continue;
      }
      if (e.key !== 'exten' && e.key !== 'same') throw new ConfParseError(e.file, e.line, `unexpected '${e.key}' in context [${section.name}]`);
      let name: string;
      let rest: string;
      if (e.key === 'exten') {
        const comma = e.value.indexOf(',');
        if (comma < 0) throw new ConfParseError(e.file, e.line, `exten without priority: '${e.value}'`);
        name = e.value.slice(0, comma).trim();
        rest = e.value.slice(comma + 1);
        if (name !== lastExten) lastPriority = 0;
      } else {
        if (lastExten === undefined) throw new ConfParseError(e.file, e.line, `'same =>' before any 'exten =>' in [${section.name}]`);
        name = lastExten;
        rest = e.value;
      }
      const comma = rest.indexOf(',');
      if (comma < 0) throw new ConfParseError(e.file, e.line, `no application after the priority: '${e.value}'`);
      const prioText = rest.slice(0, comma).trim();
      const appText = rest.slice(comma + 1);
      const pm = /^(n|\d+|hint)(?:\(([A-Za-z0-9_-]+)\))?$/.exec(prioText);
      if (!pm) throw new ConfParseError(e.file, e.line, `malformed priority '${prioText}'`);
      lastExten = name;
      if (pm[1] === 'hint') continue; // hints are not steps
      const priority = pm[1] === 'n' ? lastPriority + 1 : Number(pm[1]);
      if (pm[1] === 'n' && lastPriority === 0) throw new ConfParseError(e.file, e.line, `priority 'n' with no previous priority for '${name}'`);
      const steps = ctx.extensions.get(name) ?? [];
      if (steps.some((s) => s.priority === priority)) throw new ConfParseError(e.file, e.line, `priority ${priority} of '${name}' in [${section.name}] is defined twice`);
      if (pm[2] && steps.some((s) => s.label === pm[2])) throw new ConfParseError(e.file, e.line, `label '${pm[2]}' of '${name}' in [${section.name}] is defined twice`);
      const { app, rawArgs } = parseApplication(appText, e.file, e.line);
      steps.push({ context: section.name, exten: name, priority, label: pm[2], app, rawArgs, args: rawArgs === '' ? [] : splitArgs(rawArgs), file: e.file, line: e.line });
      steps.sort((a, b) => a.priority - b.priority);
      ctx.extensions.set(name, steps);
      lastPriority = priority;
    }
  }
  return plan;
}

/** Does a dialplan extension name (`1001`, `_X.`, `_+X.`, `_*X.`, `s`) match this number? */
export function extensionMatches(pattern: string, number: string): boolean {
  if (!pattern.startsWith('_')) return pattern === number;
  let re = '';
  const p = pattern.slice(1);
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === 'X') re += '[0-9]';
    else if (c === 'Z') re += '[1-9]';
    else if (c === 'N') re += '[2-9]';
    else if (c === '.') re += '.+';
    else if (c === '!') re += '.*';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new Error(`unterminated [ in pattern ${pattern}`);
      re += `[${p.slice(i + 1, end).replace(/[\\^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(number);
}
