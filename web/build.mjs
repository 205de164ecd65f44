// Builds the web console into dist/web: one minified ES bundle (Preact + uPlot
// + our code), one stylesheet and index.html. No CDN, no web fonts: the
// engine serves these files itself. Prints the gzipped size of what a browser
// downloads and fails past the budget.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'web');
const JS_BUDGET_GZIP = 250 * 1024;

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  entryNames: 'app',
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(out, 'index.html'), readFileSync(join(here, 'index.html')));

const sizes = ['app.js', 'app.css'].map((f) => {
  const raw = readFileSync(join(out, f));
  return { f, bytes: statSync(join(out, f)).size, gzip: gzipSync(raw, { level: 9 }).length };
});
for (const s of sizes) console.log(`console: dist/web/${s.f} ${(s.bytes / 1024).toFixed(1)} KB, ${(s.gzip / 1024).toFixed(1)} KB gzipped`);
const js = sizes.find((s) => s.f === 'app.js');
if (js.gzip > JS_BUDGET_GZIP) {
  console.error(`console: app.js is ${(js.gzip / 1024).toFixed(1)} KB gzipped, over the ${JS_BUDGET_GZIP / 1024} KB budget`);
  process.exit(1);
}
