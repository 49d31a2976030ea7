// Keeps the message catalogue complete: no .tsx file of the web app may render an English word
// written inline (JSX text, or a literal in the attributes people read: aria-label, title,
// placeholder, alt). Words go through t() and live in designer/src/i18n/en*. Pure: the files are
// parsed with the TypeScript compiler, nothing is rendered.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import ts from 'typescript';
import { en } from '../../designer/src/i18n/en.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sourceDir = join(root, 'designer/src');

/** Attributes whose value a person reads or hears. */
const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt']);

/**
 * Inline texts allowed, each with why. `file` is relative to designer/src; `text` is the literal as
 * written (trimmed). Keep this short: a word a translator would change belongs in the catalogue.
 */
const EXCEPTIONS: readonly { file: string; text: string; reason: string }[] = [
  { file: 'app/AppHeader.tsx', text: 'T', reason: 'the logo letter, hidden from screen readers' },
  { file: 'pages/LoginPage.tsx', text: 'T', reason: 'the logo letter, hidden from screen readers' },
];

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly where: string;
}

const hasLetter = (text: string) => /\p{L}/u.test(text);

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** String literals an expression evaluates to directly (through ?:, &&, ||, ?? and parentheses). */
function literalsOf(node: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node];
  if (ts.isTemplateExpression(node)) return [node];
  if (ts.isParenthesizedExpression(node)) return literalsOf(node.expression);
  if (ts.isConditionalExpression(node)) return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalsOf(node.right);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return [...literalsOf(node.left), ...literalsOf(node.right)];
  }
  return [];
}

/** The words of a literal: a template's fixed parts only (what is interpolated is data). */
function wordsOf(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return '';
}

function inlineTexts(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string, where: string) => {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (!hasLetter(trimmed)) return;
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: trimmed, where });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) report(node, node.text, 'text');
    else if (ts.isJsxExpression(node) && node.expression !== undefined && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const literal of literalsOf(node.expression)) report(literal, wordsOf(literal), 'text');
    } else if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(source)) && node.initializer !== undefined) {
      const value = node.initializer;
      const literals = ts.isStringLiteral(value) ? [value] : ts.isJsxExpression(value) && value.expression !== undefined ? literalsOf(value.expression) : [];
      for (const literal of literals) report(literal, wordsOf(literal), node.name.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

const scanAll = () => tsxFiles(sourceDir).flatMap((path) => inlineTexts(relative(sourceDir, path), readFileSync(path, 'utf8')));

describe('message catalogue', () => {
  it('no .tsx file under designer/src renders an inline English text (JSX text, aria-label, title, placeholder, alt)', () => {
    const found = scanAll();
    const allowed = (f: Finding) => EXCEPTIONS.some((e) => e.file === f.file && e.text === f.text);
    const offending = found.filter((f) => !allowed(f)).map((f) => `${f.file}:${f.line} ${f.where}: ${JSON.stringify(f.text)}`);
    expect(offending, `inline texts (move them to designer/src/i18n/en/*.ts and use t()):\n${offending.join('\n')}\n`).to.deep.equal([]);
  });

  it('every exception still matches a text in the code (stale ones are removed)', () => {
    const found = scanAll();
    const stale = EXCEPTIONS.filter((e) => !found.some((f) => f.file === e.file && f.text === e.text));
    expect(stale).to.deep.equal([]);
  });

  it('the checker sees JSX text, read attributes and literal branches, and leaves class names and data alone', () => {
    const probe = [
      'export const A = ({ open, n }: { open: boolean; n: number }) => (',
      '  <div className="toolbar wide" data-testid="save-button" role="toolbar">',
      '    <button type="button" aria-label="Close the dialog" title={open ? "Opened" : "Closed"}>Save the project</button>',
      '    <input placeholder={`Search blocks`} name="query" aria-label={label} />',
      '    {n === 0 && "Nothing yet"} {`${n} items of ${n}`} {"…"} {t("designer.title")}',
      '    <span title="">{" · "}</span>',
      '  </div>',
      ');',
    ].join('\n');
    const texts = inlineTexts('probe.tsx', probe).map((f) => `${f.where}:${f.text}`);
    expect(texts).to.deep.equal(['aria-label:Close the dialog', 'title:Opened', 'title:Closed', 'text:Save the project', 'placeholder:Search blocks', 'text:Nothing yet', 'text:items of']);
  });

  it('the catalogue has no empty text', () => {
    const empty: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (typeof value === 'string') {
        if (value.trim() === '') empty.push(path);
      } else if (value !== null && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) walk(inner, path === '' ? key : `${path}.${key}`);
      }
    };
    walk(en, '');
    expect(empty).to.deep.equal([]);
  });
});
