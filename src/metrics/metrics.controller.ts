import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequireScope } from '../common/auth.guard.js';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @RequireScope('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.render();
    // res.end, not res.send: Express would hash a multi-megabyte body for an ETag nobody uses.
    res.type(this.metrics.registry.contentType).end(body);
  }
}
