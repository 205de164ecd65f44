import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { RedService } from './red.service.js';
import { RedSeriesService } from './red-series.service.js';
import { parseQueryRange } from './query-range.js';

@ApiTags('services')
@ApiBearerAuth()
@Controller('api/v1/services')
@RequireScope('read')
export class RedController {
  constructor(
    private readonly red: RedService,
    private readonly series: RedSeriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Rate, error ratio and latency percentiles per service' })
  @ApiQuery({ name: 'window', required: false, example: '1h', description: '5m..30d' })
  list(@Query('window') window?: string) {
    return this.red.services(Date.now(), parseQueryRange(window));
  }

  @Get(':service/operations')
  @ApiOperation({ summary: 'Rate, error ratio and latency percentiles per operation of a service' })
  @ApiQuery({ name: 'window', required: false, example: '1h', description: '5m..30d' })
  operations(@Param('service') service: string, @Query('window') window?: string) {
    return this.red.operations(Date.now(), service, parseQueryRange(window));
  }

  @Get(':service/series')
  @ApiOperation({ summary: 'Rate, error ratio and p50/p95/p99 over time for a service, or one operation of it' })
  @ApiQuery({ name: 'window', required: false, example: '6h', description: '5m..30d; about 120 points' })
  @ApiQuery({ name: 'operation', required: false, description: 'span name' })
  timeSeries(@Param('service') service: string, @Query('window') window?: string, @Query('operation') operation?: string) {
    return this.series.series(Date.now(), service, operation === '' ? undefined : operation, parseQueryRange(window));
  }
}
