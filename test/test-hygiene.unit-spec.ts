import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_SLEEP_MS, scan } from './support/test-hygiene.js';

const testDir = path.dirname(fileURLToPath(import.meta.url));

/** Polling helpers sleep between checks by design; the scanner's own tests hold examples. */
const EXEMPT = new Set(['support/wait.ts', 'support/test-hygiene.ts', 'test-hygiene.unit-spec.ts']);

/**
 * Known offenders in files another change owns, each with the line's text:
 * remove an entry when its file is fixed (the test fails if one is stale).
 */
const PENDING: { file: string; text: string }[] = [];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('test hygiene: no long fixed sleeps, no wall-clock timing assertions', () => {
  it('finds none under test/ (besides the known ones listed here)', () => {
    const found = testFiles(testDir)
      .map((f) => path.relative(testDir, f))
      .filter((f) => !EXEMPT.has(f))
      .flatMap((f) => scan(f, readFileSync(path.join(testDir, f), 'utf8')));
    const unexpected = found.filter((f) => !PENDING.some((p) => p.file === f.file && p.text === f.text));
    expect(unexpected.map((f) => `test/${f.file}:${f.line} ${f.kind}: ${f.text}`)).toEqual([]);
    const stale = PENDING.filter((p) => !found.some((f) => p.file === f.file && p.text === f.text));
    expect(stale).toEqual([]);
  });

  it(`flags a sleep longer than ${MAX_SLEEP_MS} ms, in either spelling, and not a short one or a polling loop`, () => {
    const src = ['await sleep(4200);', 'await new Promise((r) => setTimeout(r, 1_500));', 'await sleep(500);', "await until('x', () => ok);"].join('\n');
    expect(scan('x.ts', src).map((f) => [f.line, f.kind])).toEqual([
      [1, 'sleep'],
      [2, 'sleep'],
    ]);
  });

  it('flags an assertion on elapsed wall-clock time, directly or through a name, and not a timestamp built from now', () => {
    const src = [
      'const start = Date.now();',
      'expect(Date.now() - start).toBeLessThan(5000);',
      'const elapsed = Math.ceil((Date.now() - start) / 1000) + 1;',
      'expect(ticks).toBeLessThanOrEqual(elapsed);',
      'const spans = make({ startMs: Date.now() - 2000 });',
      'expect(row.at).toBeGreaterThanOrEqual(retryAt);',
      'const t = performance.now() - t0; expect(t).toBeLessThan(10);',
    ].join('\n');
    expect(scan('x.ts', src).map((f) => [f.line, f.kind])).toEqual([
      [2, 'wall-clock'],
      [4, 'wall-clock'],
      [7, 'wall-clock'],
    ]);
  });
});
