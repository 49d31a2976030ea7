// The header's Preferences button. The dialog (and the schema it checks against) loads when first
// opened, so the shell's first load does not carry it.
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

const PreferencesDialog = lazy(() => import('./PreferencesDialog.tsx').then((m) => ({ default: m.PreferencesDialog })));

export function PreferencesButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOpen(true)} aria-haspopup="dialog" data-testid="open-preferences">
        {t('preferences.open')}
      </button>
      {open ? (
        <Suspense fallback={null}>
          <PreferencesDialog onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
