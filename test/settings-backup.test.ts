import * as path from 'path';
import {
  BackupRetention, BackupSchedule, ClusterSettings, CnpgSettingsValues, DataDurability, Quantity, SynchronousReplication,
} from '../src';
import { VENDOR_DIR } from './util/conformance';
import { readSettingsData } from './util/flux';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');

/** The reference platform's settings, as typed values. */
const REFERENCE_VALUES: CnpgSettingsValues = {
  operatorChartVersion: '0.26.1',
  postgresVersion: '16.8',
  storageClass: 'openebs-local-nvme',
  dataSize: Quantity.gibibytes(80),
  walSize: Quantity.gibibytes(20),
  instances: 3,
  replication: SynchronousReplication.any({ number: 1, maxStandbyNamesFromCluster: 2, dataDurability: DataDurability.PREFERRED }),
  clusterName: 'shared-postgres',
  backupBucket: 'monosense-cnpg',
  backupSchedule: BackupSchedule.dailyAt(2),
  backupRetention: BackupRetention.days(30),
  backupEndpointUrl: 'http://10.25.11.3:9000',
  backupCredentialsPath: 'kubernetes/infra/cloudnative-pg/minio',
  superuserSecretPath: 'kubernetes/infra/cloudnative-pg/superuser',
  poolerReplicas: 3,
  secretStore: 'onepassword',
  applicationSecretPaths: {
    harbor: 'kubernetes/infra/cloudnative-pg/harbor',
    keycloak: 'kubernetes/infra/cloudnative-pg/keycloak',
    gitlab: 'kubernetes/infra/cloudnative-pg/gitlab',
    synergyflow: 'kubernetes/infra/cloudnative-pg/synergyflow',
  },
};

describe('ClusterSettings and backups', () => {
  test('renderData writes exactly the CNPG keys of the reference cluster-settings from typed values', () => {
    const all = readSettingsData(REFERENCE_SETTINGS);
    const cnpgKeys = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('CNPG_') || k === 'EXTERNAL_SECRET_STORE'));
    expect(ClusterSettings.renderData(REFERENCE_VALUES)).toEqual(cnpgKeys);
  });

  test('round trip: typed values → data → ClusterSettings → the same typed values', () => {
    const s = ClusterSettings.fromData(ClusterSettings.renderData(REFERENCE_VALUES));
    expect(s.backupSchedule).toBe('0 0 2 * * *');
    expect(s.backupRetention).toBe('30d');
    expect(s.dataSize?.value).toBe('80Gi');
    expect(s.replication?.options).toEqual({ number: 1, maxStandbyNamesFromCluster: 2, dataDurability: DataDurability.PREFERRED });
    expect(s.applicationSecretPath('synergyflow')).toBe('kubernetes/infra/cloudnative-pg/synergyflow');
    const file = ClusterSettings.fromFile(REFERENCE_SETTINGS);
    expect(s.keys).toEqual(file.keys);
    for (const key of file.keys) expect(s.value(key)).toBe(file.value(key));
  });

  test('renderData writes only what is given, and asynchronous replication writes no sync keys', () => {
    expect(ClusterSettings.renderData({ instances: 1, replication: SynchronousReplication.asynchronous() })).toEqual({ CNPG_INSTANCES: '1' });
    expect(ClusterSettings.renderData({ backupSchedule: BackupSchedule.expression('@daily') })).toEqual({ CNPG_BACKUP_SCHEDULE: '0 0 0 * * *' });
  });

  test('renderData writes an application\'s key with each character a key cannot hold as _, as applicationSecretPath reads it', () => {
    const data = ClusterSettings.renderData({ applicationSecretPaths: { 'my-app.v2': 'k/my-app' } });
    expect(data).toEqual({ CNPG_MY_APP_V2_SECRET_PATH: 'k/my-app' });
    expect(ClusterSettings.fromData(data).applicationSecretPath('my-app.v2')).toBe('k/my-app');
  });

  test('renderData checks the values as reading does', () => {
    expect(() => ClusterSettings.renderData({ backupSchedule: BackupSchedule.expression('0 2 * * *') }))
      .toThrow(/ClusterSettings\(renderData\): CNPG_BACKUP_SCHEDULE = "0 2 \* \* \*" .* has 5 fields; .*Fix: write six fields with the seconds first, e\.g\. "0 0 2 \* \* \*"/);
    expect(() => ClusterSettings.renderData({ backupBucket: 's3://monosense-cnpg' })).toThrow(/CNPG_BACKUP_BUCKET = "s3:\/\/monosense-cnpg" .* is a URL/);
    expect(() => ClusterSettings.renderData({ backupRetention: BackupRetention.of('30 days') })).toThrow(/CNPG_BACKUP_RETENTION = "30 days"/);
  });

  test('CNPG_BACKUP_SCHEDULE is checked with CloudNativePG\'s grammar (robfig/cron v1.2.0)', () => {
    expect(ClusterSettings.fromData({ CNPG_BACKUP_SCHEDULE: '@daily' }).backupSchedule).toBe('@daily');
    expect(ClusterSettings.fromData({ CNPG_BACKUP_SCHEDULE: '0 30 1 * * MON-FRI' }).backupSchedule).toBe('0 30 1 * * MON-FRI');
    expect(ClusterSettings.fromData({ CNPG_BACKUP_SCHEDULE: '${SCHEDULE}' }).backupSchedule).toBe('${SCHEDULE}');
    const bad: Array<[string, RegExp]> = [
      ['0 2 * * *', /has 5 fields; .*24 backups on each day it fires, the first at 00:02:00 UTC\. Fix: write six fields with the seconds first, e\.g\. "0 0 2 \* \* \*": prepend the seconds field, never append one/],
      ['0 0 2 * * 7', /above its maximum 6 \(Sunday is 0 or SUN/],
      ['0 0 2 L * *', /robfig\/cron has no L, W, # or H/],
      ['0 0 0 30 2 *', /never fires/],
      ['0 */10 * * * *', /fires 10 min after a previous backup/],
    ];
    for (const [value, message] of bad) {
      expect(() => ClusterSettings.fromData({ CNPG_BACKUP_SCHEDULE: value })).toThrow(message);
    }
  });
});
