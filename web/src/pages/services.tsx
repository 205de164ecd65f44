import { useMemo } from 'preact/hooks';
import { api, enc } from '../api';
import { Chart } from '../chart';
import { ms, num, pct } from '../format';
import { usePoll } from '../poll';
import { setQuery, useLocation } from '../router';
import type { Session } from '../session';
import { ErrorNote, TraceId } from '../widgets';

const WINDOWS = ['15m', '1h', '6h', '1d', '7d'];
const color = (v: string) => getComputedStyle(document.documentElement).getPropertyValue(v).trim();

function SeriesCharts({ service, operation, window }: { service: string; operation?: string; window: string }) {
  const { data, error } = usePoll(
    () => api(`/api/v1/services/${enc(service)}/series?window=${window}${operation ? `&operation=${enc(operation)}` : ''}`),
    [service, operation, window],
    30000,
  );
  const charts = useMemo(() => {
    if (!data) return null;
    const x = data.points.map((p: any) => Date.parse(p.at));
    return {
      rate: { x, lines: [{ line: { label: 'req/s', color: color('--c1'), fill: color('--c1-fill') }, values: data.points.map((p: any) => p.ratePerSecond) }] },
      errors: { x, lines: [{ line: { label: 'error ratio', color: color('--bad') }, values: data.points.map((p: any) => p.errorRatio) }] },
      latency: {
        x,
        lines: (['p50', 'p95', 'p99'] as const).map((q, i) => ({ line: { label: q, color: color(['--c1', '--c2', '--c4'][i]) }, values: data.points.map((p: any) => p.latencyMs[q]) })),
      },
    };
  }, [data]);
  if (!charts) return error ? <ErrorNote error={error} /> : <p class="muted">Loading charts…</p>;
  if (charts.rate.x.length === 0) return <p class="muted">No spans in this window.</p>;
  return (
    <div class="charts">
      <Chart title="Rate" {...charts.rate} format={(v) => num(v, 1)} yMin={0} height={180} />
      <Chart title="Error ratio" {...charts.errors} format={(v) => pct(v, 1)} yMin={0} height={180} />
      <Chart title="Latency" {...charts.latency} format={(v) => ms(v)} yMin={0} height={180} />
    </div>
  );
}

function RedTable({ rows, name, onPick, picked, session }: { rows: any[]; name: (r: any) => any; onPick?: (r: any) => void; picked?: string; session: Session }) {
  return (
    <div class="table-wrap">
      <table class="compact">
        <thead>
          <tr>
            <th>Name</th>
            <th class="r">Rate/s</th>
            <th class="r">Error ratio</th>
            <th class="r">p50</th>
            <th class="r">p95</th>
            <th class="r">p99</th>
            <th>Failed traces</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr class={picked !== undefined && picked === (r.operation ?? r.service) ? 'picked' : ''}>
              <td>{onPick ? <button class="link" onClick={() => onPick(r)}>{name(r)}</button> : name(r)}</td>
              <td class="r">{num(r.ratePerSecond)}</td>
              <td class={`r ${(r.errorRatio ?? 0) > 0.01 ? 'hot' : ''}`}>{pct(r.errorRatio, 2)}</td>
              <td class="r">{ms(r.latencyMs.p50)}</td>
              <td class="r">{ms(r.latencyMs.p95)}</td>
              <td class="r">{ms(r.latencyMs.p99)}</td>
              <td class="traces">
                {r.exampleTraceIds.errors.slice(0, 2).map((t: string) => (
                  <TraceId id={t} session={session} />
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Services: RED per service and per operation over a chosen window, with charts over time. */
export function Services({ session }: { session: Session }) {
  const { path, query } = useLocation();
  const service = path.startsWith('/services/') ? decodeURIComponent(path.slice('/services/'.length)) : '';
  const window = query.get('window') ?? '1h';
  const operation = query.get('operation') ?? undefined;
  const list = usePoll(() => api(`/api/v1/services?window=${window}`), [window], 30000);
  const ops = usePoll(async () => (service ? api(`/api/v1/services/${enc(service)}/operations?window=${window}`) : null), [service, window], 30000);
  const picker = (
    <div class="seg" role="group" aria-label="Window">
      {WINDOWS.map((w) => (
        <button class={w === window ? 'on' : ''} onClick={() => setQuery({ window: w })}>
          {w}
        </button>
      ))}
    </div>
  );
  if (!service) {
    return (
      <section>
        <div class="page-head">
          <h1>Services</h1>
          {picker}
        </div>
        <ErrorNote error={list.error} />
        {list.data && list.data.services.length === 0 ? (
          <p class="muted">No spans received in this window. Point an OpenTelemetry exporter at {location.origin}/v1/traces.</p>
        ) : null}
        {list.data ? <RedTable rows={list.data.services} session={session} name={(r) => <a href={`/services/${enc(r.service)}?window=${window}`}>{r.service}</a>} /> : null}
      </section>
    );
  }
  return (
    <section>
      <div class="page-head">
        <h1>
          <a href={`/services?window=${window}`}>Services</a> / {service}
          {operation ? ` / ${operation}` : ''}
        </h1>
        {picker}
      </div>
      <SeriesCharts service={service} operation={operation} window={window} />
      <h2>Operations</h2>
      <ErrorNote error={ops.error} />
      {ops.data ? (
        <RedTable
          rows={ops.data.operations}
          session={session}
          picked={operation}
          name={(r) => (
            <>
              <code>{r.operation}</code> <span class="muted small">{r.spanKind}</span>
            </>
          )}
          onPick={(r) => setQuery({ operation: r.operation === operation ? undefined : r.operation })}
        />
      ) : null}
    </section>
  );
}
