import { ExpressionError } from './errors.ts';
import { isForbiddenMember, type PathSegment, type Reference } from './names.ts';
import { describe, isPlainObject, member, sanitize, type PlainObject, type RtValue } from './value.ts';

/**
 * Member access on untrusted data. Only own properties of plain objects, list elements and text
 * characters are reachable; anything missing reads as null so that `http.body.status` on a failed
 * request is simply null rather than an error in the middle of a call.
 */
export function readMember(base: RtValue, key: PathSegment, position: number | undefined): RtValue {
  if (typeof key === 'string' && isForbiddenMember(key)) {
    throw new ExpressionError(`member ${JSON.stringify(key)} is not accessible`, position, 'forbidden');
  }
  return readCheckedMember(base, key);
}

/** readMember for keys already vetted (static paths are checked when they are parsed). */
export function readCheckedMember(base: RtValue, key: PathSegment): RtValue {
  if (typeof key === 'number') {
    if (!Number.isInteger(key)) return null;
    if (Array.isArray(base)) {
      const arr = base as readonly unknown[];
      const i = key < 0 ? arr.length + key : key;
      return i >= 0 && i < arr.length ? member(arr[i]) : null;
    }
    if (typeof base === 'string') {
      const i = key < 0 ? base.length + key : key;
      return i >= 0 && i < base.length ? base.charAt(i) : null;
    }
    return isPlainObject(base) ? ownMember(base, String(key)) : null;
  }
  if (typeof base === 'string' || Array.isArray(base)) {
    // rows['0'] — an index that arrived as text (DTMF, template output).
    return /^-?\d{1,9}$/.test(key) ? readCheckedMember(base, Number(key)) : null;
  }
  // Every RtValue object passed sanitize(), so it is a plain object.
  return typeof base === 'object' && base !== null ? ownMember(base as PlainObject, key) : null;
}

function ownMember(obj: PlainObject, key: string): RtValue {
  return Object.hasOwn(obj, key) ? member(obj[key]) : null;
}

/** Member access with a computed key (`x[k]`). */
export function readComputed(base: RtValue, key: RtValue, position: number | undefined): RtValue {
  if (typeof key === 'number' || typeof key === 'string') return readMember(base, key, position);
  throw new ExpressionError(`cannot use ${describe(key)} as an index`, position, 'type');
}

/**
 * Resolves a reference against a scope: root first, then its members; when the root is absent
 * and the path is purely dotted, the whole dotted text as a flat variable name. Absent → undefined.
 */
export function resolveReference(ref: Reference, scope: (name: string) => unknown): RtValue | undefined {
  const rootValue = sanitize(scope(ref.root));
  if (rootValue === undefined) {
    if (ref.flat === undefined) return undefined;
    return sanitize(scope(ref.flat));
  }
  // Paths come from parseReference/the parser, which refuse forbidden members up front.
  let v: RtValue = rootValue;
  const path = ref.path;
  for (let i = 0; i < path.length; i++) {
    v = readCheckedMember(v, path[i] as PathSegment);
    if (v === null) return null;
  }
  return v;
}
