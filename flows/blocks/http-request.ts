import { z } from 'zod';
import type { Value } from '../expression/index.ts';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { HTTP_METHODS } from '../services.ts';
import { optionalVariableField, templateField, variableField } from '../runtime/params.ts';
import { JSON_PATH, readPath } from '../runtime/json-path.ts';
import { deadline, hasLineBreak } from '../runtime/render.ts';

const BODY_ENCODERS: Record<'json' | 'form' | 'text', ((text: string) => string) | undefined> = {
  // Inside a JSON string literal: escape quotes, backslashes and control characters.
  json: (text) => JSON.stringify(text).slice(1, -1),
  form: encodeURIComponent,
  text: undefined,
};

/**
 * Calls a web service. Variables in the URL are percent-encoded and variables in a JSON body are
 * string-escaped, so caller input cannot change the request's structure. The response can land in
 * variables: whole body (parsed when JSON), status, and picked fields by path.
 */
export const httpRequestBlock = defineBlock({
  type: 'HttpRequest',
  version: 1,
  category: 'integration',
  label: 'HTTP request',
  description: 'Calls a URL with method, headers and templated body; stores the response. Exits: success (2xx), error, timeout.',
  params: z.object({
    method: z.enum(HTTP_METHODS).default('GET'),
    url: templateField(2000).min(1, 'required'),
    headers: z
      .array(z.object({ name: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'a header name'), value: templateField(2000) }))
      .max(30)
      .default([]),
    body: templateField(65_536).default(''),
    bodyEncoding: z.enum(['json', 'form', 'text']).default('json'),
    timeoutSec: z.number().min(0.1).max(120).default(10),
    maxResponseBytes: z.number().int().min(1).max(10_485_760).default(1_048_576),
    statusVariable: optionalVariableField(),
    responseVariable: optionalVariableField(),
    mappings: z
      .array(z.object({ variable: variableField(), path: z.string().max(200).regex(JSON_PATH, 'a path such as data.items[0].id') }))
      .max(50)
      .default([]),
  }),
  exits: () => ['success', 'error', 'timeout'],
  channels: ALL_CHANNELS,
  writes: (p) => [
    ...(p.statusVariable === '' ? [] : [p.statusVariable]),
    ...(p.responseVariable === '' ? [] : [p.responseVariable]),
    ...p.mappings.map((m) => m.variable),
  ],
  maxDurationMs: (p) => p.timeoutSec * 1000 + 30_000,
  compile: (p, h) => ({
    ...p,
    url: h.template(p.url, 'url'),
    headers: p.headers.map((header, i) => ({ name: header.name, value: h.template(header.value, `headers.${i}.value`) })),
    body: h.template(p.body, 'body'),
    encodeBody: BODY_ENCODERS[p.bodyEncoding],
  }),
  async run(ctx, p, signal) {
    const url = await ctx.render(p.url, signal, encodeURIComponent);
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
      ctx.log('warn', `HTTP request refused: "${url}" is not an http(s) URL`);
      return 'error';
    }
    const headers: Record<string, string> = {};
    for (const header of p.headers) {
      const value = await ctx.render(header.value, signal);
      if (hasLineBreak(value)) {
        ctx.log('warn', `HTTP request refused: header ${header.name} contains a line break`);
        return 'error';
      }
      Object.defineProperty(headers, header.name, { value, enumerable: true, writable: true, configurable: true });
    }
    const body = p.method === 'GET' || p.body.source === '' ? undefined : await ctx.render(p.body, signal, p.encodeBody);
    if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] =
        p.bodyEncoding === 'json' ? 'application/json' : p.bodyEncoding === 'form' ? 'application/x-www-form-urlencoded' : 'text/plain';
    }

    const timer = deadline(ctx, p.timeoutSec * 1000, signal);
    let response;
    try {
      response = await ctx.service('http').request(
        {
          method: p.method,
          url,
          headers,
          ...(body === undefined ? {} : { body }),
          timeoutMs: p.timeoutSec * 1000,
          maxResponseBytes: p.maxResponseBytes,
        },
        timer.signal,
      );
    } catch (error) {
      if (timer.expired()) return 'timeout';
      if (signal.aborted) throw error;
      ctx.log('warn', `HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      return 'error';
    } finally {
      timer.done();
    }

    if (p.statusVariable !== '') ctx.vars.set(p.statusVariable, response.status);
    const parsed = parseBody(response.body, response.headers, p.maxResponseBytes);
    if (p.responseVariable !== '') ctx.vars.set(p.responseVariable, parsed);
    for (const mapping of p.mappings) ctx.vars.set(mapping.variable, readPath(parsed, mapping.path) ?? null);
    return response.status >= 200 && response.status < 300 ? 'success' : 'error';
  },
});

function parseBody(body: string, headers: Readonly<Record<string, string>>, maxBytes: number): Value {
  const text = body.length > maxBytes ? body.slice(0, maxBytes) : body;
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const looksJson = type.includes('json') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text) as Value;
  } catch {
    return text;
  }
}
