import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT as ROOT } from './util/conformance';
import { CnpgHealthChecks } from '../src/flux/health-checks';

/** cel-js, bundled for jest by test/util/conformance.ts (imported above) into .cache/cel-js-<version>.cjs. */
function cel(): { evaluate: (expr: string, ctx: Record<string, unknown>) => unknown } {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@marcbachmann', 'cel-js', 'package.json'), 'utf-8')).version;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(ROOT, '.cache', `cel-js-${version}.cjs`));
}

describe('CnpgHealthChecks: the CEL expressions on the statuses CloudNativePG writes (cel-js)', () => {
  const c = cel();
  const status = (expr: { current: string; failed?: string }, obj: any) => {
    if (expr.failed && c.evaluate(expr.failed, obj)) return 'failed';
    return c.evaluate(expr.current, obj) ? 'current' : 'in progress';
  };
  const ready = (s: string) => ({ type: 'Ready', status: s, reason: s === 'True' ? 'ClusterIsReady' : 'ClusterIsNotReady' });

  test.each([
    ['a new Cluster without conditions', { spec: {}, status: { phase: 'Setting up primary' } }, 'in progress'],
    ['a Cluster not ready', { spec: {}, status: { phase: 'Creating a new replica', conditions: [ready('False')] } }, 'in progress'],
    ['a ready Cluster', { spec: {}, status: { phase: 'Cluster in healthy state', conditions: [{ type: 'ContinuousArchiving', status: 'True' }, ready('True')] } }, 'current'],
    ['a Cluster needing an unknown plugin', { spec: {}, status: { phase: 'Cluster cannot proceed to reconciliation due to an unknown plugin being required', conditions: [ready('False')] } }, 'failed'],
  ])('Cluster: %s', (_n, obj, want) => {
    expect(status(CnpgHealthChecks.cluster(), obj)).toBe(want);
  });

  test.each([
    ['1.27: replicas not yet created', { spec: { instances: 3 }, status: { instances: 1 } }, 'in progress'],
    ['1.27: the Deployment has its replicas', { spec: { instances: 3 }, status: { instances: 3 } }, 'current'],
    ['1.30: active', { spec: { instances: 3 }, status: { instances: 3, phase: 'active' } }, 'current'],
    ['1.30: inactive', { spec: { instances: 3 }, status: { instances: 3, phase: 'inactive' } }, 'in progress'],
    ['1.30: failed', { spec: { instances: 3 }, status: { phase: 'failed', phaseReason: 'x' } }, 'failed'],
  ])('Pooler: %s', (_n, obj, want) => {
    expect(status(CnpgHealthChecks.pooler(), obj)).toBe(want);
  });

  test.each([
    ['not yet scheduled', { spec: { schedule: '0 0 2 * * *' }, status: {} }, 'in progress'],
    ['scheduled', { spec: { schedule: '0 0 2 * * *' }, status: { nextScheduleTime: '2026-01-01T02:00:00Z' } }, 'current'],
    ['suspended', { spec: { suspend: true }, status: {} }, 'current'],
    ['refused (1.30)', { spec: {}, status: { error: 'invalid schedule' } }, 'failed'],
  ])('ScheduledBackup: %s', (_n, obj, want) => {
    expect(status(CnpgHealthChecks.scheduledBackup(), obj)).toBe(want);
  });

  test('the phases counted as failed are CloudNativePG\'s own (api/v1/cluster_types.go, as vendored in the CRD\'s printer column source: none is healthy)', () => {
    expect(CnpgHealthChecks.CLUSTER_FAILED_PHASES).not.toContain('Cluster in healthy state');
    expect(new Set(CnpgHealthChecks.CLUSTER_FAILED_PHASES).size).toBe(CnpgHealthChecks.CLUSTER_FAILED_PHASES.length);
  });
});
