import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { navigate } from '../router';
import type { Session } from '../session';
import { ErrorNote } from '../widgets';

interface Fields {
  name: string;
  service: string;
  description: string;
  type: 'availability' | 'latency';
  thresholdMs: string;
  operations: string;
  objective: string;
  window: string;
  labels: string;
  runbookUrl: string;
  channels: string;
}

const EMPTY: Fields = { name: '', service: '', description: '', type: 'availability', thresholdMs: '300', operations: '', objective: '99.9', window: '30d', labels: '', runbookUrl: '', channels: '' };
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** toNumber keeps what the user typed when it is not a number, so the API's own message names the problem. */
const toNumber = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/**
 * SloForm creates or edits an SLO. It does not validate on its own: the API is
 * the one judge, and its message is shown as is. Editing starts from the stored
 * definition, so fields the form does not show (policies, attributes) survive.
 */
export function SloForm({ session, id }: { session: Session; id?: string }) {
  const [f, setF] = useState<Fields>(EMPTY);
  const [base, setBase] = useState<any>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [services, setServices] = useState<string[]>([]);
  useEffect(() => {
    api('/api/v1/services?window=7d')
      .then((r) => setServices(r.services.map((s: any) => s.service)))
      .catch(() => undefined);
    if (!id) return;
    api(`/api/v1/slos/${enc(id)}`)
      .then((s) => {
        const { id: _i, version, createdAt, updatedAt, approximateUntil, warnings, ...spec } = s;
        setBase(spec);
        setF({
          name: s.name,
          service: s.service,
          description: s.description ?? '',
          type: s.indicator.type,
          thresholdMs: String(s.indicator.thresholdMs ?? 300),
          operations: (s.selector?.operations ?? []).join(', '),
          objective: String(s.objective),
          window: s.window,
          labels: Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', '),
          runbookUrl: s.runbookUrl ?? '',
          channels: (s.channels ?? []).join(', '),
        });
      })
      .catch(setError);
  }, [id]);
  if (!session.canWrite) return <p class="muted">Creating and editing SLOs needs a write token.</p>;

  const set = (k: keyof Fields) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const indicator =
      f.type === 'latency'
        ? { ...(base?.indicator?.type === 'latency' ? base.indicator : {}), type: 'latency', thresholdMs: toNumber(f.thresholdMs) }
        : { ...(base?.indicator?.type === 'availability' ? base.indicator : {}), type: 'availability' };
    const labels: Record<string, string> = {};
    for (const p of list(f.labels)) {
      const i = p.indexOf('=');
      labels[i < 0 ? p : p.slice(0, i).trim()] = i < 0 ? '' : p.slice(i + 1).trim();
    }
    const body = {
      ...(base ?? {}),
      name: f.name,
      service: f.service,
      description: f.description,
      indicator,
      selector: { ...(base?.selector ?? {}), operations: list(f.operations) },
      objective: toNumber(f.objective),
      window: f.window,
      labels,
      runbookUrl: f.runbookUrl || null,
      channels: list(f.channels),
    };
    try {
      const saved = await api(id ? `/api/v1/slos/${enc(id)}` : '/api/v1/slos', { method: id ? 'PUT' : 'POST', body });
      navigate(`/slos/${saved.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="narrow">
      <h1>{id ? `Edit ${f.name}` : 'New SLO'}</h1>
      <form class="card form" onSubmit={submit}>
        <label>
          Name <input name="name" value={f.name} onInput={set('name')} placeholder="checkout-availability" />
        </label>
        <label>
          Service <input name="service" value={f.service} onInput={set('service')} list="services" placeholder="service.name of the spans" />
          <datalist id="services">
            {services.map((s) => (
              <option value={s} />
            ))}
          </datalist>
        </label>
        <label>
          Description <input name="description" value={f.description} onInput={set('description')} />
        </label>
        <div class="row">
          <label>
            Indicator
            <select name="type" value={f.type} onChange={set('type')}>
              <option value="availability">availability (not an error)</option>
              <option value="latency">latency (at most a threshold)</option>
            </select>
          </label>
          {f.type === 'latency' ? (
            <label>
              Threshold (ms) <input name="thresholdMs" value={f.thresholdMs} onInput={set('thresholdMs')} inputMode="decimal" />
            </label>
          ) : null}
        </div>
        <label>
          Operations <input name="operations" value={f.operations} onInput={set('operations')} placeholder="all; or e.g. POST /cart, GET /cart/*" />
        </label>
        <div class="row">
          <label>
            Objective (%) <input name="objective" value={f.objective} onInput={set('objective')} inputMode="decimal" />
          </label>
          <label>
            Window <input name="window" value={f.window} onInput={set('window')} placeholder="30d, month:Europe/Berlin, week:UTC" />
          </label>
        </div>
        <label>
          Labels <input name="labels" value={f.labels} onInput={set('labels')} placeholder="team=payments, tier=1" />
        </label>
        <label>
          Runbook URL <input name="runbookUrl" value={f.runbookUrl} onInput={set('runbookUrl')} />
        </label>
        <label>
          Channels <input name="channels" value={f.channels} onInput={set('channels')} placeholder="names or ids; empty = default channels" />
        </label>
        <ErrorNote error={error} />
        <div class="row">
          <button type="submit" disabled={busy}>
            {id ? 'Save' : 'Create SLO'}
          </button>
          <a href={id ? `/slos/${id}` : '/'}>Cancel</a>
        </div>
      </form>
    </section>
  );
}
