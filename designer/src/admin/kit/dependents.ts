// "Where used" before a destructive action: GET /api/dependents for a queue, project, trunk, sound,
// team, agent, user, website or route, as lines for ConfirmDialog. What the account may not see is counted, not named.
import { useTranslation } from 'react-i18next';
import type { DependentsAnswer, DependentTarget } from '../../../../contracts/admin.ts';
import { useApiQuery } from './query.tsx';

/**
 * The lines to list, null while the answer is on its way; an error lists nothing (the server still
 * refuses what it must). Asked afresh each time a dialog opens: no answer is kept once it closes, so
 * a dependent removed meanwhile is never listed from memory. A null id asks nothing (no dialog open).
 */
export function useDependents(kind: DependentTarget, id: string | number | null): readonly string[] | null {
  const { t } = useTranslation();
  const answer = useApiQuery<DependentsAnswer>(`/api/dependents?kind=${kind}&id=${encodeURIComponent(String(id))}`, { staleTime: 0, gcTime: 0, enabled: id !== null });
  if (answer.isPending) return null;
  if (answer.isError) return [];
  const lines = answer.data.dependents.map((d) => `${t(`confirm.kinds.${d.kind}`)} ${d.name} — ${d.via}`);
  if (answer.data.hidden > 0) lines.push(t('confirm.hidden', { count: answer.data.hidden }));
  return lines;
}
