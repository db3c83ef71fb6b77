import { deprecatedFields } from '../../src/checks/deprecated-fields';

const cluster = (spec: any, extra: any = {}) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec, ...extra });
const pooler = (spec: any) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'p' }, spec });
const crd = (kind: string, release: string, since: string) =>
  `is deprecated: the ${kind} CRD of CloudNativePG ${release} says so (since ${since}), and a later release drops it`;
const POD_MONITOR_FIX = 'remove it and write a PodMonitor yourself (the library\'s CnpgMonitoring and PgBouncerPooler do)';
const SYNC_FIX = 'remove minSyncReplicas/maxSyncReplicas and write spec.postgresql.synchronous { method: any, number: 1, dataDurability: required or preferred } '
  + '(SynchronousReplication.any())';
const sync = (which: string, release: string) => `(${which}) is the legacy synchronous replication, which CloudNativePG ${release} replaces with spec.postgresql.synchronous: `
  + 'with maxSyncReplicas the primary stops accepting writes when too few standbys answer, without saying so in the manifest';

describe('deprecatedFields: what the CRD of the release says', () => {
  test('Cluster spec.monitoring.enablePodMonitor: deprecated from 1.27.1, not in 1.27.0', () => {
    const obj = cluster({ monitoring: { enablePodMonitor: true } });
    expect(deprecatedFields(obj, '1.27.0')).toEqual([]);
    expect(deprecatedFields(obj, '1.27.1')).toEqual([
      { path: 'spec.monitoring.enablePodMonitor', value: true, problem: crd('Cluster', '1.27.1', '1.27.1'), fix: POD_MONITOR_FIX },
    ]);
    expect(deprecatedFields(obj, '1.30.1')[0].problem).toBe(crd('Cluster', '1.30.1', '1.27.1'));
  });

  test('each field with its own fix; false and empty values count, null and unset do not', () => {
    expect(deprecatedFields(cluster({
      monitoring: { enablePodMonitor: false, podMonitorRelabelings: [], podMonitorMetricRelabelings: null },
      bootstrap: { initdb: { options: ['-k'] } },
    }), '1.28.0')).toEqual([
      { path: 'spec.monitoring.enablePodMonitor', value: false, problem: crd('Cluster', '1.28.0', '1.27.1'), fix: POD_MONITOR_FIX },
      { path: 'spec.monitoring.podMonitorRelabelings', value: [], problem: crd('Cluster', '1.28.0', '1.27.1'), fix: 'move the relabelings into your own PodMonitor' },
      {
        path: 'spec.bootstrap.initdb.options',
        value: ['-k'],
        problem: crd('Cluster', '1.28.0', '1.27.0'),
        fix: 'use the explicit initdb fields (encoding, localeCollate, dataChecksums, walSegmentSize, ...)',
      },
    ]);
    expect(deprecatedFields(cluster({ monitoring: { podMonitorMetricRelabelings: [{}] } }), '1.28.0')[0].fix).toBe('move the relabelings into your own PodMonitor');
  });

  test('a deprecated field inside a list item: its path with the index, the generic fix', () => {
    const obj = cluster({
      managed: {
        services: {
          additional: [
            { selectorType: 'rw', serviceTemplate: { metadata: { name: 'a' }, spec: {} } },
            { selectorType: 'rw', serviceTemplate: { metadata: { name: 'b' }, spec: { loadBalancerIP: '10.0.0.1' } } },
          ],
        },
      },
    });
    expect(deprecatedFields(obj, '1.29.0')).toEqual([{
      path: 'spec.managed.services.additional[1].serviceTemplate.spec.loadBalancerIP',
      value: '10.0.0.1',
      problem: crd('Cluster', '1.29.0', '1.27.0'),
      fix: 'remove spec.managed.services.additional[1].serviceTemplate.spec.loadBalancerIP (its CRD description names the replacement)',
    }]);
  });

  test('Pooler spec.monitoring: the whole section up to 1.29.1 (reported once), its enablePodMonitor from 1.30.0', () => {
    const obj = pooler({ cluster: { name: 'pg' }, monitoring: { enablePodMonitor: true, podMonitorRelabelings: [] } });
    expect(deprecatedFields(obj, '1.27.0')).toEqual([]);
    expect(deprecatedFields(obj, '1.29.1')).toEqual([{
      path: 'spec.monitoring',
      value: { enablePodMonitor: true, podMonitorRelabelings: [] },
      problem: crd('Pooler', '1.29.1', '1.27.1'),
      fix: 'remove spec.monitoring.enablePodMonitor and its relabelings and write a PodMonitor yourself (the library\'s CnpgMonitoring and PgBouncerPooler do)',
    }]);
    expect(deprecatedFields(obj, '1.30.0')).toEqual([
      { path: 'spec.monitoring.enablePodMonitor', value: true, problem: crd('Pooler', '1.30.0', '1.30.0'), fix: POD_MONITOR_FIX },
      { path: 'spec.monitoring.podMonitorRelabelings', value: [], problem: crd('Pooler', '1.30.0', '1.30.0'), fix: 'move the relabelings into your own PodMonitor' },
    ]);
  });

  test('Pooler authQuerySecret from 1.28.0; a Pooler template\'s volumes (a list in a pod template)', () => {
    const obj = pooler({ pgbouncer: { authQuerySecret: { name: 's' } } });
    expect(deprecatedFields(obj, '1.27.1')).toEqual([]);
    expect(deprecatedFields(obj, '1.28.0')).toEqual([{
      path: 'spec.pgbouncer.authQuerySecret',
      value: { name: 's' },
      problem: crd('Pooler', '1.28.0', '1.28.0'),
      fix: 'authenticate the auth query with a client certificate (spec.pgbouncer.serverTLSSecret), or keep the operator\'s automated integration',
    }]);
    expect(deprecatedFields(pooler({ template: { spec: { containers: [], volumes: [{ name: 'v', emptyDir: {} }, { name: 'g', gitRepo: { repository: 'r' } }] } } }), '1.30.0'))
      .toEqual([{
        path: 'spec.template.spec.volumes[1].gitRepo',
        value: { repository: 'r' },
        problem: crd('Pooler', '1.30.0', '1.27.0'),
        fix: 'remove spec.template.spec.volumes[1].gitRepo (its CRD description names the replacement)',
      }]);
  });

  test('a release the group does not know is judged by its newest', () => {
    expect(deprecatedFields(pooler({ monitoring: { enablePodMonitor: true } }), '9.9.9')).toEqual([
      { path: 'spec.monitoring.enablePodMonitor', value: true, problem: crd('Pooler', '1.30.1', '1.30.0'), fix: POD_MONITOR_FIX },
    ]);
  });

  test('a field set to undefined is unset', () => {
    expect(deprecatedFields(cluster({ monitoring: { enablePodMonitor: undefined } }), '1.30.0')).toEqual([]);
  });

  test('status and metadata are not judged; unknown fields, maps and values of the wrong shape are walked without error', () => {
    expect(deprecatedFields(cluster({ instances: 3, unknown: { enablePodMonitor: true }, postgresql: { parameters: { a: 'b' } }, monitoring: 'x', bootstrap: [1] },
      { status: { lastFailedBackup: 'x', firstRecoverabilityPoint: 'y' } }), '1.30.0')).toEqual([]);
  });

  test('kinds without a vendored schema, or no object: none', () => {
    expect(deprecatedFields({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } }, '1.30.0')).toEqual([]);
    expect(deprecatedFields({ apiVersion: 'example.com/v1', kind: 'Cluster', spec: { monitoring: { enablePodMonitor: true } } }, '1.30.0')).toEqual([]);
    expect(deprecatedFields(undefined, '1.30.0')).toEqual([]);
  });
});

describe('deprecatedFields: CloudNativePG\'s documented deprecations', () => {
  test('the in-tree barmanObjectStore of a Cluster', () => {
    expect(deprecatedFields(cluster({ backup: { barmanObjectStore: { destinationPath: 's3://b' } } }), '1.27.0')).toEqual([{
      path: 'spec.backup.barmanObjectStore',
      value: '{...}',
      problem: 'is the in-tree Barman Cloud support, deprecated since CloudNativePG 1.26 in favour of the Barman Cloud plugin (and removed in a later release)',
      fix: 'move the configuration to an ObjectStore (barmancloud.cnpg.io/v1) named in spec.plugins with isWALArchiver: true, '
        + 'and set the ScheduledBackups\' method to plugin (ClusterBackup does this; docs/guides/upgrade-barman-plugin.md)',
    }]);
    expect(deprecatedFields(cluster({ backup: { retentionPolicy: '30d' } }), '1.27.0')).toEqual([]);
  });

  test('a ScheduledBackup with method barmanObjectStore; plugin and volumeSnapshot are not deprecated', () => {
    const sb = (method: string) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', spec: { schedule: '0 0 0 * * *', cluster: { name: 'pg' }, method } });
    expect(deprecatedFields(sb('barmanObjectStore'), '1.30.0')).toEqual([{
      path: 'spec.method',
      value: 'barmanObjectStore',
      problem: 'backs up through the in-tree Barman Cloud support, deprecated since CloudNativePG 1.26',
      fix: 'set method: plugin with pluginConfiguration.name: barman-cloud.cloudnative-pg.io once the Cluster archives through the plugin',
    }]);
    expect(deprecatedFields(sb('plugin'), '1.30.0')).toEqual([]);
    expect(deprecatedFields(sb('volumeSnapshot'), '1.30.0')).toEqual([]);
    // A Cluster's own spec.method is no ScheduledBackup's, and a ScheduledBackup has no barmanObjectStore section.
    expect(deprecatedFields(cluster({ method: 'barmanObjectStore' }), '1.30.0')).toEqual([]);
    expect(deprecatedFields({ ...sb('plugin'), spec: { backup: { barmanObjectStore: {} }, minSyncReplicas: 1 } }, '1.30.0')).toEqual([]);
  });

  test('minSyncReplicas and maxSyncReplicas: the first one given is the path, both are named', () => {
    expect(deprecatedFields(cluster({ minSyncReplicas: 1, maxSyncReplicas: 2 }), '1.27.0')).toEqual([
      { path: 'spec.minSyncReplicas', value: 1, problem: sync('minSyncReplicas, maxSyncReplicas', '1.27.0'), fix: SYNC_FIX },
    ]);
    expect(deprecatedFields(cluster({ maxSyncReplicas: 2 }), '1.30.0')).toEqual([
      { path: 'spec.maxSyncReplicas', value: 2, problem: sync('maxSyncReplicas', '1.30.0'), fix: SYNC_FIX },
    ]);
    expect(deprecatedFields(cluster({ minSyncReplicas: 0 }), '9.9.9')).toEqual([
      { path: 'spec.minSyncReplicas', value: 0, problem: sync('minSyncReplicas', '1.30.1'), fix: SYNC_FIX },
    ]);
    expect(deprecatedFields(cluster({ postgresql: { synchronous: { method: 'any', number: 1 } } }), '1.30.0')).toEqual([]);
  });

  test('CRD and documented deprecations together, in that order', () => {
    expect(deprecatedFields(cluster({ maxSyncReplicas: 1, monitoring: { enablePodMonitor: true } }), '1.30.0').map((d) => d.path))
      .toEqual(['spec.monitoring.enablePodMonitor', 'spec.maxSyncReplicas']);
  });
});
