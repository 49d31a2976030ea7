// The bar above every page: brand (home), the agent's desktop link, who is signed in, sign out.
// Pages of the admin and supervisor areas are reached from the sidebar (admin/AdminNav.tsx).
import { useTranslation } from 'react-i18next';
import { Icon } from '../ui/Icon.tsx';
import { AppLink } from '../ui/AppLink.tsx';
import { desktopPath, homePath } from './router.ts';
import { useSession } from './session.tsx';
import { PreferencesButton } from './PreferencesButton.tsx';

export function AppHeader() {
  const { t } = useTranslation();
  const { account, logout } = useSession();
  return (
    <header className="app-header">
      <AppLink className="brand" href={account.role === 'agent' ? desktopPath : homePath}>
        <span className="brand-mark" aria-hidden>
          T
        </span>
        <span className="brand-name">{t('common.app.name')}</span>
        <span className="brand-product">{t('common.app.product')}</span>
      </AppLink>
      <div className="app-header-right">
        {account.role === 'agent' ? (
          <AppLink className="btn btn-ghost btn-sm" href={desktopPath}>
            {t('common.app.agentDesktop')}
          </AppLink>
        ) : null}
        <span className="account" data-testid="account">
          <span className="account-avatar" aria-hidden>
            {(account.fullName || account.username).slice(0, 1).toUpperCase()}
          </span>
          <span className="account-name">{account.fullName || account.username}</span>
          <span className="account-role">{t(`common.roles.${account.role}`)}</span>
        </span>
        <PreferencesButton />
        <button type="button" className="btn btn-ghost btn-sm" onClick={logout}>
          <Icon name="logout" /> {t('common.app.signOut')}
        </button>
      </div>
    </header>
  );
}
