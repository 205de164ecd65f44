import { useState } from 'preact/hooks';
import { api } from '../api';
import { ago, duration, num, pct, time } from '../format';
import type { Session } from '../session';
import { AlertBadge, ErrorNote, TraceId } from '../widgets';

export interface Alert {
  id: string;
  source: string;
  sourceId: string;
  alertname: string;
  severity: string;
  service: string;
  state: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  details: any;
  activeAt: string | null;
  firedAt: string | null;
  resolvedAt: string | null;
  transitions?: { transition: string; at: string; value?: number | null }[];
}

/** Attribution: the operations burning the budget and real failed (or slowest) traces, so one opens a trace, not a dashboard. */
export function Attribution({ alert, session }: { alert: Alert; session: Session }) {
  const ops: any[] = alert.details?.topOperations ?? [];
  if (ops.length === 0) return null;
  return (
    <table class="compact attribution">
      <thead>
        <tr>
          <th>Operation</th>
          <th class="r">Failed</th>
          <th class="r">Calls</th>
          <th>Example traces</th>
        </tr>
      </thead>
      <tbody>
        {ops.map((o) => (
          <tr>
            <td>
              <code>{o.operation}</code> <span class="muted small">{o.spanKind}</span>
            </td>
            <td class="r">{num(o.errors, 0)}</td>
            <td class="r">{num(o.calls, 0)}</td>
            <td class="traces">
              {(o.exampleTraceIds ?? []).map((t: string) => (
                <TraceId id={t} session={session} />
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SilenceForm({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const [hours, setHours] = useState('2');
  const [comment, setComment] = useState('');
  const [by, setBy] = useState(localStorage.getItem('burnwatch.user') ?? '');
  const [error, setError] = useState<unknown>(null);
  // Silence exactly this alert: its identifying labels (severity included, so a ticket still reaches its channel).
  const matchers = Object.entries(alert.labels)
    .filter(([k]) => ['alertname', 'slo', 'rule', 'service', 'severity'].includes(k))
    .map(([name, value]) => ({ name, op: '=', value }));
  return (
    <form
      class="silence-form"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          localStorage.setItem('burnwatch.user', by);
          await api('/api/v1/silences', { method: 'POST', body: { matchers, endsAt: new Date(Date.now() + Number(hours) * 3600_000).toISOString(), createdBy: by, comment } });
          onDone();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <div class="muted small">
        Matches {matchers.map((m) => `${m.name}="${m.value}"`).join(', ')}
      </div>
      <label>
        For
        <select value={hours} onChange={(e) => setHours((e.target as HTMLSelectElement).value)}>
          {['1', '2', '4', '8', '24'].map((h) => (
            <option value={h}>{h}h</option>
          ))}
        </select>
      </label>
      <label>
        By <input name="createdBy" required value={by} onInput={(e) => setBy((e.target as HTMLInputElement).value)} placeholder="your name" />
      </label>
      <label class="grow">
        Comment <input name="comment" value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} placeholder="why" />
      </label>
      <button type="submit">Silence</button>
      <ErrorNote error={error} />
    </form>
  );
}

/** AlertCard: one incident — state, the tiers that crossed, burn, budget, attribution, transitions. */
export function AlertCard({ alert, session, showSlo = true, onChange }: { alert: Alert; session: Session; showSlo?: boolean; onChange?: () => void }) {
  const [silencing, setSilencing] = useState(false);
  const [done, setDone] = useState(false);
  const d = alert.details ?? {};
  return (
    <article class={`card alert ${alert.state} ${alert.severity}`} data-alert={alert.alertname}>
      <header>
        <AlertBadge severity={alert.severity} state={alert.state} />
        <strong>{alert.alertname}</strong>
        {showSlo && alert.source === 'slo' ? (
          <a href={`/slos/${alert.sourceId}`}>{alert.labels.slo ?? 'SLO'}</a>
        ) : showSlo ? (
          <span>rule {alert.labels.rule ?? ''}</span>
        ) : null}
        <span class="muted">{alert.service}</span>
        <span class="muted grow r">
          {alert.state === 'resolved' ? `resolved ${ago(alert.resolvedAt)}` : alert.firedAt ? `firing since ${time(alert.firedAt)}` : `pending since ${time(alert.activeAt)}`}
        </span>
        {session.canWrite && alert.state !== 'resolved' && !done ? (
          <button class="small" onClick={() => setSilencing(!silencing)}>
            Silence…
          </button>
        ) : null}
      </header>
      {done ? <p class="ok">Silenced: notifications for this alert are muted.</p> : null}
      {silencing && !done ? (
        <SilenceForm
          alert={alert}
          onDone={() => {
            setDone(true);
            setSilencing(false);
            onChange?.();
          }}
        />
      ) : null}
      {alert.annotations?.summary ? <p>{alert.annotations.summary}</p> : null}
      <p class="facts">
        {(d.crossed ?? []).map((c: any) => (
          <span class="fact">
            burn {num(c.longBurnRate)} ({c.longWindow}) / {num(c.shortBurnRate)} ({c.shortWindow}) ≥ {num(c.factor)}
          </span>
        ))}
        {d.budgetRemaining !== undefined ? <span class="fact">budget left {pct(d.budgetRemaining, 1)}</span> : null}
        {d.timeToExhaustionSeconds ? <span class="fact">exhausted in {duration(d.timeToExhaustionSeconds)}</span> : null}
        {alert.annotations?.runbook_url ? (
          <a class="fact" href={alert.annotations.runbook_url} target="_blank" rel="noreferrer">
            runbook
          </a>
        ) : null}
      </p>
      <Attribution alert={alert} session={session} />
      {alert.transitions?.length ? (
        <ol class="transitions">
          {alert.transitions.map((t) => (
            <li>
              <span class="muted">{time(t.at)}</span> <strong>{t.transition}</strong>
            </li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}
