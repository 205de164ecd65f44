import type { Request } from 'express';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { AppError, badRequest, payloadTooLarge, unsupportedMediaType } from './errors.js';

/**
 * readBody collects a request body, decompressing gzip or deflate as it
 * streams, and stops as soon as the decompressed size passes `maxBytes`:
 * a gzip bomb costs at most `maxBytes` of memory, never its expanded size.
 */
export async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw payloadTooLarge(`request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  let source: Readable = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(createGunzip());
  else if (encoding === 'deflate') source = req.pipe(createInflate());
  else if (encoding !== 'identity') {
    req.resume();
    throw unsupportedMediaType(`Content-Encoding ${encoding} is not supported (use gzip or none)`);
  }

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: AppError | undefined) => {
      if (done) return;
      done = true;
      if (err) {
        if (source !== req) source.destroy();
        // Drain what the client still sends so it can read our error.
        req.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        finish(payloadTooLarge(`request body exceeds the limit of ${maxBytes} bytes after decompression`));
        return;
      }
      chunks.push(chunk);
    });
    source.on('end', () => finish(undefined));
    source.on('error', (e: NodeJS.ErrnoException) => {
      finish(source === req ? badRequest('request body could not be read') : badRequest(`invalid ${encoding} body: ${e.code ?? e.message}`));
    });
    req.on('aborted', () => finish(badRequest('request aborted')));
  });
}

/** parseJson reads a request body as JSON; anything else is a 400. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}

/**
 * readJsonBody is the start of every JSON-only ingest route: 415 with
 * `wrongType` for another content type (the unread body is drained, so the
 * connection stays usable), then the capped read, then the parse.
 */
export async function readJsonBody(req: Request, maxBytes: number, wrongType: string): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw unsupportedMediaType(wrongType);
  }
  return parseJson(await readBody(req, maxBytes));
}
