// The one confirmation for destructive actions: says what goes, lists what still uses it (the API's
// "where used" answer, when the caller has one), and keeps the dialog open with the error when the
// server refuses. Focus starts on Cancel so that Enter alone never deletes.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog.tsx';
import { FormError } from './forms.tsx';

export function ConfirmDialog({
  title,
  children,
  dependents = [],
  confirmLabel,
  busy = false,
  error = null,
  onConfirm,
  onCancel,
}: {
  title: string;
  children?: ReactNode;
  /** What still refers to the item ("Queue Sales — agent on the queue"); null while being checked. */
  dependents?: readonly string[] | null;
  confirmLabel: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel} autoFocus>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-danger" onClick={onConfirm} disabled={busy || dependents === null}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <div className="form-stack">
        {children}
        {dependents === null ? (
          <p className="muted" role="status">
            {t('confirm.checking')}
          </p>
        ) : dependents.length > 0 ? (
          <div data-testid="confirm-dependents">
            <p>{t('confirm.usedBy')}</p>
            <ul className="plain-list">
              {dependents.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
