import { Controller, Get, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireScope } from '../common/auth.guard.js';
import { unsupportedMediaType } from '../common/errors.js';
import { readBody } from '../common/body-reader.js';
import { OpenSloService } from './openslo.service.js';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);
const MAX_YAML_BYTES = 1024 * 1024;

/** OpenSloController: OpenSLO v1 YAML in and out. */
@ApiTags('slos')
@ApiBearerAuth()
@Controller('api/v1')
export class OpenSloController {
  constructor(private readonly openslo: OpenSloService) {}

  @Post('openslo')
  @HttpCode(201)
  @RequireScope('write')
  @ApiConsumes('application/yaml')
  @ApiOperation({ summary: 'Import OpenSLO v1 documents (SLO, SLI, AlertPolicy, AlertCondition, AlertNotificationTarget); all SLOs or none' })
  async import(@Req() req: Request) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!YAML_TYPES.has(type)) {
      req.resume();
      throw unsupportedMediaType('Content-Type must be application/yaml');
    }
    const body = await readBody(req, MAX_YAML_BYTES);
    return this.openslo.import(body.toString('utf8'), Date.now());
  }

  @Get('openslo')
  @RequireScope('read')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  @ApiOperation({ summary: 'Export every SLO as OpenSLO v1 YAML' })
  exportAll() {
    return this.openslo.exportAll();
  }

  @Get('slos/:id/openslo')
  @RequireScope('read')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  @ApiOperation({ summary: 'Export one SLO as OpenSLO v1 YAML' })
  exportOne(@Param('id') id: string) {
    return this.openslo.exportOne(id);
  }
}
