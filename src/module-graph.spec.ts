import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The folders of src/ form a one-way graph: a lower layer never imports a
 * higher one. This reads every non-test source file, takes its value
 * imports (type-only imports vanish at compile time and are allowed either
 * way), and checks that the folder-to-folder graph has no cycle and that
 * the kernel imports nothing of the app.
 */
const SRC = path.resolve(process.cwd(), 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !/\.spec\.tsx?$/.test(f) ? [p] : [];
  });
}

function folderOf(file: string): string | undefined {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 && !parts[0].startsWith('..') ? parts[0] : undefined;
}

function edges(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sources(SRC)) {
    const from = folderOf(file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+['"](\.[^'"]+)['"]/gm)) {
      if (m[2]) continue; // import type / export type
      const names = m[3].replace(/^\{|\}$/g, '');
      // `import { type A, type B }` is type-only too.
      if (m[3].startsWith('{') && names.split(',').every((n) => !n.trim() || n.trim().startsWith('type '))) continue;
      const to = folderOf(path.resolve(path.dirname(file), m[4]));
      if (!to || to === from) continue;
      const out = graph.get(from) ?? new Map<string, string[]>();
      out.set(to, [...(out.get(to) ?? []), path.relative(SRC, file)]);
      graph.set(from, out);
    }
  }
  return graph;
}

/** cycles returns one cycle per strongly connected set of folders, as a readable path. */
function cycles(graph: Map<string, Map<string, string[]>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (v: string) => {
    state.set(v, 'open');
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (state.get(w) === 'open') {
        const loop = [...stack.slice(stack.indexOf(w)), w];
        found.push(loop.map((n, i) => (i === 0 ? n : `-> ${n} (${graph.get(loop[i - 1])?.get(n)?.[0]})`)).join(' '));
      } else if (!state.has(w)) visit(w);
    }
    stack.pop();
    state.set(v, 'done');
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return found;
}

describe('module graph of src/', () => {
  const graph = edges();

  it('has no import cycle between top folders', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the kernel free of the app: it imports no other folder', () => {
    expect([...(graph.get('kernel')?.keys() ?? [])]).toEqual([]);
  });

  it('keeps the evaluation core free of I/O and frameworks', () => {
    for (const file of sources(path.join(SRC, 'evaluation'))) {
      expect({ file, imports: readFileSync(file, 'utf8').match(/from ['"](@nestjs\/[^'"]+|typeorm|pg)['"]/g) ?? [] }).toEqual({ file, imports: [] });
    }
  });
});
