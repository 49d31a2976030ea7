import { z } from 'zod';
import type { AnyBlockDefinition, BlockCategory } from './block.ts';
import type { Capability } from './call-port.ts';
import { defaultRegistry, type BlockRegistry } from './blocks/index.ts';
import { projectSchema, type ChannelKind } from './project/schema.ts';

/**
 * The block catalogue as the designer needs it: palette entries and property-form schemas
 * generated from the same definitions the interpreter runs.
 */
export interface BlockDescription {
  readonly type: string;
  readonly version: number;
  readonly category: BlockCategory;
  readonly label: string;
  readonly description: string;
  readonly channels: readonly ChannelKind[];
  readonly requires: readonly Capability[];
  readonly audio: boolean;
  readonly waits: boolean;
  readonly terminal: boolean;
  /** Exits with default params; params-dependent exits (Menu) come from exitsFor(). */
  readonly defaultExits: readonly string[] | null;
  readonly optionalExits: readonly string[];
  /** JSON Schema (draft 2020-12) of the params, input side: fields with defaults are optional. */
  readonly paramsSchema: Record<string, unknown>;
}

export function blockParamsJsonSchema(definition: AnyBlockDefinition): Record<string, unknown> {
  // 'any' for refinements JSON Schema cannot express: the validator still runs them.
  return z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export function describeBlock(definition: AnyBlockDefinition): BlockDescription {
  const defaults = definition.params.safeParse({});
  let defaultExits: readonly string[] | null = null;
  if (defaults.success) {
    try {
      defaultExits = definition.exits(defaults.data);
    } catch {
      defaultExits = null;
    }
  }
  return {
    type: definition.type,
    version: definition.version,
    category: definition.category,
    label: definition.label,
    description: definition.description,
    channels: definition.channels,
    requires: definition.requires ?? [],
    audio: definition.audio === true,
    waits: definition.waits === true,
    terminal: definition.terminal === true,
    defaultExits,
    optionalExits: definition.optionalExits ?? [],
    paramsSchema: blockParamsJsonSchema(definition),
  };
}

export function describeCatalogue(registry: BlockRegistry = defaultRegistry): BlockDescription[] {
  return [...registry.values()].map(describeBlock);
}

/** Exits of a block as configured (the designer draws one handle per exit). */
export function exitsFor(type: string, params: unknown, registry: BlockRegistry = defaultRegistry): readonly string[] | null {
  const definition = registry.get(type);
  if (definition === undefined) return null;
  const parsed = definition.params.safeParse(params ?? {});
  return parsed.success ? definition.exits(parsed.data) : null;
}

/** JSON Schema of the project document itself (cross-field rules such as "entry exists" excepted). */
export function projectJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(projectSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
