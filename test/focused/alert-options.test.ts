import { AlertSeverity, CnpgSharedCluster } from '../../src';
import { chart } from '../util/synth';

// src/monitoring/alert-options.ts holds the option interfaces (no code) and AlertSeverity, whose
// values are the `severity` label Alertmanager routes on.

test.each([
  [AlertSeverity.CRITICAL, 'critical'],
  [AlertSeverity.WARNING, 'warning'],
  [AlertSeverity.INFO, 'info'],
])('severity %s is written as the label %j', (severity, label) => {
  const cluster = new CnpgSharedCluster(chart(), 'pg', { clusterName: 'pg' });
  const monitoring = cluster.addMonitoring({ alerts: { cluster: { fencingOn: { severity } } } });
  const rule = monitoring._alertRules().find((r) => r.alert === 'CNPGInstanceFenced')!;
  expect(rule.labels).toEqual({ severity: label });
});

test('the three severities, and no other', () => {
  expect(Object.values(AlertSeverity)).toEqual(['critical', 'warning', 'info']);
});
