import { Icon } from '../ui/Icon.tsx';
import { can } from './permissions.ts';
import { desktopPath, navigate, projectsPath, realtimePath } from './router.ts';
import { useSession } from './session.tsx';

export function AppHeader() {
  const { account, logout } = useSession();
  return (
    <header className="app-header">
      <a
        className="brand"
        href={projectsPath()}
        onClick={(e) => {
          e.preventDefault();
          navigate(projectsPath());
        }}
      >
        <span className="brand-mark" aria-hidden>
          T
        </span>
        <span className="brand-name">Tandem</span>
        <span className="brand-product">IVR designer</span>
      </a>
      <div className="app-header-right">
        {account.role === 'agent' ? (
          <a
            className="btn btn-ghost btn-sm"
            href={desktopPath}
            onClick={(e) => {
              e.preventDefault();
              navigate(desktopPath);
            }}
          >
            Agent desktop
          </a>
        ) : null}
        {can(account, 'realtime', 'read') ? (
          <a
            className="btn btn-ghost btn-sm"
            href={realtimePath}
            onClick={(e) => {
              e.preventDefault();
              navigate(realtimePath);
            }}
          >
            Realtime
          </a>
        ) : null}
        <span className="account" data-testid="account">
          <span className="account-avatar" aria-hidden>
            {(account.fullName || account.username).slice(0, 1).toUpperCase()}
          </span>
          <span className="account-name">{account.fullName || account.username}</span>
          <span className="account-role">{account.role}</span>
        </span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={logout}>
          <Icon name="logout" /> Sign out
        </button>
      </div>
    </header>
  );
}
