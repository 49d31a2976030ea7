// Home: the first-run checklist. Each step reads existing API answers (nothing is stored for the
// checklist itself) and ticks itself; what the account may not read is not asked for.
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CHANNELS } from '../../../../contracts/channels.ts';
import type { ApiError } from '../../api/client.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/Icon.tsx';
import { useApiQuery } from '../kit/query.tsx';
import { checklist, type Health, type Signal, type StepState } from './checklist.ts';

// The checklist follows what happens elsewhere (another tab, the API) without a reload.
const REFRESH_MS = 15_000;

function signalOf<T>(allowed: boolean, query: UseQueryResult<T, ApiError>): Signal<T> {
  if (!allowed) return { kind: 'forbidden' };
  if (query.isPending) return { kind: 'loading' };
  if (query.isError) return query.error.status === 403 ? { kind: 'forbidden' } : { kind: 'failed', message: describeError(query.error) };
  return { kind: 'ok', value: query.data };
}

export function HomePage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const may = {
    staff: can(account, 'staff', 'read'),
    queues: CHANNELS.some((c) => can(account, c, 'read')),
    ivr: can(account, 'ivr', 'read'),
    voice: can(account, 'voice', 'read'),
  };
  const live = { refetchInterval: REFRESH_MS } as const;
  const health = useApiQuery<Health>('/api/health', live);
  const agents = useApiQuery<unknown>('/api/agents?limit=1', { ...live, enabled: may.staff });
  const queues = useApiQuery<unknown[]>('/api/queues', { ...live, enabled: may.queues });
  const projects = useApiQuery<{ publishedVersion: number | null }[]>('/api/ivr/projects', { ...live, enabled: may.ivr });
  const routes = useApiQuery<unknown[]>('/api/voice/routes?kind=inbound', { ...live, enabled: may.voice });
  const calls = useApiQuery<unknown[]>('/api/voice/calls?limit=1', { ...live, enabled: may.voice });

  const steps = checklist({
    health: signalOf(true, health),
    agents: signalOf(may.staff, agents),
    queues: signalOf(may.queues, queues),
    projects: signalOf(may.ivr, projects),
    inboundRoutes: signalOf(may.voice, routes),
    calls: signalOf(may.voice, calls),
  });
  const asterisk = health.data?.asterisk;
  const stateText: Record<StepState, string> = { done: t('home.done'), todo: t('home.todo'), undetectable: t('home.undetectable'), hidden: t('home.unknown'), loading: t('shell.loading') };

  return (
    <div className="page" data-testid="home-page">
      <header className="page-header">
        <div>
          <h1>{t('home.title')}</h1>
          <p className="muted">{t('home.intro')}</p>
        </div>
      </header>
      <section aria-labelledby="checklist-title" className="checklist">
        <h2 id="checklist-title">{t('home.checklistTitle')}</h2>
        <ol className="checklist-steps">
          {steps.map((step) => (
            <li key={step.id} className={`checklist-step checklist-${step.state}`} data-testid={`step-${step.id}`} data-state={step.state}>
              <span className="checklist-mark" aria-hidden>
                {step.state === 'done' ? <Icon name="check" /> : step.state === 'undetectable' ? <Icon name="info" /> : null}
              </span>
              <span className="checklist-name">{t(`home.items.${step.id}`)}</span>
              <span className="checklist-state">{stateText[step.state]}</span>
              {step.id === 'asterisk' && asterisk ? <span className="muted small">{t('home.asteriskState', { ami: asterisk.ami ?? '?', ari: asterisk.ari ?? '?' })}</span> : null}
              {step.state === 'undetectable' ? <span className="muted small">{t('home.undetectableHint')}</span> : null}
              {step.problem ? <span className="field-error">{step.problem}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
