import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { RequireScope } from '../common/auth.guard.js';

/** HealthController: /healthz says the process runs, /readyz that it can reach its database. */
@Controller()
@RequireScope('public')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('healthz')
  @HttpCode(200)
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res({ passthrough: true }) res: Response) {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
      return { status: 'ready' };
    } catch {
      res.status(503);
      return { status: 'unavailable', message: 'database unreachable' };
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
