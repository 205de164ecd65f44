import { ExpositionBuffer, formatSample, labelName, labelValue } from './exposition.js';

describe('ExpositionBuffer', () => {
  it('writes prefixes, numbers and text lines as the UTF-8 text they stand for, growing past its size hint', () => {
    const out = new ExpositionBuffer(8);
    const expected: string[] = ['# HELP m Mètres, "quoted".'];
    out.text(expected[0]);
    const prefixes = ['m{service_name="käse"} ', 'm{service_name="日本"} ', `m{v="${labelValue('a\\b\n"c')}"} `];
    const values = [0, 1, 12345678901, 0.1 + 0.2, 1 / 3, -2.5];
    for (const p of prefixes) {
      for (const v of values) {
        out.line(Buffer.from(p), v);
        expected.push(p + formatSample(v));
      }
    }
    expect(out.bytes().toString('utf8')).toBe(expected.join('\n') + '\n');
  });

  it('formats integers exactly and fractions to nine decimals', () => {
    expect(formatSample(9007199254740991)).toBe('9007199254740991');
    expect(formatSample(0.1 + 0.2)).toBe('0.3');
    expect(formatSample(2 / 3)).toBe('0.666666667');
  });

  it('maps attribute keys to label names', () => {
    expect(labelName('http.route')).toBe('http_route');
    expect(labelName('9lives')).toBe('_9lives');
  });
});
