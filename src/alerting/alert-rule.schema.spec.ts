import { ALERT_RULE_EXAMPLE, checkAlertRule } from './alert-rule.schema.js';

const rule = ALERT_RULE_EXAMPLE;

describe('symptom rule bodies are strict', () => {
  it('accepts a valid rule, and one fetched with its read-only fields', () => {
    expect(checkAlertRule(rule)).toEqual([]);
    expect(checkAlertRule({ id: 'x', ...rule, version: 1, createdAt: 'a', updatedAt: 'b' })).toEqual([]);
  });

  it('names misplaced and misspelt fields by path', () => {
    expect(checkAlertRule({ ...rule, condition: { ...rule.condition, severity: 'page' } })).toEqual([
      'condition.severity: unknown field; "severity" belongs at the top level',
    ]);
    expect(checkAlertRule({ ...rule, keepFiringFr: '5m' })).toEqual(['keepFiringFr: unknown field; did you mean "keepFiringFor"?']);
    expect(checkAlertRule({ ...rule, condition: { ...rule.condition, percentile: 99 } })).toEqual([
      'condition.percentile: unknown field; allowed only with another "type"',
    ]);
  });
});
