// Queue and team membership of agents, from the agent form and the list's bulk actions. The API has
// one call per queue member (POST/DELETE /api/queues/:id/agents) and the whole member list per team
// (PUT /api/teams/:id/agents), so adding to a team sends the team's members with the new ones.
import type { ApiClient } from '../../api/client.ts';

/** A row of GET /api/teams (what membership needs of it). */
export interface TeamRow {
  readonly id: number;
  readonly name: string;
  readonly agentIds: readonly number[];
}

/** A row of GET /api/queues (what the pickers need of it). */
export interface QueueRow {
  readonly id: number;
  readonly name: string;
  readonly channel: string;
}

/** The ids in `after` and not in `before`, and the reverse (pure). */
export function membershipChanges(before: readonly number[], after: readonly number[]): { added: number[]; removed: number[] } {
  return { added: after.filter((id) => !before.includes(id)), removed: before.filter((id) => !after.includes(id)) };
}

/** The team's members once `add` joined and `remove` left, in id order, each once (pure). */
export function teamMembersAfter(members: readonly number[], add: readonly number[], remove: readonly number[] = []): number[] {
  return [...new Set([...members, ...add])].filter((id) => !remove.includes(id)).sort((a, b) => a - b);
}

/**
 * Adds agents to a queue. The API's add is an upsert that would reset a member's penalty to 0, so
 * the agents already on the queue are left alone.
 */
export async function addAgentsToQueue(api: ApiClient, queueId: number, agentIds: readonly number[]): Promise<void> {
  const members = await api.get<{ agentId: number }[]>(`/api/queues/${queueId}/agents`);
  const present = new Set(members.map((m) => m.agentId));
  for (const agentId of agentIds) if (!present.has(agentId)) await api.post(`/api/queues/${queueId}/agents`, { agentId });
}

/** Adds agents to a team, keeping its members. */
export async function addAgentsToTeam(api: ApiClient, team: TeamRow, agentIds: readonly number[]): Promise<void> {
  await api.put(`/api/teams/${team.id}/agents`, { agentIds: teamMembersAfter(team.agentIds, agentIds) });
}

/** Puts one agent in exactly the queues and teams chosen in its form. */
export async function setAgentMembership(
  api: ApiClient,
  agentId: number,
  queues: { before: readonly number[]; after: readonly number[] },
  teams: { all: readonly TeamRow[]; after: readonly number[] },
): Promise<void> {
  const q = membershipChanges(queues.before, queues.after);
  for (const queueId of q.added) await api.post(`/api/queues/${queueId}/agents`, { agentId });
  for (const queueId of q.removed) await api.delete(`/api/queues/${queueId}/agents/${agentId}`);
  for (const team of teams.all) {
    const isIn = team.agentIds.includes(agentId);
    const wantIn = teams.after.includes(team.id);
    if (isIn === wantIn) continue;
    await api.put(`/api/teams/${team.id}/agents`, { agentIds: wantIn ? teamMembersAfter(team.agentIds, [agentId]) : teamMembersAfter(team.agentIds, [], [agentId]) });
  }
}
