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

/**
 * Every phase of a Cluster, written from the operator's api/v1/cluster_types.go (v1.30.1; v1.27.1 has
 * the same but PhaseDefinitionInvalid), independently of the library's list: failed are the phases
 * the operator does not leave by itself.
 */
const FAILED_PHASES = {
  PhaseUnknownPlugin: 'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
  PhaseFailurePlugin: 'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
  PhaseImageCatalogError: 'Cluster has incomplete or invalid image catalog',
  PhaseUnrecoverable: 'Cluster is unrecoverable and needs manual intervention',
  PhaseArchitectureBinaryMissing: 'Cluster cannot execute instance online upgrade due to missing architecture binary',
  PhaseCannotCreateClusterObjects: 'Unable to create required cluster objects',
  PhaseDefinitionInvalid: 'Invalid cluster definition',
};
const OTHER_PHASES = {
  PhaseSwitchover: 'Switchover in progress',
  PhaseFailOver: 'Failing over',
  PhaseFirstPrimary: 'Setting up primary',
  PhaseCreatingReplica: 'Creating a new replica',
  PhaseUpgrade: 'Upgrading cluster',
  PhaseMajorUpgrade: 'Upgrading Postgres major version',
  PhaseUpgradeDelayed: 'Cluster upgrade delayed',
  PhaseWaitingForUser: 'Waiting for user action',
  PhaseInplacePrimaryRestart: 'Primary instance is being restarted in-place',
  PhaseInplaceDeletePrimaryRestart: 'Primary instance is being restarted without a switchover',
  PhaseHealthy: 'Cluster in healthy state',
  PhaseWaitingForInstancesToBeActive: 'Waiting for the instances to become active',
  PhaseOnlineUpgrading: 'Online upgrade in progress',
  PhaseApplyingConfiguration: 'Applying configuration',
  PhaseReplicaClusterPromotion: 'Promoting to primary cluster',
};

describe('CnpgHealthChecks: the phases of CloudNativePG\'s cluster_types.go', () => {
  const c = cel();
  const failed = (phase: string) => c.evaluate(CnpgHealthChecks.cluster().failed!, { spec: {}, status: { phase } });

  test.each(Object.entries(FAILED_PHASES))('%s (%s) is failed', (_name, phase) => {
    expect(failed(phase)).toBe(true);
  });

  test.each(Object.entries(OTHER_PHASES))('%s (%s) is not failed', (_name, phase) => {
    expect(failed(phase)).toBe(false);
  });

  test('CLUSTER_FAILED_PHASES is exactly the failed phases', () => {
    expect([...CnpgHealthChecks.CLUSTER_FAILED_PHASES].sort()).toStrictEqual(Object.values(FAILED_PHASES).sort());
  });
});

describe('CnpgHealthChecks: the kinds', () => {
  test('all(): the Cluster, the Pooler and the ScheduledBackup of postgresql.cnpg.io/v1, each with a current and a failed expression', () => {
    const all = CnpgHealthChecks.all();
    expect(all.map((e) => [e.apiVersion, e.kind])).toStrictEqual([
      ['postgresql.cnpg.io/v1', 'Cluster'], ['postgresql.cnpg.io/v1', 'Pooler'], ['postgresql.cnpg.io/v1', 'ScheduledBackup'],
    ]);
    expect(all).toStrictEqual([CnpgHealthChecks.cluster(), CnpgHealthChecks.pooler(), CnpgHealthChecks.scheduledBackup()]);
    expect(all.every((e) => e.current.length > 0 && e.failed!.length > 0 && e.inProgress === undefined)).toBe(true);
  });
});
