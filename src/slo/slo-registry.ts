import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SloMatcher } from './slo-matcher.js';
import { SloRepository } from './slo.repository.js';
import type { Slo } from './slo.types.js';

/** How often a replica checks whether another one changed the SLO set. */
const POLL_MS = 2000;

/**
 * SloRegistry holds the SLO set the ingest path counts against. It reloads
 * at once after a write in this replica, and polls a cheap fingerprint so
 * other replicas pick up changes within a couple of seconds. A failed poll
 * keeps the last good set: a database blip must not stop SLO counting.
 */
@Injectable()
export class SloRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SloRegistry');
  private current = new SloMatcher([]);
  private slos: Slo[] = [];
  private fingerprint = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((m: SloMatcher) => void)[] = [];

  constructor(private readonly repository: SloRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get matcher(): SloMatcher {
    return this.current;
  }

  get all(): readonly Slo[] {
    return this.slos;
  }

  /** onChange lets the ingest path learn which attribute keys the decoders must keep. */
  onChange(listener: (m: SloMatcher) => void): void {
    this.listeners.push(listener);
    listener(this.current);
  }

  async reload(): Promise<void> {
    const fingerprint = await this.repository.fingerprint();
    const slos = await this.repository.list();
    this.slos = slos;
    this.current = new SloMatcher(slos);
    this.fingerprint = fingerprint;
    for (const l of this.listeners) l(this.current);
  }

  private async poll(): Promise<void> {
    try {
      if ((await this.repository.fingerprint()) !== this.fingerprint) await this.reload();
    } catch (e) {
      this.logger.warn(`SLO reload failed, keeping ${this.slos.length} SLOs: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
