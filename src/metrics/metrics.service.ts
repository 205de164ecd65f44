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
  private readonly textSources: (() => string)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** addText registers exposition text rendered outside prom-client (large label sets, see SpanMetricsStore). */
  addText(source: () => string): void {
    this.textSources.push(source);
  }

  async render(): Promise<string> {
    return (await this.registry.metrics()) + this.textSources.map((s) => s()).join('');
  }
}
