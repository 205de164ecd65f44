/**
 * The evaluation module's public surface: pure burn-rate math, windows,
 * policies, the SLO evaluator and the alert state machine. No Nest, no I/O,
 * no clock — callers pass `now`.
 */
export * from './alert-state.js';
export * from './burn-rate.js';
export * from './minute-counts.js';
export * from './minute-ranges.js';
export * from './policy.js';
export * from './slo-alerts.js';
export * from './slo-evaluator.js';
export * from './windows.js';
export * from './symptom-rule.js';
export * from './symptom-rule.evaluator.js';
export * from './symptom-rule.red-counts.js';
