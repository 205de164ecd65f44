import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest } from '../common/errors.js';
import { SloService } from './slo.service.js';
import { SLO_SCHEMA } from './slo.schema.js';
import { SloSummaryService } from './slo-summary.service.js';

const EXAMPLE = {
  name: 'checkout-availability',
  service: 'checkout',
  description: '99.9% of checkout requests succeed',
  indicator: { type: 'availability' },
  selector: { operations: ['POST /cart', 'GET /cart/*'], spanKinds: ['server'] },
  objective: 99.9,
  window: '30d',
  labels: { team: 'payments' },
  runbookUrl: 'https://runbooks.example.com/checkout',
};

/** SloController: REST for SLO definitions, status and history. Thin: the service decides. */
@ApiTags('slos')
@ApiBearerAuth()
@Controller('api/v1/slos')
export class SloController {
  constructor(
    private readonly slos: SloService,
    private readonly summaries: SloSummaryService,
  ) {}

  @Post()
  @RequireScope('write')
  @ApiOperation({ summary: 'Create an SLO (backfilled from stored RED data, marked approximate)' })
  @ApiBody({ schema: { ...SLO_SCHEMA, example: EXAMPLE } })
  create(@Body() body: unknown) {
    return this.slos.create(body, Date.now());
  }

  @Get()
  @RequireScope('read')
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'name', required: false })
  @ApiQuery({ name: 'label', required: false, description: 'key=value' })
  list(@Query('service') service?: string, @Query('name') name?: string, @Query('label') label?: string) {
    let pair: [string, string] | undefined;
    if (label !== undefined) {
      const i = label.indexOf('=');
      if (i <= 0) throw badRequest('label: expected key=value');
      pair = [label.slice(0, i), label.slice(i + 1)];
    }
    return this.slos.list({ service, name, label: pair });
  }

  // Declared before :id so Express matches it first.
  @Get('summary')
  @RequireScope('read')
  @ApiOperation({ summary: 'Every SLO with its SLI, budget left, 1h/6h burn rates — one request for a list view' })
  summary() {
    return this.summaries.summaries(Date.now());
  }

  @Get(':id')
  @RequireScope('read')
  async get(@Param('id') id: string) {
    return this.slos.view(await this.slos.get(id));
  }

  @Put(':id')
  @RequireScope('write')
  @ApiBody({ schema: { ...SLO_SCHEMA, example: EXAMPLE } })
  replace(@Param('id') id: string, @Body() body: unknown) {
    return this.slos.replace(id, body, Date.now());
  }

  @Patch(':id')
  @RequireScope('write')
  @ApiBody({ schema: { example: { objective: 99.5 } } })
  patch(@Param('id') id: string, @Body() body: unknown) {
    return this.slos.patch(id, body, Date.now());
  }

  @Delete(':id')
  @RequireScope('write')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.slos.delete(id);
  }

  @Get(':id/status')
  @RequireScope('read')
  @ApiOperation({ summary: 'SLI, burn rates per window, error budget and time to exhaustion' })
  status(@Param('id') id: string) {
    return this.slos.status(id, Date.now());
  }

  @Get(':id/history')
  @RequireScope('read')
  @ApiOperation({ summary: 'SLI, budget remaining and burn rates as series, replayed by the same evaluator' })
  @ApiQuery({ name: 'from', required: false, description: 'RFC 3339; default to - 1d' })
  @ApiQuery({ name: 'to', required: false, description: 'RFC 3339; default now' })
  @ApiQuery({ name: 'step', required: false, description: 'e.g. 5m, 1h' })
  history(@Param('id') id: string, @Query('from') from?: string, @Query('to') to?: string, @Query('step') step?: string) {
    return this.slos.history(id, { from, to, step }, Date.now());
  }
}
