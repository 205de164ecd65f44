import type { Session } from './session';
import { pct } from './format';

/** BudgetBar shows the error budget left; red once spent, amber under a quarter. */
export function BudgetBar({ remaining }: { remaining: number | null }) {
  if (remaining === null || remaining === undefined) return <span class="muted">no data</span>;
  const w = Math.max(0, Math.min(1, remaining));
  const cls = remaining <= 0 ? 'spent' : remaining < 0.25 ? 'low' : 'ok';
  return (
    <span class={`budget ${cls}`} title={`${pct(remaining, 1)} of the error budget left`}>
      <span class="bar">
        <span style={{ width: `${w * 100}%` }} />
      </span>
      <span class="val">{pct(remaining, 1)}</span>
    </span>
  );
}

export function AlertBadge({ severity, state }: { severity: string; state: string }) {
  return <span class={`badge ${state} ${severity}`}>{state === 'firing' ? `${severity} firing` : `${severity} ${state}`}</span>;
}

/** TraceId links to the user's trace viewer when TRACE_URL_TEMPLATE is set. */
export function TraceId({ id, session }: { id: string; session: Session }) {
  if (!session.traceUrlTemplate) return <code class="trace">{id}</code>;
  return (
    <a class="trace" href={session.traceUrlTemplate.replaceAll('{traceId}', id)} target="_blank" rel="noreferrer">
      <code>{id}</code>
    </a>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return <p class="error">{error instanceof Error ? error.message : String(error)}</p>;
}
