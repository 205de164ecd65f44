import { Injectable } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * MetricsService owns this app's prom-client registry. A registry per app
 * (not the global default) lets two apps share a process in tests without
 * clashing metric names.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
