import { useMemo, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { Chart } from '../chart';
import { duration, num, pct, time } from '../format';
import { usePoll } from '../poll';
import { navigate, setQuery, useLocation } from '../router';
import type { Session } from '../session';
import { BudgetBar, ErrorNote } from '../widgets';
import { AlertCard, type Alert } from './alert-card';
import { burnClass } from './slo-list';

const HOUR = 3600_000;
const RANGES: [string, number][] = [
  ['1h', HOUR],
  ['6h', 6 * HOUR],
  ['1d', 24 * HOUR],
  ['3d', 72 * HOUR],
  ['7d', 168 * HOUR],
];
const BURN_LINES: [string, string][] = [
  ['5m', 'var(--c5)'],
  ['1h', 'var(--c1)'],
  ['6h', 'var(--c2)'],
  ['1d', 'var(--c3)'],
  ['3d', 'var(--c4)'],
];
const color = (v: string) => (v.startsWith('var(') ? getComputedStyle(document.documentElement).getPropertyValue(v.slice(4, -1)).trim() : v);

/** SloPage: one SLO's budget over time, SLI, burn rates against each tier's factor, tiers, alerts and definition. */
export function SloPage({ session, id }: { session: Session; id: string }) {
  const { query } = useLocation();
  const { data, error } = usePoll(
    async () => {
      const [slo, status, alerts] = await Promise.all([
        api(`/api/v1/slos/${enc(id)}`),
        api(`/api/v1/slos/${enc(id)}/status`),
        api<Alert[]>(`/api/v1/alerts?slo=${enc(id)}&state=all&limit=20`),
      ]);
      // Transitions of the latest few incidents, for the timeline.
      const detailed = await Promise.all(alerts.slice(0, 5).map((a) => api<Alert>(`/api/v1/alerts/${a.id}`)));
      return { slo, status, alerts: [...detailed, ...alerts.slice(5)] };
    },
    [id],
    15000,
  );
  const periodMs = data ? data.status.window.periodSeconds * 1000 : 0;
  const ranges = useMemo(() => (periodMs ? [...RANGES.filter(([, ms]) => ms < periodMs), ['window', periodMs] as [string, number]] : RANGES), [periodMs]);
  const rangeLabel = query.get('range') ?? '1d';
  const rangeMs = ranges.find(([l]) => l === rangeLabel)?.[1] ?? 24 * HOUR;

  const hist = usePoll(
    async () => {
      const to = Date.now();
      return api(`/api/v1/slos/${enc(id)}/history?from=${enc(new Date(to - rangeMs).toISOString())}&to=${enc(new Date(to).toISOString())}`);
    },
    [id, rangeMs],
    30000,
  );

  if (!data) return error ? <ErrorNote error={error} /> : <p class="muted">Loading…</p>;
  const { slo, status } = data;
  const firing = data.alerts.filter((a) => a.state === 'firing' || a.state === 'pending');
  const recent = data.alerts.filter((a) => !(a.state === 'firing' || a.state === 'pending'));
  return (
    <section>
      <div class="page-head">
        <h1>{slo.name}</h1>
        <span class="muted">
          {slo.service} · {slo.indicator.type}
          {slo.indicator.type === 'latency' ? ` ≤ ${slo.indicator.thresholdMs} ms` : ''} · {slo.objective}% over {slo.window}
        </span>
        {session.canWrite ? (
          <span class="actions">
            <a class="button" href={`/slos/${slo.id}/edit`}>
              Edit
            </a>
            <button
              class="danger"
              onClick={async () => {
                if (!confirm(`Delete the SLO ${slo.name}? Its history goes with it.`)) return;
                await api(`/api/v1/slos/${slo.id}`, { method: 'DELETE' });
                navigate('/');
              }}
            >
              Delete
            </button>
          </span>
        ) : null}
      </div>
      {slo.description ? <p>{slo.description}</p> : null}
      <ErrorNote error={error} />
      {(status.warnings ?? []).map((w: string) => (
        <p class="warn">{w}</p>
      ))}
      <div class="stats">
        <div>
          <span class="label">SLI ({slo.window})</span>
          <span class="big">{status.noData ? '—' : pct(status.sli, 3)}</span>
        </div>
        <div>
          <span class="label">Error budget left</span>
          <BudgetBar remaining={status.noData ? null : status.errorBudget.remainingFraction} />
          <span class="muted small">
            {num(status.errorBudget.spentEvents, 0)} of {num(status.errorBudget.totalEvents, 0)} bad events allowed
          </span>
        </div>
        <div>
          <span class="label">Burn 1h / 6h</span>
          <span class="big">
            <span class={burnClass(status.windows['1h']?.burnRate)}>{num(status.windows['1h']?.burnRate)}</span> /{' '}
            <span class={burnClass(status.windows['6h']?.burnRate)}>{num(status.windows['6h']?.burnRate)}</span>
          </span>
        </div>
        <div>
          <span class="label">Exhausted in</span>
          <span class="big">{status.timeToExhaustionSeconds ? duration(status.timeToExhaustionSeconds) : 'never'}</span>
          <span class="muted small">at the 1h burn rate</span>
        </div>
        <div>
          <span class="label">Events ({slo.window})</span>
          <span class="big">{num(status.events.total, 0)}</span>
          <span class="muted small">{num(status.events.bad, 0)} bad</span>
        </div>
      </div>

      {firing.length ? (
        <>
          <h2>Active alerts</h2>
          {firing.map((a) => (
            <AlertCard alert={a} session={session} showSlo={false} />
          ))}
        </>
      ) : null}

      <div class="page-head">
        <h2>History</h2>
        <div class="seg" role="group" aria-label="Range">
          {ranges.map(([l]) => (
            <button class={l === rangeLabel ? 'on' : ''} onClick={() => setQuery({ range: l })}>
              {l === 'window' ? `window (${slo.window})` : l}
            </button>
          ))}
        </div>
      </div>
      <HistoryCharts slo={slo} status={status} history={hist.data} error={hist.error} />

      <h2>Alert tiers</h2>
      <div class="table-wrap">
        <table class="compact tiers">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Long / short window</th>
              <th class="r">Budget</th>
              <th class="r">Factor</th>
              <th class="r">Burn long</th>
              <th class="r">Burn short</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {status.alerting.tiers.map((t: any) => (
              <tr class={t.unreachable ? 'unreachable' : ''}>
                <td>{t.severity}</td>
                <td>
                  {t.longWindow} / {t.shortWindow}
                </td>
                <td class="r">{pct(t.budgetFraction, 0)}</td>
                <td class="r">{num(t.factor)}</td>
                <td class={`r ${t.longBurnRate >= t.factor ? 'hot' : ''}`}>{num(t.longBurnRate)}</td>
                <td class={`r ${t.shortBurnRate >= t.factor ? 'hot' : ''}`}>{num(t.shortBurnRate)}</td>
                <td>
                  {t.unreachable ? (
                    <span class="badge unreachable" title="The factor is above 1 / (1 − objective): this tier can never fire">
                      unreachable
                    </span>
                  ) : t.firing ? (
                    <span class={`badge firing ${t.severity}`}>firing</span>
                  ) : !t.enoughEvents ? (
                    <span class="muted" title={`fewer than ${status.alerting.minEvents} events in the long window`}>
                      too few events
                    </span>
                  ) : (
                    <span class="muted">ok</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Recent alerts</h2>
      {recent.length === 0 ? <p class="muted">No resolved alerts in the retained history.</p> : recent.map((a) => <AlertCard alert={a} session={session} showSlo={false} />)}

      <h2>Definition</h2>
      <pre class="definition">{JSON.stringify(definitionOf(slo), null, 2)}</pre>
      <p class="muted small">
        Created {time(slo.createdAt)}, updated {time(slo.updatedAt)}, version {slo.version}.
        {slo.approximateUntil ? ` History before ${time(slo.approximateUntil)} was rebuilt from RED histograms and is approximate.` : ''}
      </p>
    </section>
  );
}

function definitionOf(slo: any) {
  const { id, version, createdAt, updatedAt, approximateUntil, warnings, ...spec } = slo;
  return spec;
}

function HistoryCharts({ slo, status, history, error }: { slo: any; status: any; history: any; error: unknown }) {
  const charts = useMemo(() => {
    if (!history) return null;
    const pts: any[] = history.points;
    const x = pts.map((p) => Date.parse(p.at));
    const ratio = 1 - slo.objective / 100;
    const winFrom = Date.parse(status.window.from);
    const period = status.window.periodSeconds * 1000;
    const approxUntil = slo.approximateUntil ? Date.parse(slo.approximateUntil) : null;
    const shade = approxUntil !== null && x.length && approxUntil > x[0] ? [{ fromMs: x[0], toMs: approxUntil, label: 'approximate (backfilled)' }] : [];
    const budget = {
      x,
      lines: [
        { line: { label: 'budget left', color: color('var(--c1)'), fill: color('var(--c1-fill)') }, values: pts.map((p) => p.budgetRemaining) },
        {
          line: { label: 'ideal burn', color: color('var(--muted)'), dash: [4, 4], width: 1 },
          values: x.map((t) => (t < winFrom ? null : Math.max(0, 1 - (t - winFrom) / period))),
        },
      ],
      shade,
    };
    const sli = {
      x,
      lines: [
        { line: { label: `SLI ${slo.window}`, color: color('var(--c1)') }, values: pts.map((p) => p.sli) },
        { line: { label: 'SLI 1h', color: color('var(--c2)'), width: 1 }, values: pts.map((p) => (p.burnRates['1h'] === null ? null : 1 - p.burnRates['1h'] * ratio)) },
      ],
      thresholds: [{ value: slo.objective / 100, label: 'objective', color: color('var(--bad)') }],
      shade,
    };
    const burn = {
      x,
      lines: BURN_LINES.map(([w, c]) => ({ line: { label: `burn ${w}`, color: color(c), width: w === '5m' ? 1 : 2 }, values: pts.map((p) => p.burnRates[w] ?? null) })),
      thresholds: status.alerting.tiers
        .filter((t: any) => !t.unreachable)
        .map((t: any) => ({ value: t.factor, label: `${t.severity} ${t.longWindow}/${t.shortWindow} ×${num(t.factor)}`, color: color(t.severity === 'page' ? 'var(--bad)' : 'var(--warn)') })),
      shade,
    };
    return { budget, sli, burn };
  }, [history, slo, status]);
  if (!charts) return error ? <ErrorNote error={error} /> : <p class="muted">Loading history…</p>;
  return (
    <div class="charts">
      <Chart title="Error budget remaining" {...charts.budget} format={(v) => pct(v, 0)} yMax={1} />
      <Chart title="SLI" {...charts.sli} format={(v) => pct(v, 2)} yMax={1} />
      <Chart title="Burn rate per window (log; dashed: tier factors)" {...charts.burn} format={(v) => (v < 1 ? num(v, 2) : num(v, 1))} log />
    </div>
  );
}
