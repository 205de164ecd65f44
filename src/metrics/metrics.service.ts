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
  private readonly textSources: (() => string | Buffer)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** addText registers exposition text rendered outside prom-client (large label sets, see SpanMetricsStore). */
  addText(source: () => string | Buffer): void {
    this.textSources.push(source);
  }

  /** render is the whole exposition as bytes: the text sources may be tens of megabytes, never joined into one string. */
  async render(): Promise<Buffer> {
    const parts: Buffer[] = [Buffer.from(await this.registry.metrics())];
    for (const source of this.textSources) {
      const part = source();
      parts.push(typeof part === 'string' ? Buffer.from(part) : part);
    }
    return Buffer.concat(parts);
  }
}
