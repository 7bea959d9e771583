/**
 * The team server's sign-in page: user name and password, the server's answer in words
 * (wrong password, too many attempts), nothing else of the catalog until signed in. In
 * the desktop app after File › Open Remote Catalog… it asks for the server's address too
 * (the servers signed in to before are offered).
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SignedInUser } from '../../../electron/shared/api-protocol.js';
import type { AuthClient, ServerChoice } from '../api/team-session.js';

export function LoginPage({ auth, onSignedIn, notice, server }: {
  auth: AuthClient; onSignedIn: (user: SignedInUser) => void; notice?: string | null; server?: ServerChoice;
}): ReactNode {
  const asksServer = server !== undefined && server.url === null;
  const [address, setAddress] = useState(server?.recent[0] ?? '');
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
    auth.signIn(username.trim().toLowerCase(), password, asksServer ? address.trim() : undefined).then((user) => {
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
        <h1 id="login-title">{asksServer ? 'Open a remote catalog' : 'Sign in to Ontocat'}</h1>
        <p className="muted">{asksServer
          ? 'A catalog shared by a team on an Ontocat server. Your admin gives you its address and an account.'
          : 'This catalog is shared by a team. Your admin gives you an account.'}</p>
        {notice && !asksServer && <p className="muted" role="status">{notice}</p>}
        {server?.url && <p className="muted">Server: {server.url}</p>}
        {asksServer && <>
          <label htmlFor="login-server">Server address</label>
          <input id="login-server" ref={first} name="server" type="url" inputMode="url" autoComplete="url" autoCapitalize="none" spellCheck={false}
            placeholder="https://ontocat.example.org" required value={address} onChange={(e) => setAddress(e.target.value)}
            list={server.recent.length > 0 ? 'login-recent-servers' : undefined} aria-invalid={error ? true : undefined} />
          {server.recent.length > 0 && <datalist id="login-recent-servers">{server.recent.map((url) => <option key={url} value={url} />)}</datalist>}
        </>}
        <label htmlFor="login-user">User name</label>
        <input id="login-user" ref={asksServer ? undefined : first} name="username" autoComplete="username" autoCapitalize="none" spellCheck={false}
          required value={username} onChange={(e) => setUsername(e.target.value)} aria-invalid={error ? true : undefined} />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : undefined} />
        {error && <p id="login-error" className="bad" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy || username.trim() === '' || password === '' || (asksServer && address.trim() === '')}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
