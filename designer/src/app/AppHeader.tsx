// The bar above every page: brand (home), the agent's desktop link, who is signed in, sign out.
// Pages of the admin and supervisor areas are reached from the sidebar (admin/AdminNav.tsx).
import { Icon } from '../ui/Icon.tsx';
import { AppLink } from '../ui/AppLink.tsx';
import { desktopPath, homePath } from './router.ts';
import { useSession } from './session.tsx';
import { PreferencesButton } from './PreferencesButton.tsx';

export function AppHeader() {
  const { account, logout } = useSession();
  return (
    <header className="app-header">
      <AppLink className="brand" href={account.role === 'agent' ? desktopPath : homePath}>
        <span className="brand-mark" aria-hidden>
          T
        </span>
        <span className="brand-name">Tandem</span>
        <span className="brand-product">Contact center</span>
      </AppLink>
      <div className="app-header-right">
        {account.role === 'agent' ? (
          <AppLink className="btn btn-ghost btn-sm" href={desktopPath}>
            Agent desktop
          </AppLink>
        ) : null}
        <span className="account" data-testid="account">
          <span className="account-avatar" aria-hidden>
            {(account.fullName || account.username).slice(0, 1).toUpperCase()}
          </span>
          <span className="account-name">{account.fullName || account.username}</span>
          <span className="account-role">{account.role}</span>
        </span>
        <PreferencesButton />
        <button type="button" className="btn btn-ghost btn-sm" onClick={logout}>
          <Icon name="logout" /> Sign out
        </button>
      </div>
    </header>
  );
}
