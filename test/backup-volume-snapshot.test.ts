import {
  BackupCredentials, BackupSchedule, BackupTarget, CnpgSharedCluster, CnpgVersion, Quantity, SnapshotOwnerReference,
} from '../src';
import { chart, one, ofKind, synth } from './util/synth';

describe.each([CnpgVersion.V1_27_1, CnpgVersion.V1_30_0])('volume snapshot backups beside the object store (CloudNativePG %s)', (version) => {
  test('spec.backup.volumeSnapshot with the class, hot by default; a ScheduledBackup with method volumeSnapshot; the WAL archive stays the plugin\'s', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'shared-postgres', { operatorVersion: version, secretStore: { name: 's' }, walStorage: { size: Quantity.gibibytes(20) } });
    db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3') });
    const snapshots = db.addVolumeSnapshotBackup({ className: 'csi-rbd-snapclass', walClassName: 'csi-rbd-wal-snapclass', snapshotLabels: { tier: 'gold' } });
    const m = synth(c);
    const spec = one(m, 'Cluster').spec;
    expect(spec.backup).toEqual({
      volumeSnapshot: {
        className: 'csi-rbd-snapclass',
        walClassName: 'csi-rbd-wal-snapclass',
        online: true,
        onlineConfiguration: { immediateCheckpoint: true, waitForArchive: true },
        snapshotOwnerReference: 'backup',
        labels: { tier: 'gold' },
      },
    });
    expect(spec.plugins[0]).toMatchObject({ isWALArchiver: true });
    const scheduled = ofKind(m, 'ScheduledBackup').map((s) => [s.metadata.name, s.spec.method, s.spec.schedule]);
    expect(scheduled).toEqual([['shared-postgres-backup', 'plugin', '0 0 2 * * *'], ['shared-postgres-snapshot-backup', 'volumeSnapshot', '0 0 3 * * *']]);
    expect(one(m, 'ScheduledBackup', 'shared-postgres-snapshot-backup').spec).toEqual({
      cluster: { name: 'shared-postgres' },
      schedule: '0 0 3 * * *',
      backupOwnerReference: 'self',
      method: 'volumeSnapshot',
      target: 'prefer-standby',
      immediate: false,
      suspend: false,
    });
    expect(snapshots.scheduledBackupName).toBe('shared-postgres-snapshot-backup');
  });

  test('with the in-tree method both stanzas share spec.backup; cold snapshots, another schedule and owner', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', { operatorVersion: version });
    db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecret('s3'), method: 'barmanObjectStore' as any });
    db.addVolumeSnapshotBackup({ className: 'snap', online: false, schedule: BackupSchedule.dailyAt(4), snapshotOwnerReference: SnapshotOwnerReference.CLUSTER });
    const spec = one(synth(c), 'Cluster').spec;
    expect(Object.keys(spec.backup).sort()).toEqual(['barmanObjectStore', 'retentionPolicy', 'target', 'volumeSnapshot']);
    expect(spec.backup.volumeSnapshot).toEqual({ className: 'snap', online: false, snapshotOwnerReference: 'cluster' });
  });
});

describe('volume snapshot backups: bad input', () => {
  const attempt = (options: Record<string, unknown>) => () => {
    const c = chart();
    new CnpgSharedCluster(c, 'pg').addVolumeSnapshotBackup(options as any);
    return synth(c);
  };
  test.each([
    ['no snapshot class', {}, /CnpgSharedCluster.addVolumeSnapshotBackup at 'test\/pg': className = \(unset\) is required \(the VolumeSnapshotClass of the data volumes\)\. Fix: give className: a string/],
    ['a class that is not a name', { className: 'Snap Class' }, /className = "Snap Class" is not a DNS-1123 subdomain/],
    ['cold snapshots of the primary', { className: 's', online: false, target: BackupTarget.PRIMARY }, /target = "primary" takes cold snapshots of the primary: CloudNativePG fences it/],
    ['hot-only options on cold snapshots', { className: 's', online: false, waitForArchive: false }, /waitForArchive = false applies to hot snapshots only/],
    ['a five-field schedule', { className: 's', schedule: BackupSchedule.expression('0 3 * * *') }, /schedule = "0 3 \* \* \*" has 5 fields/],
    ['an unknown owner', { className: 's', snapshotOwnerReference: 'pod' }, /snapshotOwnerReference = "pod" is not one of SnapshotOwnerReference's values\. Fix: use one of SnapshotOwnerReference.BACKUP \("backup"\), SnapshotOwnerReference.CLUSTER \("cluster"\), SnapshotOwnerReference.NONE \("none"\)/],
  ])('%s', (_n, options, message) => {
    expect(attempt(options)).toThrow(message);
  });

  test('twice on one cluster', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg');
    db.addVolumeSnapshotBackup({ className: 's' });
    expect(() => db.addVolumeSnapshotBackup({ className: 's' })).toThrow(/addVolumeSnapshotBackup\(\)" is called twice/);
  });
});
