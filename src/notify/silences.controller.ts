import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest, notFound } from '../common/errors.js';
import { SILENCE_SCHEMA } from './silence.schema.js';
import { validateSilence } from './silence.validation.js';
import { SilenceRepository } from './silence.repository.js';
import { isUuid } from '../common/patterns.js';

/** SilencesController: mute notifications of matching alerts for a while (alerts still change state). */
@ApiTags('silences')
@ApiBearerAuth()
@Controller('api/v1/silences')
export class SilencesController {
  constructor(private readonly silences: SilenceRepository) {}

  @Post()
  @RequireScope('write')
  @ApiBody({
    schema: {
      ...SILENCE_SCHEMA,
      example: { matchers: [{ name: 'slo', op: '=', value: 'checkout-availability' }], endsAt: '2026-11-22T18:00:00Z', createdBy: 'alice', comment: 'deploying a fix' },
    },
  })
  async create(@Body() body: unknown) {
    const { silence, errors } = validateSilence(body, Date.now());
    if (errors.length) throw badRequest(errors.join('; '));
    return this.silences.insert(silence);
  }

  @Get()
  @RequireScope('read')
  @ApiQuery({ name: 'expired', required: false, description: 'true to include ended silences' })
  list(@Query('expired') expired?: string) {
    return this.silences.list(expired === 'true');
  }

  @Get(':id')
  @RequireScope('read')
  async get(@Param('id') id: string) {
    const s = isUuid(id) ? await this.silences.get(id) : undefined;
    if (!s) throw notFound(`silence ${id} not found`);
    return s;
  }

  @Delete(':id')
  @RequireScope('write')
  @HttpCode(204)
  async expire(@Param('id') id: string): Promise<void> {
    if (!isUuid(id) || !(await this.silences.expire(id, Date.now()))) throw notFound(`active silence ${id} not found`);
  }
}
