import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { api, ApiError, onUnauthorized, token } from './api';
import { useLocation } from './router';
import { SloList } from './pages/slo-list';
import { SloPage } from './pages/slo-page';
import { SloForm } from './pages/slo-form';
import { Services } from './pages/services';
import { Alerts } from './pages/alerts';
import type { Session } from './session';

function TokenPrompt({ error, onToken }: { error?: string; onToken: (t: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault();
        onToken(value.trim());
      }}
    >
      <h1>Burnwatch</h1>
      <p>This engine requires a bearer token. A read token shows everything; a write token also lets you edit SLOs, silence alerts and retry notifications. It is kept for this browser tab only.</p>
      <label>
        Token
        <input type="password" name="token" autoComplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      </label>
      {error ? <p class="error">{error}</p> : null}
      <button type="submit">Open the console</button>
    </form>
  );
}

function App() {
  const { path } = useLocation();
  const [session, setSession] = useState<Session | null>(null);
  const [needToken, setNeedToken] = useState<string | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);

  const start = async () => {
    try {
      // Both at once: one round trip less before the first page's own requests.
      const [cfg, s] = await Promise.all([api('/api/v1/console/config'), api('/api/v1/console/session', { quiet: true }).catch((e: unknown) => e)]);
      if (cfg.authRequired && !token.get()) return setNeedToken('');
      if (s instanceof Error) throw s;
      setNeedToken(null);
      setSession({ authRequired: cfg.authRequired, traceUrlTemplate: cfg.traceUrlTemplate, canWrite: s.scopes.includes('write') });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        token.set('');
        setNeedToken(e.message);
      } else setFatal(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void start();
    return onUnauthorized(() => {
      token.set('');
      setSession(null);
      setNeedToken('The token was refused; enter it again.');
    });
  }, []);

  if (needToken !== null) {
    return (
      <main class="narrow">
        <TokenPrompt
          error={needToken || undefined}
          onToken={(t) => {
            token.set(t);
            void start();
          }}
        />
      </main>
    );
  }
  if (fatal) return <main class="narrow"><p class="error">Cannot reach the engine: {fatal}</p></main>;
  if (!session) return <main class="narrow"><p class="muted">Loading…</p></main>;

  let page;
  let m: RegExpExecArray | null;
  if (path === '/' || path === '/slos') page = <SloList session={session} />;
  else if (path === '/slos/new') page = <SloForm session={session} />;
  else if ((m = /^\/slos\/([^/]+)\/edit$/.exec(path))) page = <SloForm session={session} id={m[1]} />;
  else if ((m = /^\/slos\/([^/]+)$/.exec(path))) page = <SloPage session={session} id={m[1]} />;
  else if (path === '/services' || path.startsWith('/services/')) page = <Services session={session} />;
  else if (path === '/alerts') page = <Alerts session={session} />;
  else page = <p>No such page. <a href="/">Back to the SLOs</a></p>;

  const nav = (href: string, label: string, active: boolean) => (
    <a href={href} class={active ? 'active' : ''}>
      {label}
    </a>
  );
  return (
    <>
      <header class="top">
        <a href="/" class="brand">
          <span class="flame">◆</span> Burnwatch
        </a>
        <nav>
          {nav('/', 'SLOs', path === '/' || path.startsWith('/slos'))}
          {nav('/alerts', 'Alerts', path === '/alerts')}
          {nav('/services', 'Services', path.startsWith('/services'))}
          <a href="/docs" target="_blank" rel="noreferrer">API</a>
        </nav>
        <span class="who">
          {session.authRequired ? (
            <>
              {session.canWrite ? 'write' : 'read-only'}{' '}
              <button
                class="link"
                onClick={() => {
                  token.set('');
                  setSession(null);
                  setNeedToken('');
                }}
              >
                sign out
              </button>
            </>
          ) : null}
        </span>
      </header>
      <main>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
