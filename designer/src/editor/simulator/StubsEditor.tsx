// Editable sample answers for the simulated call: per HTTP request and Database block, plus the
// outcome of dials and queues and the caller's number.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../../flows/index.ts';
import { Icon } from '../../ui/Icon.tsx';
import { SAMPLE_AGENT } from './session.ts';
import {
  DEFAULT_DATABASE_STUB,
  DEFAULT_HTTP_STUB,
  checkHttpStub,
  parseDatabaseStub,
  stubbedBlocks,
  type DialOutcome,
  type QueueOutcome,
  type SimulatorStubs,
} from './stubs.ts';

const DIAL_OUTCOMES: DialOutcome[] = ['answered', 'busy', 'noanswer', 'congestion', 'unavailable', 'failed'];
const QUEUE_OUTCOMES: QueueOutcome[] = ['answered', 'timeout', 'full', 'unavailable', 'failed'];

export function StubsEditor({ doc, stubs, onChange, disabled }: { doc: Project; stubs: SimulatorStubs; onChange: (s: SimulatorStubs) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const { http, database } = stubbedBlocks(doc);
  return (
    <section className="sim-section stubs">
      <button type="button" className="disclosure" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="stubs-toggle">
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={14} />
        <span className="sim-section-title">{t('designer.stubs.title')}</span>
        <span className="muted small">{http.length + database.length === 0 ? t('designer.stubs.summary') : t('designer.stubs.stubbed', { count: http.length + database.length })}</span>
      </button>
      {open ? (
        <div className="stubs-body">
          <div className="stub-grid">
            <label className="field">
              <span className="field-label">{t('designer.stubs.callerNumber')}</span>
              <input value={stubs.callerNumber} disabled={disabled} onChange={(e) => onChange({ ...stubs, callerNumber: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">{t('designer.stubs.dialOutcome')}</span>
              <select value={stubs.dialOutcome} disabled={disabled} onChange={(e) => onChange({ ...stubs, dialOutcome: e.target.value as DialOutcome })}>
                {DIAL_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`designer.stubs.outcomes.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">{t('designer.stubs.queueOutcome')}</span>
              <select value={stubs.queueOutcome} disabled={disabled} onChange={(e) => onChange({ ...stubs, queueOutcome: e.target.value as QueueOutcome })}>
                {QUEUE_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`designer.stubs.outcomes.${o}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <p className="muted small">
            {t('designer.stubs.sampleAgent', { extension: SAMPLE_AGENT.extension, username: SAMPLE_AGENT.username, pin: SAMPLE_AGENT.pin })}
          </p>
          {http.map((id) => {
            const stub = stubs.http[id] ?? DEFAULT_HTTP_STUB;
            const checked = checkHttpStub(stub);
            return (
              <fieldset key={id} className="stub" data-testid={`stub-http-${id}`}>
                <legend>
                  {t('designer.stubs.http')} <span className="mono">{id}</span>
                </legend>
                <label className="field field-inline">
                  <span className="field-label">{t('designer.stubs.status')}</span>
                  <input type="number" min={100} max={599} value={stub.status} disabled={disabled} onChange={(e) => onChange({ ...stubs, http: { ...stubs.http, [id]: { ...stub, status: Number(e.target.value) } } })} />
                </label>
                <label className="field">
                  <span className="field-label">{t('designer.stubs.body')}</span>
                  <textarea className="mono" rows={4} value={stub.body} disabled={disabled} onChange={(e) => onChange({ ...stubs, http: { ...stubs.http, [id]: { ...stub, body: e.target.value } } })} />
                </label>
                {checked.ok ? null : <span className="field-error">{checked.message}</span>}
              </fieldset>
            );
          })}
          {database.map((id) => {
            const stub = stubs.database[id] ?? DEFAULT_DATABASE_STUB;
            const parsed = parseDatabaseStub(stub);
            return (
              <fieldset key={id} className="stub" data-testid={`stub-db-${id}`}>
                <legend>
                  {t('designer.stubs.database')} <span className="mono">{id}</span>
                </legend>
                <label className="field">
                  <span className="field-label">{t('designer.stubs.result')}</span>
                  <textarea className="mono" rows={4} value={stub.text} disabled={disabled} onChange={(e) => onChange({ ...stubs, database: { ...stubs.database, [id]: { text: e.target.value } } })} />
                </label>
                {parsed.ok ? <span className="field-hint">{t('designer.stubs.rows', { count: parsed.value.rows.length })}</span> : <span className="field-error">{parsed.message}</span>}
              </fieldset>
            );
          })}
        </div>
      ) : null}
    </section>
  );
}
