import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type ApiClient } from '../api/client.ts';
import type { Account, LoginAnswer } from '../api/types.ts';

export function LoginPage({ api, onLoggedIn }: { api: ApiClient; onLoggedIn: (account: Account, token: string) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<LoginAnswer>('/api/auth/login', { username, password });
      onLoggedIn({ ...answer.user, mustChangePassword: answer.mustChangePassword }, answer.token);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>
          <span className="brand-name">{t('login.product')}</span>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <label className="field">
          <span className="field-label">{t('login.username')}</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label className="field">
          <span className="field-label">{t('login.password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error === null ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.signIn')}
        </button>
      </form>
    </div>
  );
}

export function ChangePasswordPage({ api, onChanged, onCancel }: { api: ApiClient; onChanged: (account: Account) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token } = await api.put<{ token: string }>('/api/me/password', { currentPassword: current, newPassword: next });
      api.tokens.set(token);
      onChanged(await api.get<Account>('/api/me'));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="pw-title">
        <h1 id="pw-title">{t('login.changeTitle')}</h1>
        <p className="muted">{t('login.changeIntro')}</p>
        <label className="field">
          <span className="field-label">{t('login.currentPassword')}</span>
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label className="field">
          <span className="field-label">{t('login.newPassword')}</span>
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        </label>
        {error === null ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-end">
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('login.signOut')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('login.changePassword')}
          </button>
        </div>
      </form>
    </div>
  );
}
