import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

/** Paths owned by the API and ingest: the console's fallback never answers these. */
const RESERVED = /^\/(v1|api|metrics|docs|healthz|readyz)(\/|$)/;

/** findRoot walks up from this file to the package root, so the same code works from src/ (tests) and dist/src/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** consoleDir is where `npm run build` writes the console (dist/web). */
export const consoleDir = (): string => join(findRoot(), 'dist', 'web');

/**
 * consoleAssets serves the web console: its built files, and index.html for
 * any other GET that asks for a page (the console routes in the browser), so a
 * reload of /slos/<id> works. API, ingest, metrics, docs and health paths pass
 * through untouched, whatever they answer.
 */
export function consoleAssets(dir = consoleDir()): express.RequestHandler {
  const indexPath = join(dir, 'index.html');
  const files = express.static(dir, { index: false, maxAge: 0, fallthrough: true });
  let index: string | undefined;
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || RESERVED.test(req.path)) return next();
    files(req, res, () => {
      // Only page requests fall back to the app; a missing script stays a 404.
      if (/\.[a-z0-9]+$/i.test(req.path)) return next();
      if (index === undefined) index = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : '';
      res.setHeader('Cache-Control', 'no-cache');
      if (!index) {
        res.status(503).type('text/plain').send('The console is not built: run `npm run build`.\n');
        return;
      }
      res.type('html').send(index);
    });
  };
}
