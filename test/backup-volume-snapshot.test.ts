import {
  BackupCredentials, BackupSchedule, BackupTarget, CnpgSharedCluster, CnpgVersion, Quantity, SnapshotOwnerReference, VolumeSnapshotBackup,
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

describe('volume snapshot backups: every option written, the defaults asserted (issue #17)', () => {
  const build = (options: Record<string, unknown>, clusterProps: Record<string, unknown> = {}) => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', clusterProps);
    const snapshots = db.addVolumeSnapshotBackup({ className: 'snap', ...options } as any);
    const m = synth(c);
    return { snapshots, m, volumeSnapshot: one(m, 'Cluster').spec.backup.volumeSnapshot, scheduled: one(m, 'ScheduledBackup', 'pg-snapshot-backup') };
  };

  test('hot snapshots without the immediate checkpoint or the archive wait; annotations; immediate and suspended; primary', () => {
    const { volumeSnapshot, scheduled, snapshots } = build({
      immediateCheckpoint: false,
      waitForArchive: false,
      snapshotAnnotations: { note: 'x' },
      immediate: true,
      suspend: true,
      target: BackupTarget.PRIMARY,
      snapshotOwnerReference: SnapshotOwnerReference.NONE,
    });
    expect(volumeSnapshot).toEqual({
      className: 'snap', online: true, onlineConfiguration: { immediateCheckpoint: false, waitForArchive: false }, snapshotOwnerReference: 'none', annotations: { note: 'x' },
    });
    expect(scheduled.spec).toEqual({
      cluster: { name: 'pg' }, schedule: '0 0 3 * * *', backupOwnerReference: 'self', method: 'volumeSnapshot', target: 'primary', immediate: true, suspend: true,
    });
    expect(snapshots.schedule.expressionString).toBe('0 0 3 * * *');
    expect(snapshots.scheduledBackup.kind).toBe('ScheduledBackup');
  });

  test('each hot-only option alone keeps the other\'s default', () => {
    expect(build({ immediateCheckpoint: false }).volumeSnapshot.onlineConfiguration).toEqual({ immediateCheckpoint: false, waitForArchive: true });
    expect(build({ waitForArchive: false }).volumeSnapshot.onlineConfiguration).toEqual({ immediateCheckpoint: true, waitForArchive: false });
  });

  test('cold snapshots of a standby: no online configuration', () => {
    const { volumeSnapshot, scheduled } = build({ online: false });
    expect(volumeSnapshot).toEqual({ className: 'snap', online: false, snapshotOwnerReference: 'backup' });
    expect(scheduled.spec.target).toBe('prefer-standby');
  });

  test('the ScheduledBackup\'s metadata: the cluster\'s namespace and labels, component backup', () => {
    const { scheduled } = build({}, { labels: { team: 'platform' } });
    expect(scheduled.metadata.namespace).toBe('databases');
    expect(scheduled.metadata.labels).toMatchObject({ 'team': 'platform', 'app.kubernetes.io/component': 'backup' });
  });

  test('built directly', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg');
    const snapshots = new VolumeSnapshotBackup(c, 'snapshots', { cluster: db, className: 'snap' });
    expect(snapshots.scheduledBackupName).toBe('pg-snapshot-backup');
    expect(one(synth(c), 'Cluster').spec.backup.volumeSnapshot).toMatchObject({ className: 'snap' });
  });

  test('class names: a 253-character DNS subdomain accepted, 254 refused; the WAL class checked as well', () => {
    const name253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name253.length).toBe(253);
    expect(build({ className: name253 }).volumeSnapshot.className).toBe(name253);
    expect(() => build({ className: `${name253}d` })).toThrow(
      `VolumeSnapshotBackup at 'test/pg/VolumeSnapshotBackup': className = "${name253}d" is not a DNS-1123 subdomain (the name of a VolumeSnapshotClass). `
      + 'Fix: give the class\'s name as kubectl get volumesnapshotclass shows it');
    expect(build({ className: 'a.b-c.d1' }).volumeSnapshot.className).toBe('a.b-c.d1');
    expect(build({ className: 'snap.b' }).volumeSnapshot.className).toBe('snap.b');
    for (const bad of ['-snap', 'snap-', 'snap.', '.snap', 'sn_ap', 'Snap']) {
      expect(() => build({ className: bad })).toThrow(`className = "${bad}" is not a DNS-1123 subdomain`);
    }
    expect(() => build({ walClassName: 'Wal Class' })).toThrow(
      'VolumeSnapshotBackup at \'test/pg/VolumeSnapshotBackup\': walClassName = "Wal Class" is not a DNS-1123 subdomain (the name of a VolumeSnapshotClass)');
  });

  test('an empty class name: the whole message', () => {
    expect(() => build({ className: '' })).toThrow(
      'VolumeSnapshotBackup at \'test/pg/VolumeSnapshotBackup\': className = "" is required: the VolumeSnapshotClass of the data volumes '
      + '(the library does not write one, the storage owns it). Fix: give the class of your CSI driver, e.g. className: "csi-rbdplugin-snapclass" (kubectl get volumesnapshotclass)');
  });

  test('cold snapshots refuse each hot-only option by its name; the primary refused with the fix', () => {
    expect(() => build({ online: false, immediateCheckpoint: true })).toThrow(
      'VolumeSnapshotBackup at \'test/pg/VolumeSnapshotBackup\': immediateCheckpoint = true applies to hot snapshots only, but online is false. Fix: drop it, or take hot snapshots');
    expect(() => build({ online: false, waitForArchive: true })).toThrow('waitForArchive = true applies to hot snapshots only');
    expect(() => build({ online: false, target: BackupTarget.PRIMARY })).toThrow(
      'VolumeSnapshotBackup at \'test/pg/VolumeSnapshotBackup\': target = "primary" takes cold snapshots of the primary: CloudNativePG fences it, and the cluster is read-only '
      + 'while the snapshot runs. Fix: snapshot a standby (BackupTarget.PREFER_STANDBY, the default), or take hot snapshots (online: true)');
  });
});
