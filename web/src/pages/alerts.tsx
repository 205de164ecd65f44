import { useState } from 'preact/hooks';
import { api } from '../api';
import { time } from '../format';
import { usePoll } from '../poll';
import type { Session } from '../session';
import { ErrorNote } from '../widgets';
import { AlertCard, type Alert } from './alert-card';

/** Alerts: what fires now, what fired lately, silences, and the notification outbox with retry of dead letters. */
export function Alerts({ session }: { session: Session }) {
  const { data, error, reload } = usePoll(
    async () => {
      const [active, resolved, silences, notifications, channels] = await Promise.all([
        api<Alert[]>('/api/v1/alerts?state=active&limit=500'),
        api<Alert[]>('/api/v1/alerts?state=resolved&limit=30'),
        api<any[]>('/api/v1/silences'),
        api<any[]>('/api/v1/notifications?limit=50'),
        api<any[]>('/api/v1/channels').catch(() => []),
      ]);
      return { active, resolved, silences, notifications, channels };
    },
    [],
    15000,
  );
  const [actionError, setActionError] = useState<unknown>(null);
  if (!data) return error ? <ErrorNote error={error} /> : <p class="muted">Loading…</p>;
  const channelName = new Map<string, string>(data.channels.map((c: any) => [c.id, `${c.name} (${c.type})`]));
  const alertName = new Map<string, string>([...data.active, ...data.resolved].map((a) => [a.id, `${a.alertname} ${a.labels.slo ?? a.labels.rule ?? ''}`]));
  return (
    <section>
      <h1>Alerts</h1>
      <ErrorNote error={error} />
      <ErrorNote error={actionError} />
      <h2>Active ({data.active.length})</h2>
      {data.active.length === 0 ? <p class="muted">Nothing pending or firing.</p> : data.active.map((a) => <AlertCard alert={a} session={session} onChange={reload} />)}

      <h2>Silences</h2>
      {data.silences.length === 0 ? (
        <p class="muted">No active silence. Silence a firing alert from its card.</p>
      ) : (
        <div class="table-wrap">
          <table class="compact">
            <thead>
              <tr>
                <th>Matchers</th>
                <th>Until</th>
                <th>By</th>
                <th>Comment</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.silences.map((s) => (
                <tr>
                  <td>
                    <code>{s.matchers.map((m: any) => `${m.name}${m.op}"${m.value}"`).join(', ')}</code>
                  </td>
                  <td>{time(s.endsAt)}</td>
                  <td>{s.createdBy}</td>
                  <td>{s.comment}</td>
                  <td>
                    {session.canWrite ? (
                      <button
                        class="small"
                        onClick={async () => {
                          try {
                            await api(`/api/v1/silences/${s.id}`, { method: 'DELETE' });
                            reload();
                          } catch (e) {
                            setActionError(e);
                          }
                        }}
                      >
                        Expire
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Notifications</h2>
      {data.notifications.length === 0 ? (
        <p class="muted">No notification sent yet. Channels are configured under /api/v1/channels.</p>
      ) : (
        <div class="table-wrap">
          <table class="compact notifications">
            <thead>
              <tr>
                <th>When</th>
                <th>Alert</th>
                <th>Channel</th>
                <th>Kind</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Last error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.notifications.map((n) => (
                <tr class={n.status}>
                  <td>{time(n.createdAt)}</td>
                  <td>{alertName.get(n.alertId) ?? <code class="small">{String(n.alertId).slice(0, 8)}</code>}</td>
                  <td>{channelName.get(n.channelId) ?? n.channelId}</td>
                  <td>{n.kind}</td>
                  <td>
                    <span class={`badge n-${n.status}`}>{n.status}</span>
                  </td>
                  <td class="r">{n.attempts}</td>
                  <td class="small">{n.lastError ?? ''}</td>
                  <td>
                    {session.canWrite && n.status === 'dead' ? (
                      <button
                        class="small"
                        onClick={async () => {
                          try {
                            await api(`/api/v1/notifications/${n.id}/retry`, { method: 'POST' });
                            reload();
                          } catch (e) {
                            setActionError(e);
                          }
                        }}
                      >
                        Retry
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Recently resolved</h2>
      {data.resolved.length === 0 ? <p class="muted">None.</p> : data.resolved.map((a) => <AlertCard alert={a} session={session} />)}
    </section>
  );
}
