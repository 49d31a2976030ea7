import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { optionalVariableField, resourceNameField, templateField } from '../runtime/params.ts';
import { deadline, renderAll } from '../runtime/render.ts';

/**
 * XCALLY's System block, made safe: it is disabled unless an admin enables the System service,
 * runs only admin-configured command names, and passes arguments as separate argv entries without
 * a shell, so caller input can never be interpreted as shell syntax.
 */
export const systemBlock = defineBlock({
  type: 'System',
  version: 1,
  category: 'integration',
  label: 'System command',
  description: 'Runs an admin-configured command (disabled unless enabled by an admin). Exits: success (exit code 0), failure.',
  params: z.object({
    command: resourceNameField(),
    args: z.array(templateField(1000)).max(20).default([]),
    timeoutSec: z.number().min(0.1).max(300).default(10),
    outputVariable: optionalVariableField(),
    exitCodeVariable: optionalVariableField(),
  }),
  exits: () => ['success', 'failure'],
  channels: ALL_CHANNELS,
  maxDurationMs: (p) => p.timeoutSec * 1000 + 30_000,
  writes: (p) => [p.outputVariable, p.exitCodeVariable].filter((v) => v !== ''),
  compile: (p, h) => ({ ...p, args: p.args.map((a, i) => h.template(a, `args.${i}`)) }),
  async run(ctx, p, signal) {
    const system = ctx.services.system;
    if (system === undefined || !system.enabled) {
      ctx.log('warn', 'System block is disabled on this server (an admin must enable it)');
      return 'failure';
    }
    const args = await renderAll(ctx, p.args, signal);
    const timer = deadline(ctx, p.timeoutSec * 1000, signal);
    try {
      const result = await system.run({ command: p.command, args, timeoutMs: p.timeoutSec * 1000 }, timer.signal);
      if (p.outputVariable !== '') ctx.vars.set(p.outputVariable, result.stdout.slice(0, 65_536));
      if (p.exitCodeVariable !== '') ctx.vars.set(p.exitCodeVariable, result.exitCode);
      return result.exitCode === 0 ? 'success' : 'failure';
    } catch (error) {
      if (signal.aborted && !timer.expired()) throw error;
      ctx.log('warn', `system command failed: ${timer.expired() ? 'timed out' : error instanceof Error ? error.message : String(error)}`);
      return 'failure';
    } finally {
      timer.done();
    }
  },
});
