import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { optionalVariableField, templateField, variableField } from '../runtime/params.ts';

const fieldName = () => z.string().min(1).max(64).regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'a contact field name');

/** Finds the contact by phone number (the caller's by default); reads fields or updates them. */
export const contactLookupBlock = defineBlock({
  type: 'ContactLookup',
  version: 1,
  category: 'integration',
  label: 'Contact lookup / update',
  description: 'Looks up the contact by phone number, copying fields to variables, or updates fields. Exits: found, notfound, error.',
  params: z.object({
    mode: z.enum(['lookup', 'update']).default('lookup'),
    phone: templateField(200).default('{CALLERID(num)}'),
    read: z.array(z.object({ field: fieldName(), variable: variableField() })).max(50).default([]),
    update: z.array(z.object({ field: fieldName(), value: templateField(2000) })).max(50).default([]),
    idVariable: optionalVariableField().default('CONTACT_ID'),
  }),
  exits: () => ['found', 'notfound', 'error'],
  channels: ALL_CHANNELS,
  writes: (p) => [...(p.idVariable === '' ? [] : [p.idVariable]), ...p.read.map((r) => r.variable)],
  check: (p) => (p.mode === 'update' && p.update.length === 0 ? [{ field: 'update', message: 'nothing to update' }] : []),
  compile: (p, h) => ({
    ...p,
    phone: h.template(p.phone, 'phone'),
    update: p.update.map((u, i) => ({ field: u.field, value: h.template(u.value, `update.${i}.value`) })),
  }),
  async run(ctx, p, signal) {
    const phone = (await ctx.render(p.phone, signal)).trim();
    if (phone === '') return 'notfound';
    const contacts = ctx.service('contacts');
    try {
      const contact = await contacts.findByPhone(phone, signal);
      if (contact === null) return 'notfound';
      if (p.idVariable !== '') ctx.vars.set(p.idVariable, contact.id);
      for (const r of p.read) {
        ctx.vars.set(r.variable, Object.hasOwn(contact.fields, r.field) ? (contact.fields[r.field] ?? null) : null);
      }
      if (p.mode === 'update') {
        const fields: Record<string, string> = {};
        for (const u of p.update) {
          Object.defineProperty(fields, u.field, { value: await ctx.render(u.value, signal), enumerable: true, writable: true, configurable: true });
        }
        await contacts.update(contact.id, fields, signal);
      }
      return 'found';
    } catch (error) {
      if (signal.aborted) throw error;
      ctx.log('warn', `contact ${p.mode} failed: ${error instanceof Error ? error.message : String(error)}`);
      return 'error';
    }
  },
});
