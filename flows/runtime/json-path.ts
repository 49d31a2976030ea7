import type { Value } from '../expression/index.ts';

/**
 * Reads `a.b[0].c` out of a parsed JSON value. Only own properties are followed, so a path such as
 * `__proto__.polluted` or `constructor` can never reach anything outside the response.
 */
export const JSON_PATH = /^([A-Za-z_$][A-Za-z0-9_$-]*|\[[0-9]+\])(\.[A-Za-z_$][A-Za-z0-9_$-]*|\[[0-9]+\])*$/;

export function readPath(root: Value, path: string): Value | undefined {
  if (path === '' || path === '$') return root;
  const tokens = path.match(/[^.[\]]+|\[[0-9]+\]/g) ?? [];
  let current: Value | undefined = root;
  for (const token of tokens) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    if (token.startsWith('[')) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(token.slice(1, -1))];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, Value>)[token];
    }
  }
  return current;
}
