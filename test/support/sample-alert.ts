import type { AlertSnapshot, Notification } from '../../src/notify/message/notification.js';

/**
 * sampleSloAlert is a realistic firing page alert, shaped exactly as
 * the alert stepper writes an SLO's page (slo-alerts.ts); the channel and message specs build their
 * variants from it.
 */
export function sampleSloAlert(overrides: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    fingerprint: '6f1c2a9e0b7d4e13',
    alertname: 'SloErrorBudgetBurn',
    severity: 'page',
    state: 'firing',
    service: 'checkout',
    labels: { alertname: 'SloErrorBudgetBurn', severity: 'page', slo: 'checkout-availability', service: 'checkout', team: 'payments' },
    annotations: {
      summary: 'checkout-availability: error budget burning',
      runbook_url: 'https://runbooks.example.com/checkout',
      dashboard: 'http://burnwatch.example.com/api/v1/slos/slo-1/status',
    },
    value: null,
    details: {
      slo: { id: 'slo-1', name: 'checkout-availability', service: 'checkout', objective: 99.9, window: '30d' },
      severity: 'page',
      crossed: [
        { longWindow: '1h', shortWindow: '5m', factor: 14.4, longBurnRate: 14.93, shortBurnRate: 15.2 },
        { longWindow: '6h', shortWindow: '30m', factor: 6, longBurnRate: 7.1, shortBurnRate: 14.9 },
      ],
      burnRates: { '1h': 14.93, '5m': 15.2, '30m': 14.9, '6h': 7.1, '2h': 12, '1d': 1.9, '3d': 0.7 },
      sli: 0.99853,
      budgetRemaining: 0.6234,
      timeToExhaustionSeconds: 7830,
      topOperations: [
        { operation: 'POST /api/checkout', spanKind: 'server', errors: 412, calls: 2750, exampleTraceIds: ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c'] },
        { operation: 'PaymentService/Charge', spanKind: 'client', errors: 57, calls: 2700, exampleTraceIds: ['a3ce929d0e0e47364bf92f3577b34da6'] },
      ],
      runbookUrl: 'https://runbooks.example.com/checkout',
      link: 'http://burnwatch.example.com/api/v1/slos/slo-1/status',
    },
    activeAt: '2024-05-01T10:02:00.000Z',
    firedAt: '2024-05-01T10:02:00.000Z',
    resolvedAt: null,
    ...overrides,
  };
}

/** testNotification is what a channel test sends: the sample alert, marked as a test. */
export function testNotification(publicUrl: string, sentAt: string): Notification {
  return { kind: 'test', alert: sampleSloAlert(), publicUrl, sentAt };
}
