// The import graph stays a tree of layers: a cycle between modules (even through type-only imports)
// is how boundaries erode, e.g. auth middleware ↔ request context ↔ realtime hub. madge reads the
// real files, the same way a reader follows imports.
import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('import graph', function () {
  this.timeout(120_000);

  for (const folder of ['server', 'flows', 'contracts', 'designer/src']) {
    it(`has no import cycle in ${folder}/`, async () => {
      const graph = await madge(path.join(root, folder), { fileExtensions: ['ts', 'tsx'], baseDir: root, excludeRegExp: [/node_modules/, /\/dist\//] });
      expect(graph.circular(), 'import cycles').to.deep.equal([]);
      // A graph that found nothing would pass any check: it must hold the folder's modules.
      expect(Object.keys(graph.obj()).length).to.be.greaterThan(5);
    });
  }
});
