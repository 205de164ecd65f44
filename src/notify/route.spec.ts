import { route } from './notify-planner.service.js';
import type { Channel } from './channel.types.js';

const channel = (name: string, over: Partial<Channel> = {}): Channel => ({
  id: `id-${name}`,
  name,
  config: { type: 'email', to: ['x@example.com'] },
  severities: [],
  isDefault: false,
  createdAt: '',
  updatedAt: '',
  ...over,
});

describe('route', () => {
  const pager = channel('pager', { severities: ['page'] });
  const tickets = channel('tickets', { severities: ['ticket'], isDefault: true });
  const everything = channel('everything');
  const fallback = channel('fallback', { isDefault: true });
  const all = [pager, tickets, everything, fallback];

  it('sends to the channels an SLO names, by id or by name, filtered by their severities', () => {
    expect(route(all, ['id-pager', 'tickets', 'everything'], 'page').map((c) => c.name)).toEqual(['pager', 'everything']);
    expect(route(all, ['id-pager', 'tickets', 'everything'], 'ticket').map((c) => c.name)).toEqual(['tickets', 'everything']);
  });

  it('falls back to the default channels when none is named', () => {
    expect(route(all, [], 'page').map((c) => c.name)).toEqual(['fallback']);
    expect(route(all, [], 'ticket').map((c) => c.name)).toEqual(['tickets', 'fallback']);
  });

  it('sends nowhere when a named channel no longer exists', () => {
    expect(route(all, ['id-gone'], 'page')).toEqual([]);
  });
});
