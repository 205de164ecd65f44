import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';

export interface Line {
  label: string;
  color: string;
  dash?: number[];
  width?: number;
  fill?: string;
}

export interface ChartProps {
  title: string;
  /** Times in ms, then one array per line (null = gap). */
  x: number[];
  lines: { line: Line; values: (number | null)[] }[];
  /** Horizontal thresholds drawn across the chart (e.g. a tier's burn-rate factor). */
  thresholds?: { value: number; label: string; color: string }[];
  /** Time spans shaded behind the lines (e.g. approximate, backfilled history). */
  shade?: { fromMs: number; toMs: number; label: string }[];
  format?: (v: number) => string;
  yMin?: number;
  yMax?: number;
  /** Log scale: burn rates span 0.01 to 1000, and the tier factors must stay readable beside a spike. */
  log?: boolean;
  height?: number;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Chart draws one uPlot time series chart and keeps it sized to its box. */
export function Chart(p: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const fg = cssVar('--muted');
    const grid = cssVar('--grid');
    const thresholds = p.thresholds ?? [];
    const floor = 0.01;
    const data: uPlot.AlignedData = [
      p.x.map((t) => t / 1000),
      ...p.lines.map((l) => (p.log ? l.values.map((v) => (v === null ? null : Math.max(floor, v))) : l.values)),
      ...thresholds.map((t) => p.x.map(() => t.value)),
    ] as uPlot.AlignedData;
    const fmt = p.format ?? ((v: number) => String(v));
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: p.height ?? 220,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: p.log
          ? { distr: 3, log: 10, range: (_u, _min, max) => [floor, Math.max(10, (max ?? 1) * 1.5, ...thresholds.map((t) => t.value * 2))] }
          : {
          range: (_u, min, max) => [
            p.yMin ?? Math.min(min ?? 0, ...thresholds.map((t) => t.value)),
            p.yMax ?? Math.max((max ?? 1) * 1.05, ...thresholds.map((t) => t.value * 1.1)),
          ],
          },
      },
      axes: [axis, { ...axis, size: 72, values: (_u, vals) => vals.map((v) => (v === null ? '' : fmt(v))) }],
      series: [
        {},
        ...p.lines.map((l) => ({
          label: l.line.label,
          stroke: l.line.color,
          width: l.line.width ?? 2,
          dash: l.line.dash,
          fill: l.line.fill,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : fmt(v)),
        })),
        ...thresholds.map((t) => ({
          label: t.label,
          stroke: t.color,
          width: 1,
          dash: [6, 4],
          points: { show: false },
          value: () => fmt(t.value),
        })),
      ],
      hooks: {
        drawClear: [
          (u: uPlot) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = cssVar('--shade');
            for (const s of p.shade ?? []) {
              const x0 = Math.max(u.bbox.left, u.valToPos(s.fromMs / 1000, 'x', true));
              const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(s.toMs / 1000, 'x', true));
              if (x1 > x0) ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: p.height ?? 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [p.x, p.lines, p.thresholds, p.shade]);
  return (
    <figure class="chart">
      <figcaption>
        {p.title}
        {p.shade?.length ? <span class="shade-key">▇ {p.shade[0].label}</span> : null}
      </figcaption>
      <div ref={box} class="chart-box" />
    </figure>
  );
}
