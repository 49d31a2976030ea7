// Validation at the edge: every body, query and path parameter goes through a zod schema, and a
// failure names each wrong field in `details.fields` and in the message.
import type { Context } from 'koa';
import { z } from 'zod';
import { ApiError, type FieldProblem } from './errors.ts';

export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)';
    return { field, message: issue.message };
  });
}

function fail(error: z.ZodError, where: string): never {
  const fields = fieldProblems(error);
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new ApiError('VALIDATION_FAILED', `Invalid ${where}: ${summary}`, { fields });
}

export function parseBody<S extends z.ZodType>(ctx: Context, schema: S): z.output<S> {
  const body: unknown = ctx.state.body;
  if (body === undefined) {
    throw new ApiError('VALIDATION_FAILED', 'Invalid request body: a JSON body is required', { fields: [{ field: '(body)', message: 'required' }] });
  }
  const result = schema.safeParse(body);
  if (!result.success) fail(result.error, 'request body');
  return result.data;
}

export function parseQuery<S extends z.ZodType>(ctx: Context, schema: S): z.output<S> {
  const result = schema.safeParse(ctx.query);
  if (!result.success) fail(result.error, 'query');
  return result.data;
}

const idSchema = z.coerce.number({ message: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number').max(Number.MAX_SAFE_INTEGER);

/** A numeric path parameter; a malformed one is a 400 naming it, an unknown one is the route's 404. */
export function parseId(ctx: Context, name = 'id'): number {
  const raw = (ctx.params as Record<string, string | undefined>)[name];
  const result = idSchema.safeParse(raw);
  if (!result.success || !/^\d+$/.test(raw ?? '')) {
    throw new ApiError('VALIDATION_FAILED', `Invalid path parameter: ${name}: must be a positive whole number`, {
      fields: [{ field: name, message: 'must be a positive whole number' }],
    });
  }
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID path parameter (IVR projects); malformed is a 400 naming it. */
export function parseUuid(ctx: Context, name = 'id'): string {
  const raw = (ctx.params as Record<string, string | undefined>)[name] ?? '';
  if (!UUID.test(raw)) {
    throw new ApiError('VALIDATION_FAILED', `Invalid path parameter: ${name}: must be a UUID`, { fields: [{ field: name, message: 'must be a UUID' }] });
  }
  return raw.toLowerCase();
}
