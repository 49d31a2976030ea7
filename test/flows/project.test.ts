import { expect } from 'chai';
import { CURRENT_SCHEMA_VERSION, loadProject, loadProjectWithInfo, ProjectLoadError, tryLoadProject } from '../../flows/project/index.ts';
import { migrateV1toV2 } from '../../flows/project/migrations.ts';

const minimal = {
  schemaVersion: 2,
  id: 'p',
  name: 'P',
  channel: 'voice',
  entry: 'start',
  blocks: { start: { type: 'Start', exits: { next: 'end' } }, end: { type: 'End' } },
};

function loadError(input: unknown, limits = {}): ProjectLoadError {
  const result = tryLoadProject(input, limits);
  if (result.ok) throw new Error('expected the project to be refused');
  return result.error;
}

describe('flows/project: loading', () => {
  it('loads an object, applying defaults for label, position, params, exits and variables', () => {
    const project = loadProject(minimal);
    expect(project.blocks['end']).to.deep.equal({ type: 'End', label: '', position: { x: 0, y: 0 }, params: {}, exits: {} });
    expect(project.variables).to.deep.equal({});
    expect(project.schemaVersion).to.equal(CURRENT_SCHEMA_VERSION);
  });

  it('loads JSON text and bytes', () => {
    expect(loadProject(JSON.stringify(minimal)).id).to.equal('p');
    expect(loadProject(new TextEncoder().encode(JSON.stringify(minimal))).name).to.equal('P');
  });

  it('refuses text that is not JSON, with the parser message', () => {
    const error = loadError('{"schemaVersion": 2, ');
    expect(error.code).to.equal('not-json');
    expect(error.message).to.match(/^project is not valid JSON: /);
  });

  it('refuses JSON that is not an object', () => {
    expect(loadError('[1,2]').code).to.equal('not-object');
    expect(loadError('42').message).to.equal('a project must be a JSON object, got number');
    expect(loadError(null).code).to.equal('not-object');
  });

  it('refuses a future schema version and says to upgrade', () => {
    const error = loadError({ ...minimal, schemaVersion: CURRENT_SCHEMA_VERSION + 1 });
    expect(error.code).to.equal('future-version');
    expect(error.message).to.contain(`schema version ${CURRENT_SCHEMA_VERSION + 1}`).and.contain('upgrade Tandem');
  });

  it('refuses documents without a version or with a nonsense one', () => {
    const { schemaVersion: _omit, ...rest } = minimal;
    expect(loadError(rest).code).to.equal('no-version');
    expect(loadError({ ...minimal, schemaVersion: '2' }).code).to.equal('no-version');
    expect(loadError({ ...minimal, schemaVersion: 0 }).code).to.equal('unsupported-version');
  });

  it('reports schema problems with their path', () => {
    const error = loadError({ ...minimal, channel: 'pigeon', blocks: { start: { type: 'Start', exits: { next: 42 } } } });
    expect(error.code).to.equal('schema');
    const paths = error.issues.map((i) => i.path);
    expect(paths).to.include('channel');
    expect(paths).to.include('blocks.start.exits.next');
  });

  it('refuses an entry that names no block', () => {
    const error = loadError({ ...minimal, entry: 'nowhere' });
    expect(error.issues).to.deep.include({ path: 'entry', message: 'entry block "nowhere" does not exist' });
  });

  it('refuses prototype-polluting keys anywhere, before any parsing touches them', () => {
    const text = '{"schemaVersion":2,"id":"p","name":"P","channel":"voice","entry":"start","blocks":{"start":{"type":"Start","params":{"__proto__":{"polluted":true}}}}}';
    const error = loadError(text);
    expect(error.code).to.equal('forbidden-key');
    expect(error.message).to.contain('blocks.start.params.__proto__');
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(loadError({ ...minimal, blocks: { ...minimal.blocks, constructor: { type: 'End' } } }).code).to.equal('forbidden-key');
  });

  it('refuses deep nesting without overflowing the stack', () => {
    const deep = `{"schemaVersion":2,"id":"p","name":"P","channel":"voice","entry":"start","blocks":{"start":{"type":"Start","params":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}}`;
    const error = loadError(deep);
    expect(error.code).to.equal('too-deep');
    expect(error.message).to.match(/nests deeper than 32 levels at blocks\.start\.params\.x/);
  });

  it('refuses huge strings and huge documents with their size', () => {
    const huge = { ...minimal, name: 'x'.repeat(100_000) };
    const error = loadError(huge);
    expect(error.code).to.equal('string-too-long');
    expect(error.message).to.equal('string at name is 100000 characters; at most 65536 are allowed');
    expect(loadError('x'.repeat(6_000_000)).code).to.equal('too-large');
  });

  it('accepts 10,000 blocks and refuses 10,001 with the count', () => {
    const blocks: Record<string, unknown> = { start: { type: 'Start', exits: { next: 'b1' } } };
    for (let i = 1; i < 10_000; i++) blocks[`b${i}`] = { type: 'Noop', exits: { next: i + 1 < 10_000 ? `b${i + 1}` : null } };
    expect(Object.keys(loadProject({ ...minimal, blocks }).blocks)).to.have.length(10_000);
    blocks['one-too-many'] = { type: 'End' };
    const error = loadError({ ...minimal, blocks });
    expect(error.code).to.equal('too-many-blocks');
    expect(error.message).to.equal('project has 10001 blocks; at most 10000 are allowed');
  });

  it('only ever throws ProjectLoadError from loadProject', () => {
    for (const input of ['', '{', 'null', undefined, 12, [], { schemaVersion: 99 }]) {
      expect(() => loadProject(input)).to.throw(ProjectLoadError);
    }
  });
});

describe('flows/project: migrations', () => {
  const v1 = {
    schemaVersion: 1,
    id: 'old',
    name: 'Old project',
    channel: 'voice',
    start: 'start',
    blocks: {
      start: { type: 'Start', x: 10, y: 20, exits: { next: 'bye' } },
      bye: { type: 'Hangup', x: 10, params: { cause: 17 } },
    },
    variables: [
      { name: 'LANG', default: 'en' },
      { name: 'COUNT', default: 0, description: 'first' },
      { name: 'COUNT', default: 1, description: 'second wins' },
    ],
  };

  it('migrates version 1 (start, flat x/y, variable list) to version 2', () => {
    const loaded = loadProjectWithInfo(v1);
    expect(loaded.loadedVersion).to.equal(1);
    const p = loaded.project;
    expect(p.schemaVersion).to.equal(2);
    expect(p.entry).to.equal('start');
    expect(p.blocks['start']!.position).to.deep.equal({ x: 10, y: 20 });
    expect(p.blocks['bye']!.position).to.deep.equal({ x: 10, y: 0 });
    expect(p.blocks['bye']!.params).to.deep.equal({ cause: 17 });
    expect(p.variables).to.deep.equal({
      LANG: { default: 'en', description: '' },
      COUNT: { default: 1, description: 'second wins' },
    });
    expect(p.blocks['start']).to.not.have.property('x');
  });

  it('loads a version 1 document from JSON text', () => {
    const result = tryLoadProject(JSON.stringify(v1));
    expect(result.ok && result.loadedVersion).to.equal(1);
  });

  it('leaves what it does not recognise for the schema to report', () => {
    const migrated = migrateV1toV2({ schemaVersion: 1, blocks: 'not an object', variables: 'nope' });
    expect(migrated).to.deep.equal({ schemaVersion: 2, blocks: 'not an object', variables: 'nope' });
    const error = loadError({ schemaVersion: 1, id: 'x', name: 'x', channel: 'voice', start: 's', blocks: [] });
    expect(error.code).to.equal('schema');
    expect(error.issues.map((i) => i.path)).to.include('blocks');
  });

  it('does not overwrite an entry that a v1 document already had', () => {
    const migrated = migrateV1toV2({ schemaVersion: 1, entry: 'a', start: 'b' });
    expect(migrated['entry']).to.equal('a');
  });
});
