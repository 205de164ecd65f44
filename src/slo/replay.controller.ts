import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { ReplayService } from './replay.service.js';

/** ReplayController: try a definition or a policy over stored history before it pages anyone. */
@ApiTags('slos')
@ApiBearerAuth()
@Controller('api/v1/slos')
export class ReplayController {
  constructor(private readonly replays: ReplayService) {}

  @Post('preview')
  @HttpCode(200)
  @RequireScope('read')
  @ApiOperation({ summary: 'Preview an unsaved SLO over the RED history: SLI, budget, history series and the incidents its policy would have produced' })
  @ApiBody({ schema: { example: { name: 'checkout-availability', service: 'checkout', indicator: { type: 'availability' }, objective: 99.9, window: '30d', from: '2026-11-01T00:00:00Z' } } })
  preview(@Body() body: unknown) {
    return this.replays.preview(body, Date.now());
  }

  @Post(':id/replay')
  @HttpCode(200)
  @RequireScope('read')
  @ApiOperation({ summary: 'Replay a saved SLO over its exact stored counts with other alerting settings, compared with its saved policy' })
  @ApiBody({ schema: { example: { alerting: { minEvents: 500, minWindowCoverage: 0.5 }, from: '2026-11-01T00:00:00Z' } } })
  replay(@Param('id') id: string, @Body() body: unknown) {
    return this.replays.replay(id, body, Date.now());
  }
}
