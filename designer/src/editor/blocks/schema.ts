// A narrow reader for the JSON Schema (draft 2020-12) that zod's toJSONSchema produces for block
// params. The form generator and the default-params builder only need this subset.

export interface JsonSchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly description?: string;
  readonly title?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
}

export function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {};
}

/** The string schema of `anyOf: [string, const ""]` (an optional variable name), else the schema itself. */
export function effectiveSchema(schema: JsonSchema): JsonSchema {
  if (schema.anyOf === undefined) return schema;
  const nonEmpty = schema.anyOf.find((s) => s.const === undefined);
  if (nonEmpty !== undefined && schema.anyOf.every((s) => s.type === 'string')) {
    return { ...nonEmpty, default: schema.default, description: schema.description };
  }
  return schema;
}

/** True for `anyOf` schemas the form cannot edit structurally (edited as JSON instead). */
export function isOpaque(schema: JsonSchema): boolean {
  const s = effectiveSchema(schema);
  return s.anyOf !== undefined || (s.type === undefined && s.enum === undefined && s.const === undefined);
}

/** Params for a new block: every default, plus an empty value for each required field. */
export function defaultValue(schema: JsonSchema, required: boolean): unknown {
  const s = effectiveSchema(schema);
  if (s.default !== undefined) return structuredClone(s.default);
  if (!required) return undefined;
  switch (s.type) {
    case 'string':
      return s.enum !== undefined && s.enum.length > 0 ? s.enum[0] : '';
    case 'number':
    case 'integer':
      return s.minimum ?? 0;
    case 'boolean':
      return false;
    case 'array': {
      // A required list starts with one empty entry, so the form shows the field to fill in.
      const item = s.items ?? {};
      if ((s.minItems ?? 0) >= 1) {
        const first = defaultValue(item, true);
        return first === undefined ? [] : [first];
      }
      return [];
    }
    case 'object':
      return defaultObject(s);
    default:
      return undefined;
  }
}

export function defaultObject(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const value = defaultValue(property, required.has(name));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** "timeoutSec" → "Timeout (s)", "maxDigits" → "Max digits", "callerId" → "Caller ID". */
export function humanize(name: string): string {
  let base = name;
  let unit = '';
  if (/Sec$/.test(base) && base.length > 3) {
    base = base.slice(0, -3);
    unit = ' (s)';
  } else if (/Minutes$/.test(base) && base.length > 7) {
    base = base.slice(0, -7);
    unit = ' (min)';
  }
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .split(' ')
    .map((w) => (w === 'id' ? 'ID' : w === 'url' ? 'URL' : w === 'sql' ? 'SQL' : w === 'moh' ? 'MOH' : w === 'tts' ? 'TTS' : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + unit;
}

/** "prompts" → "prompt", "choices" → "choice", "mappings" → "mapping". */
export function singular(name: string): string {
  const label = humanize(name).toLowerCase();
  if (label.endsWith('ies')) return label.slice(0, -3) + 'y';
  if (label.endsWith('ses') || label.endsWith('xes')) return label.slice(0, -2);
  if (label.endsWith('s') && !label.endsWith('ss')) return label.slice(0, -1);
  return label;
}
