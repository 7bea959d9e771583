/**
 * The team server's sign-in page: user name and password, the server's answer in words
 * (wrong password, too many attempts), nothing else of the catalog until signed in.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SignedInUser } from '../../../electron/shared/api-protocol.js';
import type { AuthClient } from '../api/team-session.js';

export function LoginPage({ auth, onSignedIn, notice }: { auth: AuthClient; onSignedIn: (user: SignedInUser) => void; notice?: string | null }): ReactNode {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    auth.signIn(username.trim().toLowerCase(), password).then((user) => {
      setPassword('');
      onSignedIn(user);
    }, (failure: Error) => {
      setError(failure.message);
      setBusy(false);
    });
  };

  return (
    <main className="login" id="main-content">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="login-brand" aria-hidden="true">◆</div>
        <h1 id="login-title">Sign in to Ontocat</h1>
        <p className="muted">This catalog is shared by a team. Your admin gives you an account.</p>
        {notice && <p className="muted" role="status">{notice}</p>}
        <label htmlFor="login-user">User name</label>
        <input id="login-user" ref={first} name="username" autoComplete="username" autoCapitalize="none" spellCheck={false}
          required value={username} onChange={(e) => setUsername(e.target.value)} aria-invalid={error ? true : undefined} />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : undefined} />
        {error && <p id="login-error" className="bad" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy || username.trim() === '' || password === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
