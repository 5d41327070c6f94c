import { useState, type FormEvent } from 'react';
import { createBrowserClient } from '../api/client.js';
import { errorMessage, httpStatusOf } from '../api/errors.js';
import { useSession } from '../session.js';

type Mode = 'password' | 'api-token';

/** Signs in with a username and password; an API token is the secondary way in. */
export function SignIn() {
  const session = useSession();
  const [mode, setMode] = useState<Mode>('password');
  const [problem, setProblem] = useState<string | null>(null);
  const message = problem ?? session.notice;

  function switchTo(next: Mode) {
    setProblem(null);
    setMode(next);
  }

  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" />
          Metalyard
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        {message && (
          <p className="error-note" role="alert">
            {message}
          </p>
        )}
        {mode === 'password' ? <PasswordForm onProblem={setProblem} /> : <TokenForm onProblem={setProblem} />}
        <p className="sign-in-switch">
          {mode === 'password' ? (
            <button type="button" className="link-button" onClick={() => switchTo('api-token')}>
              Use an API token instead
            </button>
          ) : (
            <button type="button" className="link-button" onClick={() => switchTo('password')}>
              Sign in with a username and password
            </button>
          )}
        </p>
      </div>
    </main>
  );
}

function PasswordForm({ onProblem }: { onProblem(problem: string | null): void }) {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [checking, setChecking] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) return onProblem('Enter your username and password.');
    setChecking(true);
    onProblem(null);
    try {
      const login = await createBrowserClient(() => null).auth.login.mutate({ username: username.trim(), password });
      session.signIn(login.token, 'session');
    } catch (error) {
      const status = httpStatusOf(error);
      onProblem(status === 401 ? 'Wrong username or password.' : errorMessage(error));
      setChecking(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="sign-in-title">
      <label className="field">
        <span className="field-label">Username</span>
        <input
          name="username"
          autoComplete="username"
          spellCheck={false}
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <button type="submit" className="button button-primary button-wide" disabled={checking}>
        {checking ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function TokenForm({ onProblem }: { onProblem(problem: string | null): void }) {
  const session = useSession();
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return onProblem('Enter an API token.');
    setChecking(true);
    onProblem(null);
    try {
      // The token is kept only once the server accepts it.
      await createBrowserClient(() => candidate).protected.me.query();
      session.signIn(candidate, 'api-token');
    } catch (error) {
      onProblem(httpStatusOf(error) === 401 ? 'The server does not accept this token. Check it and try again.' : errorMessage(error));
      setChecking(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="sign-in-title">
      <label className="field">
        <span className="field-label">API token</span>
        <input
          type="password"
          name="token"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby="token-help"
        />
      </label>
      <p id="token-help" className="hint">
        The <code>METALYARD_ADMIN_TOKEN</code> the server was started with, or one made with{' '}
        <code>pnpm metalyard createadmin --username NAME</code>.
      </p>
      <button type="submit" className="button button-primary button-wide" disabled={checking}>
        {checking ? 'Checking…' : 'Sign in with the token'}
      </button>
    </form>
  );
}
