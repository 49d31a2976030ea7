import type { CompiledExpression, ExpressionLimits, Value } from '../expression/index.ts';
import type { BlockContext, SubProjectOutcome } from '../block.ts';
import type { CallPort } from '../call-port.ts';
import type { Clock } from '../clock.ts';
import type { CompiledBlock, CompiledProject } from '../compile.ts';
import { ServiceUnavailableError, type LogLevel, type ServiceName, type Services } from '../services.ts';
import { StepGuard } from './step-guard.ts';
import { missingNames, renderTemplate, renderTemplateValue, type Template, type VariableFetcher } from './templates.ts';
import type { VariableStore } from './variables.ts';

/** Steps allowed in a phase, shared by the top-level project and its sub-projects. */
export interface Budget {
  used: number;
  readonly max: number;
}

/** What a Frame needs from the interpreter's per-call session. */
export interface FrameHost {
  readonly call: CallPort;
  readonly services: Services;
  readonly clock: Clock;
  readonly builtins: ReadonlyMap<string, Value>;
  readonly fetch: VariableFetcher | undefined;
  readonly expressionLimits: ExpressionLimits;
  subProject(parent: Frame, ref: string, inputs: ReadonlyMap<string, Value>): Promise<SubProjectOutcome>;
}

/**
 * The BlockContext of one project run (top level, Finally, or a sub-project). Reused for every step;
 * `enter` points it at the current block.
 */
export class Frame implements BlockContext {
  blockId = '';
  current: CompiledBlock | null = null;
  logs: string[] | null = null;
  readonly scope: (name: string) => Value | undefined;
  readonly projectId: string;
  readonly call: CallPort;
  readonly services: Services;
  readonly clock: Clock;
  readonly vars: VariableStore;
  readonly guard: StepGuard;

  constructor(
    private readonly session: FrameHost,
    compiled: CompiledProject,
    readonly store: VariableStore,
    readonly depth: number,
    readonly phase: 'main' | 'finally',
    readonly phaseSignal: AbortSignal,
    readonly budget: Budget,
  ) {
    this.projectId = compiled.project.id;
    this.call = session.call;
    this.services = session.services;
    this.clock = session.clock;
    this.vars = store;
    this.guard = new StepGuard(phaseSignal);
    const builtins = session.builtins;
    const clock = session.clock;
    this.scope = (name) => {
      const value = store.get(name);
      if (value !== undefined) return value;
      const builtin = builtins.get(name);
      // "Now" is never implicit in the expression language; the flow's clock provides it.
      return builtin !== undefined || name !== 'NOW' ? builtin : clock.now();
    };
  }

  enter(block: CompiledBlock): void {
    this.current = block;
    this.blockId = block.id;
    this.logs = null;
  }

  render(template: Template, signal: AbortSignal, encode?: (text: string) => string): string | Promise<string> {
    return renderTemplate(template, this.scope, this.session.fetch, signal, encode);
  }

  renderValue(template: Template, signal: AbortSignal): Value | Promise<Value> {
    return renderTemplateValue(template, this.scope, this.session.fetch, signal);
  }

  evaluate(expression: CompiledExpression, signal: AbortSignal): Value | Promise<Value> {
    const limits = this.session.expressionLimits;
    const fetch = this.session.fetch;
    const missing = fetch === undefined || expression.variables.size === 0 ? undefined : missingNames(expression.variables, this.scope);
    if (missing === undefined) return expression.evaluate(this.scope, limits);
    return fetch!(missing, signal).then((fetched) =>
      expression.evaluate((name) => fetched.get(name) ?? this.scope(name), limits),
    );
  }

  isWired(exit: string): boolean {
    const target = this.current?.next[exit];
    return target !== undefined && target !== null;
  }

  log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    (this.logs ??= []).push(`${level}: ${message}`);
    const port = this.services.log;
    if (port === undefined) return;
    notify(() => port.log(level, message, { ...fields, callId: this.call.info.callId, projectId: this.projectId, blockId: this.blockId }));
  }

  service<K extends ServiceName>(name: K): NonNullable<Services[K]> {
    const port = this.services[name];
    if (port === undefined || port === null) throw new ServiceUnavailableError(name);
    return port as NonNullable<Services[K]>;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, signal);
  }

  runSubProject(projectRef: string, inputs: ReadonlyMap<string, Value>): Promise<SubProjectOutcome> {
    return this.session.subProject(this, projectRef, inputs);
  }
}


/** Observers and log ports are outside code: their failures must not change the call. */
export function notify(fn: () => void): void {
  try {
    fn();
  } catch {
    // deliberately ignored
  }
}
