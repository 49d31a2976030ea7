// The designer's pure model, without a browser: document edits, undo history, exits and defaults
// derived from the block definitions, auto-layout, the block-level diff, import checks, local drafts.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CATALOGUE, paletteGroups } from '../../designer/src/editor/blocks/catalogue.ts';
import { blockExits } from '../../designer/src/editor/blocks/exits.ts';
import { asSchema, defaultObject, humanize, singular } from '../../designer/src/editor/blocks/schema.ts';
import { summarize } from '../../designer/src/editor/blocks/summary.ts';
import { findBlocks } from '../../designer/src/editor/model/find.ts';
import { autoLayout, layoutPositions, needsLayout } from '../../designer/src/editor/model/auto-layout.ts';
import { diffProjects, isEmptyDiff } from '../../designer/src/editor/model/diff.ts';
import { addBlock, connect, copyBlocks, moveBlocks, newBlock, pasteBlocks, removeBlocks } from '../../designer/src/editor/model/document.ts';
import { editorReducer, initialEditorState } from '../../designer/src/editor/model/editor-state.ts';
import { NODE_WIDTH, estimateHeight } from '../../designer/src/editor/model/geometry.ts';
import { HISTORY_LIMIT, record, redo, startHistory, undo } from '../../designer/src/editor/model/history.ts';
import { MAX_IMPORT_BYTES, exportFileName, exportText, parseImport } from '../../designer/src/editor/model/import-export.ts';
import { decideLocalDraft, draftKey, readLocalDraft, writeLocalDraft, type DraftStorage } from '../../designer/src/editor/model/local-draft.ts';
import { canConnect } from '../../designer/src/editor/model/connections.ts';
import { loadProject, validateProject, type Project } from '../../flows/index.ts';

const examples = ['auto-attendant', 'callback-request', 'chat-bot', 'remote-agent', 'survey'].map((name) =>
  loadProject(readFileSync(new URL(`../../flows/examples/${name}.json`, import.meta.url), 'utf8')),
);

const menuProject = (): Project =>
  loadProject({
    schemaVersion: 2,
    id: 'p',
    name: 'Menu',
    channel: 'voice',
    entry: 'start',
    blocks: {
      start: { type: 'Start', position: { x: 0, y: 0 }, exits: { next: 'menu' } },
      menu: { type: 'Menu', position: { x: 300, y: 0 }, params: { prompts: ['welcome'], choices: ['1', '2'] }, exits: { '1': 'sales', '2': 'support' } },
      sales: { type: 'Playback', position: { x: 600, y: 0 }, params: { prompts: ['sales'] } },
      support: { type: 'Playback', position: { x: 600, y: 200 }, params: { prompts: ['support'] } },
    },
  });

class MemoryStorage implements DraftStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('designer model', () => {
  describe('blocks from the flows catalogue', () => {
    it('the palette lists the catalogue for the channel, without Start, best search match first', () => {
      const voice = paletteGroups('voice', '').flatMap((g) => g.blocks.map((b) => b.type));
      const chat = paletteGroups('chat', '').flatMap((g) => g.blocks.map((b) => b.type));
      expect(voice).to.include.members(['Menu', 'Playback', 'HttpRequest', 'Queue']).and.not.include('Start').and.not.include('SendMessage');
      expect(chat).to.include.members(['SendMessage', 'QuickReplyMenu', 'HttpRequest']).and.not.include('Menu');
      expect(voice.length + 1).to.equal(CATALOGUE.filter((d) => d.channels.includes('voice')).length);
      expect(paletteGroups('voice', 'hang up')[0]!.blocks[0]!.type).to.equal('Hangup');
      expect(paletteGroups('voice', 'http')[0]!.blocks[0]!.type).to.equal('HttpRequest');
      expect(paletteGroups('voice', 'no such block')).to.deep.equal([]);
    });

    it('a new block of every type gets params from its schema defaults and exits from its definition', () => {
      for (const description of CATALOGUE) {
        const block = newBlock(description.type, { x: 0, y: 0 });
        const { defined } = blockExits(block);
        if (description.terminal) expect(defined, description.type).to.deep.equal([]);
        else expect(defined.length, `${description.type} has exits`).to.be.greaterThan(0);
      }
      const menu = newBlock('Menu', { x: 0, y: 0 });
      expect(menu.params).to.deep.include({ prompts: [''], choices: [''], timeoutSec: 5, retries: 2, terminator: '#' });
      // While the choices are being typed the params are invalid; the exits still follow them.
      expect(blockExits({ ...menu, params: { ...menu.params, choices: ['1', '2'] } }).defined).to.deep.equal(['1', '2', 'invalid', 'timeout']);
    });

    it('wired exits the block does not have stay visible, flagged unknown', () => {
      const block = { ...newBlock('Playback', { x: 0, y: 0 }), params: { prompts: ['x'] }, exits: { next: 'a', bogus: 'b' } };
      expect(blockExits(block)).to.deep.equal({ defined: ['next'], unknown: ['bogus'] });
    });

    it('labels fields for people and summarises a block without its defaults', () => {
      expect(humanize('timeoutSec')).to.equal('Timeout (s)');
      expect(humanize('callerId')).to.equal('Caller ID');
      expect(humanize('maxDigits')).to.equal('Max digits');
      expect(singular('choices')).to.equal('choice');
      expect(singular('prompts')).to.equal('prompt');
      const playback = { ...newBlock('Playback', { x: 0, y: 0 }), params: { prompts: ['hello'], skippable: false, escapeDigits: '0123456789*#' } };
      expect(summarize(playback).map((l) => `${l.label}: ${l.value}`)).to.deep.equal(['Prompts: hello']);
      const schema = asSchema(CATALOGUE.find((d) => d.type === 'HttpRequest')!.paramsSchema);
      expect(defaultObject(schema)).to.deep.include({ method: 'GET', url: '', bodyEncoding: 'json' });
    });

    it('connection rules: no wire into Start or into the block itself, only from a real exit', () => {
      const doc = menuProject();
      expect(canConnect(doc, 'menu', '1', 'sales')).to.equal(true);
      expect(canConnect(doc, 'menu', '1', 'start')).to.equal(false);
      expect(canConnect(doc, 'menu', '1', 'menu')).to.equal(false);
      expect(canConnect(doc, 'menu', '7', 'sales')).to.equal(false);
      expect(canConnect(doc, 'menu', null, 'sales')).to.equal(false);
    });
  });

  describe('document edits', () => {
    it('adds blocks with readable unique ids and wires one target per exit', () => {
      let doc = menuProject();
      const first = addBlock(doc, 'Playback', { x: 10.4, y: 20.6 });
      expect(first.id).to.equal('playback');
      expect(first.doc.blocks.playback!.position).to.deep.equal({ x: 10, y: 21 });
      const second = addBlock(first.doc, 'Playback', { x: 0, y: 0 });
      expect(second.id).to.equal('playback-2');
      expect(addBlock(doc, 'HttpRequest', { x: 0, y: 0 }).id).to.equal('http-request');
      doc = connect(second.doc, 'menu', '1', 'playback');
      expect(doc.blocks.menu!.exits['1']).to.equal('playback');
      doc = connect(doc, 'menu', '1', null);
      expect(doc.blocks.menu!.exits).to.deep.equal({ '2': 'support' });
      expect(connect(doc, 'menu', '1', 'nowhere')).to.equal(doc);
    });

    it('removing blocks unwires exits that led to them and never removes the entry', () => {
      const doc = removeBlocks(menuProject(), ['sales', 'start']);
      expect(Object.keys(doc.blocks)).to.have.members(['start', 'menu', 'support']);
      expect(doc.blocks.menu!.exits).to.deep.equal({ '2': 'support' });
    });

    it('moving shares every block it did not move', () => {
      const before = menuProject();
      const after = moveBlocks(before, new Map([['menu', { x: 5, y: 6 }]]));
      expect(after.blocks.menu!.position).to.deep.equal({ x: 5, y: 6 });
      expect(after.blocks.sales).to.equal(before.blocks.sales);
      expect(moveBlocks(after, new Map([['menu', { x: 5, y: 6 }]]))).to.equal(after);
    });

    it('copy/paste gives fresh ids, keeps inner wires, drops outer ones, never pastes a second Start', () => {
      const doc = menuProject();
      const clip = copyBlocks(doc, ['start', 'menu', 'sales'])!;
      expect(clip.blocks.menu!.exits).to.deep.equal({ '1': 'sales' });
      const pasted = pasteBlocks(doc, clip, { x: 32, y: 32 });
      expect(pasted.ids).to.deep.equal(['menu-2', 'playback']);
      expect(pasted.doc.blocks['menu-2']!.exits).to.deep.equal({ '1': 'playback' });
      expect(pasted.doc.blocks['menu-2']!.position).to.deep.equal({ x: 332, y: 32 });
      expect(Object.values(pasted.doc.blocks).filter((b) => b.type === 'Start')).to.have.length(1);
      expect(validateProject(pasted.doc).problems.filter((p) => p.severity === 'error')).to.deep.equal([]);
    });
  });

  describe('undo history', () => {
    it('records, undoes, redoes, coalesces typing, and forgets beyond its limit', () => {
      let h = startHistory(0);
      h = record(h, 1, 'a', 1000);
      h = record(h, 2, 'a', 1500); // same field, shortly after: one step
      expect(h.past).to.deep.equal([0]);
      h = record(h, 3, 'b', 1600);
      expect(undo(h).present).to.equal(2);
      expect(redo(undo(h)).present).to.equal(3);
      expect(record(undo(h), 9).future).to.deep.equal([]);
      let big = startHistory(0);
      for (let i = 1; i <= HISTORY_LIMIT + 50; i++) big = record(big, i);
      expect(big.past).to.have.length(HISTORY_LIMIT);
    });

    it('a drag is one undo step; selection follows the document', () => {
      const doc = menuProject();
      let state = initialEditorState(doc);
      state = editorReducer(state, { type: 'checkpoint' });
      for (let x = 1; x <= 30; x++) state = editorReducer(state, { type: 'replace', doc: moveBlocks(state.history.present, new Map([['menu', { x, y: 0 }]])) });
      state = editorReducer(state, { type: 'select-delta', nodes: [['menu', true]], edges: [['menu:1', true]] });
      expect(state.history.present.blocks.menu!.position.x).to.equal(30);
      state = editorReducer(state, { type: 'undo' });
      expect(state.history.present).to.equal(doc);
      state = editorReducer(state, { type: 'edit', doc: removeBlocks(doc, ['menu']) });
      expect([...state.selection.nodes]).to.deep.equal([]);
      expect([...state.selection.edges]).to.deep.equal([]);
    });
  });

  describe('auto-layout', () => {
    it('lays out every example without overlaps, entry first, and is deterministic', () => {
      for (const example of examples) {
        const laid = autoLayout(example);
        expect(needsLayout(laid), example.id).to.equal(false);
        const entry = laid.blocks[laid.entry]!.position;
        for (const block of Object.values(laid.blocks)) expect(block.position.x).to.be.at.least(entry.x);
        expect(autoLayout(example)).to.deep.equal(laid);
        expect(validateProject(laid).problems).to.deep.equal(validateProject(example).problems);
      }
    });

    it('detects overlapping or stacked documents', () => {
      expect(needsLayout(examples[0]!)).to.equal(true);
      expect(needsLayout(menuProject())).to.equal(false);
      const stacked = { ...menuProject(), blocks: Object.fromEntries(Object.entries(menuProject().blocks).map(([id, b]) => [id, { ...b, position: { x: 0, y: 0 } }])) };
      expect(needsLayout(stacked)).to.equal(true);
      const next = layoutPositions(stacked);
      expect(next.get('menu')!.x).to.equal(NODE_WIDTH + 80);
      expect(estimateHeight(stacked.blocks.menu!)).to.be.greaterThan(estimateHeight(stacked.blocks.sales!));
    });

    it('copes with long chains and loops (iterative: no stack overflow)', () => {
      const blocks: Record<string, unknown> = { start: { type: 'Start', exits: { next: 'b0' } } };
      for (let i = 0; i < 3000; i++) blocks[`b${i}`] = { type: 'Goto', exits: { next: i === 2999 ? 'b0' : `b${i + 1}` } };
      const doc = loadProject({ schemaVersion: 2, id: 'chain', name: 'Chain', channel: 'voice', entry: 'start', blocks });
      const positions = layoutPositions(doc);
      expect(positions.size).to.equal(3001);
      expect(positions.get('b2999')!.x).to.be.greaterThan(positions.get('b0')!.x);
    });
  });

  describe('block-level diff', () => {
    it('names added, removed, moved and changed blocks with their params and exits', () => {
      const before = menuProject();
      let after = moveBlocks(before, new Map([['support', { x: 700, y: 300 }]]));
      after = { ...after, name: 'Menu 2', blocks: { ...after.blocks, menu: { ...after.blocks.menu!, params: { ...after.blocks.menu!.params, prompts: ['hello'], choices: ['1', '2', '3'] }, exits: { '1': 'sales', '2': 'sales', '3': 'bye' } } } };
      delete (after.blocks as Record<string, unknown>).sales;
      after = { ...after, blocks: { ...after.blocks, bye: newBlock('Hangup', { x: 900, y: 0 }) } };
      const diff = diffProjects(before, after);
      expect(diff.counts).to.deep.equal({ added: 1, removed: 1, changed: 1, moved: 1, unchanged: 1 });
      expect(diff.blocks.map((b) => `${b.kind}:${b.id}`)).to.deep.equal(['added:bye', 'removed:sales', 'changed:menu', 'moved:support']);
      const menu = diff.blocks.find((b) => b.id === 'menu')!;
      expect(menu.params).to.deep.equal([
        { path: 'prompts.0', before: 'welcome', after: 'hello' },
        { path: 'choices', before: ['1', '2'], after: ['1', '2', '3'] },
      ]);
      expect(menu.exits).to.deep.equal([
        { exit: '2', before: 'support', after: 'sales' },
        { exit: '3', before: null, after: 'bye' },
      ]);
      expect(diff.project).to.deep.equal([{ path: 'name', before: 'Menu', after: 'Menu 2' }]);
      expect(isEmptyDiff(diffProjects(before, structuredClone(before)))).to.equal(true);
    });
  });

  describe('import and export', () => {
    it('round-trips an exported project', () => {
      const doc = menuProject();
      const parsed = parseImport(exportText(doc));
      expect(parsed.ok && parsed.project).to.deep.equal(doc);
      expect(exportFileName({ name: 'Main menu: sales & support!' })).to.equal('main-menu-sales-support.tandem-ivr.json');
    });

    it('refuses what is not a project, too big, hostile or made of unknown blocks, saying why', () => {
      const refuse = (text: string) => {
        const result = parseImport(text);
        if (result.ok) throw new Error('accepted');
        return `${result.message} ${result.details.join(' ')}`;
      };
      expect(refuse('{')).to.match(/not a Tandem IVR project: project is not valid JSON/);
      expect(refuse('[]')).to.match(/must be a JSON object/);
      expect(refuse(JSON.stringify({ ...menuProject(), schemaVersion: 99 }))).to.match(/newer than this Tandem understands/);
      expect(refuse('{"__proto__": {"x": 1}, "schemaVersion": 2}')).to.match(/"__proto__" is not allowed/);
      expect(refuse(' '.repeat(MAX_IMPORT_BYTES + 1))).to.match(/projects up to 5\.0 MB/);
      const unknown = { ...menuProject(), blocks: { ...menuProject().blocks, x: { type: 'Teleport', position: { x: 0, y: 0 }, params: {}, exits: {}, label: '' } } };
      expect(refuse(JSON.stringify(unknown))).to.match(/block type this Tandem does not know.*x:/);
    });
  });

  describe('local drafts', () => {
    it('keeps a draft per project, restores it on the same revision, flags a newer server revision', () => {
      const storage = new MemoryStorage();
      const project = menuProject();
      expect(writeLocalDraft(storage, { projectId: 'p1', baseRevision: 3, savedAt: '2026-01-01T00:00:00Z', project })).to.equal(true);
      const draft = readLocalDraft(storage, 'p1');
      expect(draft?.project).to.deep.equal(project);
      expect(decideLocalDraft(draft, 3).kind).to.equal('restore');
      expect(decideLocalDraft(draft, 4)).to.deep.include({ kind: 'conflict', serverRevision: 4 });
      expect(decideLocalDraft(null, 4).kind).to.equal('none');
      expect(readLocalDraft(storage, 'p2')).to.equal(null);
    });

    it('drops a damaged entry instead of failing', () => {
      const storage = new MemoryStorage();
      storage.setItem(draftKey('p1'), '{"projectId":"p1","baseRevision":1,"savedAt":"x","project":{"schemaVersion":2}}');
      expect(readLocalDraft(storage, 'p1')).to.equal(null);
      expect(storage.items.size).to.equal(0);
      const full: DraftStorage = { getItem: () => null, removeItem: () => undefined, setItem: () => { throw new Error('QuotaExceededError'); } };
      expect(writeLocalDraft(full, { projectId: 'p', baseRevision: 1, savedAt: '', project: menuProject() })).to.equal(false);
    });
  });

  it('finds blocks by label, id or type, best match first', () => {
    const doc = { ...menuProject(), blocks: { ...menuProject().blocks, support: { ...menuProject().blocks.support!, label: 'Support desk' } } };
    expect(findBlocks(doc, 'support')[0]).to.equal('support');
    expect(findBlocks(doc, 'playback')).to.have.members(['sales', 'support']);
    expect(findBlocks(doc, 'menu')[0]).to.equal('menu');
    expect(findBlocks(doc, 'zzz')).to.deep.equal([]);
  });
});
