import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { useTestApp } from './support/test-app.js';

const run = promisify(execFile);

/**
 * README's examples are what a new user pastes first. Each `sh` block that
 * calls the engine with curl runs here, in order, as written — only the
 * address is pointed at the test app and curl is told to fail on an HTTP
 * error — so an example that stops working on some later day (a fixed date
 * falling out of retention, a channel that was never created) fails the suite.
 */
function engineExamples(): string[] {
  const readme = readFileSync(path.resolve(process.cwd(), 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.filter((b) => /\bcurl\b/.test(b) && b.includes('localhost:4318'));
}

describe('README examples work when pasted', () => {
  const t = useTestApp({}, { listen: true });

  it('runs every curl example against the engine without an HTTP error', async () => {
    const examples = engineExamples();
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const address = new URL(t.baseUrl).host;
    // Examples may write files (an OpenSLO export): give them a directory of their own.
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'burnwatch-readme-'));
    for (const example of examples) {
      const script = example.replaceAll('localhost:4318', address).replace(/\bcurl /g, 'curl -sS --fail-with-body ');
      try {
        await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 30_000, cwd });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        throw new Error(`README example failed:\n${example}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      }
    }
    rmSync(cwd, { recursive: true, force: true });
    // The span summary was stored (committed before its 200) and the SLO names a channel that exists.
    const services = await request(t.server).get('/api/v1/services?window=1h').expect(200);
    expect(JSON.stringify(services.body)).toContain('checkout');
    const slos = await request(t.server).get('/api/v1/slos').expect(200);
    expect(JSON.stringify(slos.body)).toContain('checkout-availability');
    const channels = await request(t.server).get('/api/v1/channels').expect(200);
    expect(JSON.stringify(channels.body)).toContain('oncall-slack');
  });
});
