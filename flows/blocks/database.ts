import { z } from 'zod';
import type { Value } from '../expression/index.ts';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { optionalVariableField, resourceNameField, templateField } from '../runtime/params.ts';
import { deadline } from '../runtime/render.ts';

/**
 * Parameterised SQL on an admin-configured connection. The SQL text is never templated — values
 * travel only as parameters — so caller input cannot become SQL. Rows land as a matrix variable.
 */
export const databaseBlock = defineBlock({
  type: 'Database',
  version: 1,
  category: 'integration',
  label: 'Database',
  description: 'Runs parameterised SQL ($1, $2…) on a configured connection; rows as a matrix and a row count. Exits: success, error.',
  params: z.object({
    connection: resourceNameField(),
    sql: z
      .string()
      .min(1, 'required')
      .max(10_000)
      .refine((s) => !/\{[^}]*\}/.test(s), 'SQL is never templated: use $1, $2… parameters for variables'),
    params: z.array(templateField(2000)).max(50).default([]),
    maxRows: z.number().int().min(1).max(10_000).default(1000),
    timeoutSec: z.number().min(0.1).max(120).default(10),
    rowsVariable: optionalVariableField().default('DB_ROWS'),
    rowCountVariable: optionalVariableField().default('DB_ROWCOUNT'),
    columnsVariable: optionalVariableField(),
  }),
  exits: () => ['success', 'error'],
  channels: ALL_CHANNELS,
  maxDurationMs: (p) => p.timeoutSec * 1000 + 30_000,
  writes: (p) => [p.rowsVariable, p.rowCountVariable, p.columnsVariable].filter((v) => v !== ''),
  compile: (p, h) => ({ ...p, params: p.params.map((s, i) => h.template(s, `params.${i}`)) }),
  async run(ctx, p, signal) {
    const values: Value[] = [];
    for (const param of p.params) values.push(await ctx.renderValue(param, signal));
    const timer = deadline(ctx, p.timeoutSec * 1000, signal);
    let result;
    try {
      result = await ctx
        .service('database')
        .query({ connection: p.connection, sql: p.sql, params: values, maxRows: p.maxRows, timeoutMs: p.timeoutSec * 1000 }, timer.signal);
    } catch (error) {
      if (signal.aborted && !timer.expired()) throw error;
      ctx.log('warn', `database query failed: ${timer.expired() ? 'timed out' : error instanceof Error ? error.message : String(error)}`);
      return 'error';
    } finally {
      timer.done();
    }
    const rows: Value[] = result.rows.slice(0, p.maxRows).map((row) => [...row]);
    if (p.rowsVariable !== '') ctx.vars.set(p.rowsVariable, rows);
    if (p.rowCountVariable !== '') ctx.vars.set(p.rowCountVariable, rows.length);
    if (p.columnsVariable !== '') ctx.vars.set(p.columnsVariable, [...result.columns]);
    return 'success';
  },
});
