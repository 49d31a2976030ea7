// A dialog holding one form, with Cancel and the form's submit button in its footer (the button
// sits outside the form, so it names the form by id).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog.tsx';

export function FormDialog({
  title,
  onClose,
  width,
  testId,
  formId,
  submitLabel,
  submitDisabled,
  children,
}: {
  title: string;
  onClose: () => void;
  width?: number;
  testId: string;
  /** The id of the form inside, which the footer's submit button submits. */
  formId: string;
  submitLabel: string;
  /** While saving, or while there is nothing to save yet. */
  submitDisabled: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      width={width}
      testId={testId}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={formId} className="btn btn-primary" disabled={submitDisabled}>
            {submitLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
