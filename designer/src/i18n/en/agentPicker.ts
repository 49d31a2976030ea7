// English strings of one part of the web app (see ../en.ts, which gathers the parts).
export const agentPicker = {
  hint: 'Type a name, username or extension; the arrow keys choose, Enter picks.',
  searching: 'Searching…',
  noMatch: 'No agent matches “{{query}}”.',
  more_one: '{{count}} more agent: type more to narrow the list.',
  more_other: '{{count}} more agents: type more to narrow the list.',
  option: '{{name}} · {{username}} · {{extension}}',
  addMember: 'Add a member',
  none: 'No member yet.',
  remove: 'Remove',
  removeMember: 'Remove {{name}}',
} as const;
