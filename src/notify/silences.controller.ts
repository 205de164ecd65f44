import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest, notFound } from '../common/errors.js';
import { validateMatchers, type Matcher } from './silence-matcher.js';
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
      example: { matchers: [{ name: 'slo', op: '=', value: 'checkout-availability' }], endsAt: '2026-11-22T18:00:00Z', createdBy: 'alice', comment: 'deploying a fix' },
    },
  })
  async create(@Body() body: Record<string, unknown>) {
    const errors = validateMatchers(body?.matchers);
    const now = Date.now();
    const startsAt = body?.startsAt === undefined ? now : Date.parse(String(body.startsAt));
    const endsAt = Date.parse(String(body?.endsAt));
    if (!Number.isFinite(startsAt)) errors.push('startsAt: expected an RFC 3339 timestamp');
    if (!Number.isFinite(endsAt)) errors.push('endsAt: expected an RFC 3339 timestamp');
    else if (endsAt <= Math.max(startsAt, now)) errors.push('endsAt: must be in the future and after startsAt');
    if (typeof body?.createdBy !== 'string' || body.createdBy.length === 0 || body.createdBy.length > 256) errors.push('createdBy: is required');
    if (body?.comment !== undefined && (typeof body.comment !== 'string' || body.comment.length > 4096)) errors.push('comment: must be a string');
    if (errors.length) throw badRequest(errors.join('; '));
    return this.silences.insert({
      matchers: body.matchers as Matcher[],
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      createdBy: body.createdBy as string,
      comment: (body.comment as string) ?? '',
    });
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
