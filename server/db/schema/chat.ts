// Web chat and the interactions of every non-voice channel (server/channels): the websites that
// embed the widget, contacts, interactions, their messages and attachments, and widget visitors.
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import type { Channel } from '../../../contracts/channels.ts';
import type { Sender } from '../../../contracts/chat-widget.ts';
import type { InteractionStatus } from '../../channels/interaction-status.ts';
import { sql } from 'drizzle-orm';
import { pgTable, bigint, boolean, integer, jsonb, text, timestamp, uniqueIndex, index, check } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt } from './columns.ts';
import { queues } from './acd.ts';

/** A website that embeds the chat widget; its settings are one validated JSON document. */
export const chatWebsites = pgTable(
  'chat_websites',
  {
    id: id(),
    name: text('name').notNull(),
    /** Public key in the snippet; not a secret (the origin check guards the namespace). */
    key: text('key').notNull(),
    projectId: text('project_id'),
    queueId: bigint('queue_id', { mode: 'number' }).references(() => queues.id, { onDelete: 'set null' }),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('chat_websites_key_key').on(t.key), uniqueIndex('chat_websites_name_key').on(sql`lower(${t.name})`)],
);

/** People who reached the contact center by any channel, matched by e-mail or phone. */
export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    name: text('name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    /**
     * False for what a visitor typed into a form (anyone can type anyone's e-mail): such a contact is
     * never matched to another by e-mail or phone, nor linked to calls from that phone.
     */
    verified: boolean('verified').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('contacts_email_idx').on(sql`lower(${t.email})`), index('contacts_phone_idx').on(t.phone)],
);

/** One conversation of a non-voice channel (chat, SMS, e-mail, open channel): the "virtual call". */
export const interactions = pgTable(
  'interactions',
  {
    id: id(),
    channel: text('channel').$type<Channel>().notNull(),
    /** The chat website (or the account of another channel). */
    accountId: bigint('account_id', { mode: 'number' }),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    status: text('status').$type<InteractionStatus>().notNull().default('open'),
    queueId: bigint('queue_id', { mode: 'number' }),
    agentId: bigint('agent_id', { mode: 'number' }),
    entryId: bigint('entry_id', { mode: 'number' }),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    disposition: text('disposition'),
    note: text('note'),
    /** Form fields the contact gave (online or offline form). */
    form: jsonb('form').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('interactions_contact_idx').on(t.contactId),
    index('interactions_agent_status_idx').on(t.agentId, t.status),
    // A website's open chats are counted on every new chat (its cap) and swept for the unattended timeout.
    index('interactions_account_status_idx').on(t.accountId, t.status),
    check('interactions_status_check', sql`${t.status} in ('open','pending','closed')`),
  ],
);

export const attachments = pgTable('attachments', {
  id: id(),
  interactionId: bigint('interaction_id', { mode: 'number' })
    .notNull()
    .references(() => interactions.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  type: text('type').notNull(),
  size: integer('size').notNull(),
  /** Path relative to <dataDir>/attachments. */
  path: text('path').notNull(),
  createdAt: createdAt(),
});

export const messages = pgTable(
  'messages',
  {
    id: id(),
    interactionId: bigint('interaction_id', { mode: 'number' })
      .notNull()
      .references(() => interactions.id, { onDelete: 'cascade' }),
    from: text('from').$type<Sender>().notNull(),
    /** The agent who wrote it, for agent messages. */
    userId: bigint('user_id', { mode: 'number' }),
    text: text('text').notNull().default(''),
    quickReplies: jsonb('quick_replies').$type<{ id: string; label: string }[]>(),
    attachmentId: bigint('attachment_id', { mode: 'number' }).references(() => attachments.id, { onDelete: 'set null' }),
    /** Supervisor notes: only the agent sees them, never the visitor. */
    secret: boolean('secret').notNull().default(false),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('messages_interaction_idx').on(t.interactionId, t.id), check('messages_from_check', sql`${t.from} in ('visitor','agent','bot','system')`)],
);

/** A browser that opened the widget: the token itself is only in the visitor's localStorage. */
export const visitors = pgTable(
  'visitors',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    websiteId: bigint('website_id', { mode: 'number' })
      .notNull()
      .references(() => chatWebsites.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    interactionId: bigint('interaction_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('visitors_token_hash_key').on(t.tokenHash)],
);
