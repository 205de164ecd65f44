import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** setupOpenApi serves the REST API's OpenAPI document and UI at /docs. */
export function setupOpenApi(app: INestApplication): void {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      // 3.1: the request bodies are our JSON Schemas (const, numeric exclusive bounds), which 3.0 cannot say.
      .setOpenAPIVersion('3.1.0')
      .setTitle('Burnwatch')
      .setDescription('Trace-driven SLOs, error budgets and burn-rate alerts')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/json' });
}
