// English strings of a website's routing section (which chat flow or queue its chats enter).
export const websiteRouting = {
  legend: 'Where chats go',
  flow: 'Chat flow',
  flowHint: 'The published chat flow each new chat runs first (a bot, a menu, then a queue).',
  queue: 'Queue',
  queueHint: 'Without a flow, chats wait in this chat queue; with one, the queue a flow’s Queue block does not name.',
  none: 'None',
  unpublished: '{{name}} (not published)',
} as const;
