import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV } from './env-vars.js';

/** readmeRow renders one variable the way README's configuration table shows it. */
function readmeRow(v: { name: string; doc: string; default: string | undefined }): string {
  const def = v.default === undefined ? '—' : v.default === '' ? 'empty' : `\`${v.default}\``;
  return `| \`${v.name}\` | ${def} | ${v.doc} |`;
}

describe("README's configuration table", () => {
  const readme = readFileSync(path.resolve(process.cwd(), 'README.md'), 'utf8');
  const table = readme.split('\n').filter((l) => /^\| `[A-Z_]+` \|/.test(l));

  it('has exactly the rows the schema renders, in the schema order', () => {
    expect(table).toEqual(Object.values(ENV).map(readmeRow));
  });
});
