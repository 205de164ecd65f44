import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest } from '../common/errors.js';
import { AlertingService } from './alerting.service.js';
import { isUuid } from '../common/patterns.js';

const STATES = ['active', 'all', 'pending', 'firing', 'resolved', 'cancelled'];

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
@RequireScope('read')
export class AlertsController {
  constructor(private readonly alerting: AlertingService) {}

  @Get()
  @ApiQuery({ name: 'state', required: false, enum: STATES, description: 'default active (pending and firing)' })
  @ApiQuery({ name: 'severity', required: false })
  @ApiQuery({ name: 'slo', required: false, description: 'SLO id' })
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query('state') state?: string, @Query('severity') severity?: string, @Query('slo') slo?: string, @Query('service') service?: string, @Query('limit') limit?: string) {
    if (state !== undefined && !STATES.includes(state)) throw badRequest(`state: expected one of ${STATES.join(', ')}`);
    if (slo !== undefined && !isUuid(slo)) throw badRequest('slo: expected an SLO id');
    return this.alerting.list({ state, severity, sloId: slo, service, limit: limit === undefined ? undefined : Number(limit) });
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.alerting.get(id);
  }
}
