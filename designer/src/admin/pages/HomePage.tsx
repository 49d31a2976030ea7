// Home: the first-run checklist. The node works each step out from what it holds
// (GET /api/setup/checklist: Asterisk links, agents, queues, a published IVR, a route to it, an
// agent logged in, a call), so the page only shows it, and asks again now and then to follow what
// happens elsewhere (another tab, the API) without a reload.
import { useTranslation } from 'react-i18next';
import type { ChecklistAnswer } from '../../../../contracts/admin.ts';
import { describeError } from '../../api/client.ts';
import { Icon } from '../../ui/Icon.tsx';
import { FormError } from '../kit/forms.tsx';
import { useApiQuery } from '../kit/query.tsx';
import { PageHeader } from '../kit/crud.tsx';

const REFRESH_MS = 15_000;

export function HomePage() {
  const { t } = useTranslation();
  const checklist = useApiQuery<ChecklistAnswer>('/api/setup/checklist', { refetchInterval: REFRESH_MS });
  return (
    <div className="page" data-testid="home-page">
      <PageHeader title={t('home.title')} intro={t('home.intro')} />
      <section aria-labelledby="checklist-title" className="checklist" aria-busy={checklist.isPending}>
        <h2 id="checklist-title">{t('home.checklistTitle')}</h2>
        {checklist.error ? <FormError message={describeError(checklist.error)} /> : null}
        <ol className="checklist-steps">
          {(checklist.data?.items ?? []).map((step) => (
            <li key={step.item} className={`checklist-step ${step.done ? 'checklist-done' : ''}`} data-testid={`step-${step.item}`} data-state={step.done ? 'done' : 'todo'}>
              <span className="checklist-mark" aria-hidden>
                {step.done ? <Icon name="check" /> : null}
              </span>
              <span className="checklist-name">{t(`home.items.${step.item}`)}</span>
              <span className="checklist-state">{step.done ? t('home.done') : t('home.todo')}</span>
              <span className="muted small">{step.detail}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
