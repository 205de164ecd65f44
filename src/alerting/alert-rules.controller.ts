import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest, conflict, notFound } from '../common/errors.js';
import { symptomRuleToJson } from '../evaluation/symptom-rule.js';
import { validateSymptomRule } from './alert-rule.validation.js';
import { AlertRule, AlertRuleRepository } from './alert-rule.repository.js';
import { isUuid } from '../common/patterns.js';
import { CHANNEL_DIRECTORY, type ChannelDirectory, missingChannelsMessage } from '../common/channel-directory.js';
import { ALERT_RULE_EXAMPLE, ALERT_RULE_SCHEMA } from './alert-rule.schema.js';


const view = (r: AlertRule) => ({ id: r.id, ...symptomRuleToJson(r.spec), version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt });

function validate(body: unknown) {
  const { spec, errors } = validateSymptomRule(body);
  if (!spec) throw badRequest(errors.join('; '));
  return spec;
}

/** AlertRulesController: CRUD for symptom rules (error ratio, latency percentile, traffic vs baseline). */
@ApiTags('alert-rules')
@ApiBearerAuth()
@Controller('api/v1/alert-rules')
export class AlertRulesController {
  constructor(
    private readonly rules: AlertRuleRepository,
    @Inject(CHANNEL_DIRECTORY) private readonly channels: ChannelDirectory,
  ) {}

  /** validated: a well-formed rule whose channels all exist. */
  private async validated(body: unknown) {
    const spec = validate(body);
    const missing = await this.channels.missing(spec.channels);
    if (missing.length) throw badRequest(missingChannelsMessage(missing));
    return spec;
  }

  private async find(id: string): Promise<AlertRule> {
    const r = isUuid(id) ? await this.rules.get(id) : undefined;
    if (!r) throw notFound(`alert rule ${id} not found`);
    return r;
  }

  @Post()
  @RequireScope('write')
  @ApiBody({ schema: { ...ALERT_RULE_SCHEMA, example: ALERT_RULE_EXAMPLE } })
  async create(@Body() body: unknown) {
    const spec = await this.validated(body);
    const created = await this.rules.insert(spec);
    if (!created) throw conflict(`an alert rule named ${spec.name} already exists`);
    return view(created);
  }

  @Get()
  @RequireScope('read')
  async list(@Query('service') service?: string) {
    return (await this.rules.list(undefined, service)).map(view);
  }

  @Get(':id')
  @RequireScope('read')
  async get(@Param('id') id: string) {
    return view(await this.find(id));
  }

  @Put(':id')
  @RequireScope('write')
  @ApiBody({ schema: { ...ALERT_RULE_SCHEMA, example: ALERT_RULE_EXAMPLE } })
  async replace(@Param('id') id: string, @Body() body: unknown) {
    await this.find(id);
    const updated = await this.rules.update(id, await this.validated(body));
    if (updated === 'conflict') throw conflict('another alert rule has that name');
    if (!updated) throw notFound(`alert rule ${id} not found`);
    return view(updated);
  }

  @Delete(':id')
  @RequireScope('write')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.find(id);
    await this.rules.delete(id);
  }
}
