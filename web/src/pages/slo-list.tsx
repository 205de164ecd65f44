import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { num, pct } from '../format';
import { usePoll } from '../poll';
import { setQuery, useLocation } from '../router';
import type { Session } from '../session';
import { AlertBadge, BudgetBar, ErrorNote } from '../widgets';

interface Summary {
  id: string;
  name: string;
  service: string;
  description: string;
  indicator: string;
  objective: number;
  window: string;
  labels: Record<string, string>;
  sli: number | null;
  events: number;
  budgetRemaining: number | null;
  burnRates: { '1h': number | null; '6h': number | null };
  approximate: boolean;
}

interface AlertRow {
  id: string;
  source: string;
  sourceId: string;
  severity: string;
  state: string;
}

/** Above this many rows the table renders only what is on screen (rows get a fixed height). */
const WINDOW_FROM = 200;
const ROW_H = 56;
const OVERSCAN = 15;

/** useRowWindow: which rows of a long table are near the viewport, from the page's scroll position. */
function useRowWindow(count: number, body: { current: HTMLElement | null }): [number, number] {
  const [range, setRange] = useState<[number, number]>([0, 40]);
  useEffect(() => {
    if (count <= WINDOW_FROM) return;
    const update = () => {
      const top = body.current ? body.current.getBoundingClientRect().top : 0;
      const first = Math.max(0, Math.floor(-top / ROW_H) - OVERSCAN);
      const last = Math.min(count, Math.ceil((innerHeight - top) / ROW_H) + OVERSCAN);
      setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
    };
    update();
    addEventListener('scroll', update, { passive: true });
    addEventListener('resize', update);
    return () => {
      removeEventListener('scroll', update);
      removeEventListener('resize', update);
    };
  }, [count]);
  return count <= WINDOW_FROM ? [0, count] : [Math.min(range[0], count), Math.min(range[1], count)];
}

const SEVERITY_RANK: Record<string, number> = { page: 0, ticket: 1 };

function EmptyState({ session }: { session: Session }) {
  const origin = location.origin;
  return (
    <section class="card empty">
      <h2>No SLOs yet</h2>
      <p>1. Send spans: point any OpenTelemetry SDK or Collector at this engine with OTLP/HTTP.</p>
      <pre>{`export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/v1/traces
export OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf`}</pre>
      <p>
        2. Define an SLO over a service that sends them{session.canWrite ? <> — <a href="/slos/new">create one here</a> — </> : ' '}or through the API:
      </p>
      <pre>{`curl -X POST ${origin}/api/v1/slos -H 'Content-Type: application/json' -d '{
  "name": "checkout-availability", "service": "checkout",
  "indicator": {"type": "availability"}, "objective": 99.9, "window": "30d"}'`}</pre>
      <p class="muted">
        Or run <code>npm run demo</code> to see a populated console with a week of history and a live incident. Services already sending spans appear under <a href="/services">Services</a>.
      </p>
    </section>
  );
}

/** SloList: every SLO, worst budget first, one request for all statuses and one for all active alerts. */
export function SloList({ session }: { session: Session }) {
  const { query } = useLocation();
  const q = (query.get('q') ?? '').toLowerCase();
  const service = query.get('service') ?? '';
  const label = query.get('label') ?? '';
  const firing = query.get('firing') === '1';
  const over = query.get('over') === '1';

  const { data, error } = usePoll(
    async () => {
      const [slos, alerts] = await Promise.all([api<Summary[]>('/api/v1/slos/summary'), api<AlertRow[]>('/api/v1/alerts?state=active&limit=1000')]);
      return { slos, alerts };
    },
    [],
    15000,
  );

  const alertsBySlo = useMemo(() => {
    const m = new Map<string, AlertRow[]>();
    for (const a of data?.alerts ?? []) {
      if (a.source !== 'slo') continue;
      const l = m.get(a.sourceId) ?? [];
      l.push(a);
      m.set(a.sourceId, l);
    }
    for (const l of m.values()) l.sort((a, b) => (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) || (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9));
    return m;
  }, [data]);

  const services = useMemo(() => [...new Set((data?.slos ?? []).map((s) => s.service))].sort(), [data]);

  const rows = useMemo(() => {
    const [lk, lv] = label.includes('=') ? [label.slice(0, label.indexOf('=')), label.slice(label.indexOf('=') + 1)] : [label, undefined];
    const list = (data?.slos ?? []).filter((s) => {
      if (service && s.service !== service) return false;
      if (label && (lv === undefined ? !(lk in s.labels) : s.labels[lk] !== lv)) return false;
      if (over && !(s.budgetRemaining !== null && s.budgetRemaining <= 0)) return false;
      if (firing && !(alertsBySlo.get(s.id) ?? []).some((a) => a.state === 'firing')) return false;
      if (q && !`${s.name} ${s.service} ${s.description} ${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(' ')}`.toLowerCase().includes(q)) return false;
      return true;
    });
    // Worst budget first; SLOs without data last.
    return list.sort((a, b) => (a.budgetRemaining ?? Infinity) - (b.budgetRemaining ?? Infinity) || a.name.localeCompare(b.name));
  }, [data, alertsBySlo, q, service, label, firing, over]);

  const body = useRef<HTMLTableSectionElement>(null);
  const [from, to] = useRowWindow(rows.length, body);
  const windowed = rows.length > WINDOW_FROM;

  if (!data) return error ? <ErrorNote error={error} /> : <p class="muted">Loading SLOs…</p>;
  if (data.slos.length === 0) return <EmptyState session={session} />;

  const firingCount = [...alertsBySlo.values()].filter((l) => l.some((a) => a.state === 'firing')).length;
  return (
    <section>
      <div class="page-head">
        <h1>SLOs</h1>
        <span class="muted">
          {data.slos.length} SLOs · {firingCount} firing · {data.slos.filter((s) => s.budgetRemaining !== null && s.budgetRemaining <= 0).length} over budget
        </span>
        {session.canWrite ? (
          <a class="button" href="/slos/new">
            New SLO
          </a>
        ) : null}
      </div>
      <ErrorNote error={error} />
      <div class="filters">
        <input type="search" placeholder="Search name, service, label…" value={query.get('q') ?? ''} onInput={(e) => setQuery({ q: (e.target as HTMLInputElement).value })} aria-label="Search" />
        <select value={service} onChange={(e) => setQuery({ service: (e.target as HTMLSelectElement).value })} aria-label="Service">
          <option value="">All services</option>
          {services.map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
        <input type="text" placeholder="label key=value" value={label} onChange={(e) => setQuery({ label: (e.target as HTMLInputElement).value })} aria-label="Label" />
        <label class="check">
          <input type="checkbox" checked={firing} onChange={(e) => setQuery({ firing: (e.target as HTMLInputElement).checked ? '1' : undefined })} /> firing
        </label>
        <label class="check">
          <input type="checkbox" checked={over} onChange={(e) => setQuery({ over: (e.target as HTMLInputElement).checked ? '1' : undefined })} /> over budget
        </label>
      </div>
      <div class="table-wrap">
        <table class={`slos${windowed ? ' windowed' : ''}`} data-rows={rows.length}>
          <thead>
            <tr>
              <th>SLO</th>
              <th>Service</th>
              <th class="r">Objective</th>
              <th>Window</th>
              <th class="r">SLI</th>
              <th>Error budget left</th>
              <th class="r">Burn 1h</th>
              <th class="r">Burn 6h</th>
              <th>Alerts</th>
            </tr>
          </thead>
          <tbody ref={body}>
            {from > 0 ? <tr class="spacer" style={{ height: `${from * ROW_H}px` }} /> : null}
            {rows.slice(from, to).map((s) => {
              const alerts = alertsBySlo.get(s.id) ?? [];
              return (
                <tr key={s.id} class="slo-row" data-slo={s.name}>
                  <td>
                    <a href={`/slos/${s.id}`} class="strong">
                      {s.name}
                    </a>
                    <div class="muted small">
                      {s.indicator}
                      {s.approximate ? <span class="tag" title="Part of the window was rebuilt from RED histograms when the SLO was created or edited">≈ approximate</span> : null}
                      {Object.entries(s.labels).map(([k, v]) => (
                        <span class="tag">
                          {k}={v}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>{s.service}</td>
                  <td class="r">{s.objective}%</td>
                  <td>{s.window}</td>
                  <td class="r">{s.events > 0 ? pct(s.sli, 3) : '—'}</td>
                  <td>
                    <BudgetBar remaining={s.events > 0 ? s.budgetRemaining : null} />
                  </td>
                  <td class={`r ${burnClass(s.burnRates['1h'])}`}>{num(s.burnRates['1h'])}</td>
                  <td class={`r ${burnClass(s.burnRates['6h'])}`}>{num(s.burnRates['6h'])}</td>
                  <td>
                    {alerts.length === 0 ? <span class="muted">—</span> : alerts.map((a) => <AlertBadge severity={a.severity} state={a.state} />)}
                  </td>
                </tr>
              );
            })}
            {to < rows.length ? <tr class="spacer" style={{ height: `${(rows.length - to) * ROW_H}px` }} /> : null}
          </tbody>
        </table>
        {rows.length === 0 ? <p class="muted">No SLO matches these filters.</p> : null}
      </div>
    </section>
  );
}

export const burnClass = (b: number | null) => (b === null ? '' : b >= 6 ? 'hot' : b > 1 ? 'warm' : '');
