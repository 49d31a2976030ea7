// Where the tests find the captured Asterisk transcripts (test/fixtures/asterisk, see its README).
// One place, so that no test builds the folder's path on its own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const asteriskFixturesDir = fileURLToPath(new URL('../fixtures/asterisk/', import.meta.url));

/** The absolute path of one captured transcript, e.g. `asteriskFixture('ami-session.txt')`. */
export function asteriskFixture(name: string): string {
  return path.join(asteriskFixturesDir, name);
}
