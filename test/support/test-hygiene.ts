/**
 * Finds, in test sources, the two habits that make a suite slow or flaky:
 * a fixed sleep longer than MAX_SLEEP_MS (wait for the outcome with until()
 * instead, or drive time explicitly), and an assertion on elapsed wall-clock
 * time (state timing against stored schedules or an explicit clock).
 */
export const MAX_SLEEP_MS = 1000;

export interface Finding {
  file: string;
  line: number;
  kind: 'sleep' | 'wall-clock';
  text: string;
}

/** sleep(2000), setTimeout(r, 2000) as a promise delay, numeric separators allowed. */
const SLEEPS = [/\bsleep\(\s*([\d_]+)\s*\)/g, /\bsetTimeout\(\s*[A-Za-z_$][\w$]*\s*,\s*([\d_]+)\s*\)/g];
/** Date.now() - x, performance.now() - x: an elapsed wall-clock time. */
const ELAPSED = /\b(?:Date|performance)\.now\(\)\s*-(?!\s*\d)/;
/** const elapsed = ... Date.now() - start ... : names that hold elapsed time. */
const ELAPSED_NAME = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*[^;]*\b(?:Date|performance)\.now\(\)\s*-(?!\s*\d)/;

/** scan returns what one file does wrong, by line (1-based). */
export function scan(file: string, source: string): Finding[] {
  const out: Finding[] = [];
  const lines = source.split('\n');
  const elapsedNames = new Set<string>();
  for (const line of lines) {
    const m = ELAPSED_NAME.exec(line);
    if (m) elapsedNames.add(m[1]);
  }
  lines.forEach((text, i) => {
    for (const re of SLEEPS) {
      for (const m of text.matchAll(re)) {
        if (Number(m[1].replace(/_/g, '')) > MAX_SLEEP_MS) out.push({ file, line: i + 1, kind: 'sleep', text: text.trim() });
      }
    }
    if (!/\bexpect\(/.test(text)) return;
    const usesElapsed = ELAPSED.test(text) || [...elapsedNames].some((n) => new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(text));
    if (usesElapsed) out.push({ file, line: i + 1, kind: 'wall-clock', text: text.trim() });
  });
  return out;
}
