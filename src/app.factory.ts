import 'reflect-metadata';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/config.js';
import { setupOpenApi } from './common/openapi.js';
import { consoleAssets } from './console/console-assets.js';

/** Routes that read their own (possibly gzip, possibly protobuf) body with the ingest size cap. */
const RAW_BODY_ROUTES = new Set(['/v1/traces', '/api/v1/spans', '/api/v2/spans']);

/**
 * createApp builds the Nest application on an open DataSource. main.ts and
 * the e2e tests both use it, so tests exercise the app exactly as it runs.
 */
export async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  logger: LoggerService | false,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dataSource), {
    bodyParser: false,
    logger,
  });
  app.disable('x-powered-by');
  const json = express.json({ limit: '1mb' });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
    RAW_BODY_ROUTES.has(req.path) ? next() : json(req, res, next),
  );
  setupOpenApi(app);
  app.use(consoleAssets());
  await app.init();
  return app;
}
