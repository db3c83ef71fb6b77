import { BackupMethod, CnpgSharedCluster } from '../src';
import { chart } from './util/synth';

describe('attachments recorded on the cluster', () => {
  test('backup and poolers are readable by other constructs', () => {
    const db = new CnpgSharedCluster(chart(), 'db');
    expect(db.backup).toBeUndefined();
    expect(db.poolers).toEqual([]);
    db._registerBackup({ method: BackupMethod.PLUGIN, schedule: '0 0 2 * * *', maxIntervalSeconds: 86400, retentionDays: 30 });
    db._registerPooler({ poolerName: 'harbor-pooler', namespace: 'databases', instances: 3, type: 'rw', application: 'harbor' });
    expect(db.backup?.method).toBe('plugin');
    expect(db.poolers.map((p) => p.poolerName)).toEqual(['harbor-pooler']);
  });

  test('a second backup or a duplicate pooler is an error', () => {
    const db = new CnpgSharedCluster(chart(), 'db');
    db._registerBackup({ method: BackupMethod.PLUGIN });
    expect(() => db._registerBackup({ method: BackupMethod.BARMAN_OBJECT_STORE })).toThrow(/backup = "barmanObjectStore" is configured twice/);
    const p = { poolerName: 'p', namespace: 'databases', instances: 3, type: 'rw', application: 'a' };
    db._registerPooler(p);
    expect(() => db._registerPooler(p)).toThrow(/poolers = "p" is declared twice/);
  });

  test('a duplicate managed role is an error', () => {
    const db = new CnpgSharedCluster(chart(), 'db');
    db._addManagedRole({ name: 'harbor' });
    expect(() => db._addManagedRole({ name: 'harbor' })).toThrow(/managed\.roles = "harbor" is declared twice/);
  });
});

describe('error messages', () => {
  test('show lists as JSON, so an empty list is visible', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { show } = require('../src/common/errors');
    expect(show([])).toBe('[]');
    expect(show(['a', 1])).toBe('["a",1]');
    expect(show(undefined)).toBe('(unset)');
    expect(show('x')).toBe('"x"');
  });
});
