import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest, conflict, notFound } from '../common/errors.js';
import { ChannelRepository } from './channel.repository.js';
import { Channel, redact, validateChannel } from './channel.types.js';
import { CHANNEL_SCHEMA } from './channel.schema.js';
import { Dispatcher } from './dispatcher.service.js';
import { isUuid } from '../common/patterns.js';
import { CHANNEL_USERS, type ChannelUsers } from '../common/channel-directory.js';

const EXAMPLE = { name: 'oncall-slack', type: 'slack', config: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' }, severities: ['page'], isDefault: true };

function parse(body: unknown) {
  const v = validateChannel(body);
  if (v.errors.length) throw badRequest(v.errors.join('; '));
  return { name: v.name, config: v.config, severities: v.severities, isDefault: v.isDefault };
}

/** ChannelsController: where notifications go. Secrets go in, never out (see redact). */
@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/v1/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly dispatcher: Dispatcher,
    @Inject(CHANNEL_USERS) private readonly users: ChannelUsers,
  ) {}

  private async find(id: string): Promise<Channel> {
    const c = isUuid(id) ? await this.channels.get(id) : undefined;
    if (!c) throw notFound(`channel ${id} not found`);
    return c;
  }

  @Post()
  @RequireScope('write')
  @ApiBody({ schema: { ...CHANNEL_SCHEMA, example: EXAMPLE } })
  async create(@Body() body: unknown) {
    const c = parse(body);
    const created = await this.channels.insert(c);
    if (!created) throw conflict(`a channel named ${c.name} already exists`);
    return redact(created);
  }

  @Get()
  @RequireScope('read')
  async list() {
    return (await this.channels.list()).map(redact);
  }

  @Get(':id')
  @RequireScope('read')
  async get(@Param('id') id: string) {
    return redact(await this.find(id));
  }

  @Put(':id')
  @RequireScope('write')
  @ApiBody({ schema: { ...CHANNEL_SCHEMA, example: EXAMPLE } })
  async replace(@Param('id') id: string, @Body() body: unknown) {
    const before = await this.find(id);
    const next = parse(body);
    if (next.name !== before.name) {
      // Definitions that name it by its old name would lose it.
      const users = await this.users.usersOf([before.name]);
      if (users.length) throw conflict(`channel ${before.name} is named by ${users.join(', ')}; rename it there too, or refer to it by id`);
    }
    const updated = await this.channels.update(id, next);
    if (updated === 'conflict') throw conflict('another channel has that name');
    if (!updated) throw notFound(`channel ${id} not found`);
    return redact(updated);
  }

  @Delete(':id')
  @RequireScope('write')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    const channel = await this.find(id);
    const users = await this.users.usersOf([channel.id, channel.name]);
    if (users.length) throw conflict(`channel ${channel.name} is still named by ${users.join(', ')}; remove it from them first`);
    await this.channels.delete(id);
  }

  @Post(':id/test')
  @RequireScope('write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a test notification now and report the outcome' })
  async test(@Param('id') id: string) {
    const result = await this.dispatcher.sendTest(await this.find(id), Date.now());
    return result.ok ? { ok: true } : { ok: false, permanent: result.permanent, error: result.error };
  }
}
