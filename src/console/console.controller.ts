import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireScope, scopesOf } from '../common/auth.guard.js';
import { APP_CONFIG, AppConfig } from '../config/config.js';

/** ConsoleController tells the web console what it needs before the first API call. */
@ApiTags('console')
@Controller('api/v1/console')
export class ConsoleController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Public on purpose: the console must know whether to ask for a token before it has one. Holds no secret. */
  @Get('config')
  @RequireScope('public')
  @ApiOperation({ summary: 'Whether tokens are required, and the trace link template' })
  settings() {
    return {
      authRequired: this.config.tokens.length > 0,
      traceUrlTemplate: this.config.traceUrlTemplate ?? null,
      evalIntervalSeconds: this.config.evalIntervalSeconds,
    };
  }

  @Get('session')
  @RequireScope('read')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The presented token's scopes (all of them when no token is configured)" })
  session(@Req() req: Request) {
    return { scopes: scopesOf(req) };
  }
}
