// A supervisor's or service user's permissions as a grid: one row per module, one radio per level,
// so every module shows its level at a glance and changing one is a single click (or arrow keys:
// the radios of a row share a name, so each row is one group for the keyboard).
import { useTranslation } from 'react-i18next';
import { LEVELS, MODULES, type Module } from '../../../../contracts/staff.ts';
import './staff.css';

export type Level = (typeof LEVELS)[number];
export type Permissions = Partial<Record<Module, Level>>;

/** The permissions to send: modules left at 'none' are omitted, as the server treats them the same. */
export function permissionsToSend(grid: Permissions): Permissions {
  return Object.fromEntries(Object.entries(grid).filter(([, level]) => level !== 'none')) as Permissions;
}

export function PermissionGrid({ value, onChange, error, disabled = false }: { value: Permissions; onChange: (next: Permissions) => void; error?: string | undefined; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field staff-fieldset permission-grid" data-testid="permission-grid" disabled={disabled}>
      <legend className="field-label">{t('users.permissions')}</legend>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('users.module')}</th>
            {LEVELS.map((level) => (
              <th scope="col" key={level}>
                {t(`users.levels.${level}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {MODULES.map((module) => {
            const current = value[module] ?? 'none';
            return (
              <tr key={module} data-module={module}>
                <th scope="row">{t(`users.modules.${module}`)}</th>
                {LEVELS.map((level) => (
                  <td key={level}>
                    <input
                      type="radio"
                      name={`permission-${module}`}
                      value={level}
                      checked={current === level}
                      aria-label={`${t(`users.modules.${module}`)}: ${t(`users.levels.${level}`)}`}
                      onChange={() => onChange({ ...value, [module]: level })}
                    />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {error ? (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
