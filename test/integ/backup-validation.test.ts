/**
 * assets/backup-validation/check_backup.py against real components: a versitygw S3 server,
 * PostgreSQL 15 archiving WAL with barman-cloud-wal-archive, and a base backup taken with
 * barman-cloud-backup (barman 3.19.1, the sidecar image's version). Install them with
 * `bash .ci/deps.sh`; a missing tool fails the suite.
 */
import { assertToolsInstalled, BackupLab } from './backup-validation/lab';

jest.setTimeout(120_000);

describe('backup-validation check_backup.py', () => {
  let lab: BackupLab | undefined;
  let backupEndedAt = 0;

  beforeAll(async () => {
    assertToolsInstalled();
    lab = new BackupLab();
    await lab.startS3();
    await lab.startPostgres();
    await lab.sql('create table ledger (id bigserial primary key, note text not null)');
    await lab.sql("insert into ledger (note) select 'before backup ' || g from generate_series(1, 5000) g");
    await lab.baseBackup();
    backupEndedAt = Date.now();
    await lab.switchWalAndWaitArchived();
    await lab.switchWalAndWaitArchived();
  });

  afterAll(async () => {
    await lab?.stop();
  });

  const theLab = (): BackupLab => {
    if (!lab) throw new Error('the lab did not start');
    return lab;
  };

  test('(a) passes on a fresh base backup and archived WAL', async () => {
    const result = await theLab().check();
    expect(result.output).toContain('backup validation passed');
    expect(result.output).toMatch(/\[OK\] newest completed base backup \d{8}T\d{6} ended/);
    expect(result.output).toMatch(/\[OK\] WAL segments \w{24}\.\.\w{24} needed by base backup/);
    expect(result.output).toMatch(/\[OK\] newest archived WAL segment \w{24} written/);
    expect(result.code).toBe(0);
  });

  test('(b) fails when the newest base backup is older than MAX_BASE_BACKUP_AGE_SECONDS', async () => {
    const wait = backupEndedAt + 2_500 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const result = await theLab().check({ MAX_BASE_BACKUP_AGE_SECONDS: '1' });
    expect(result.output).toMatch(/\[FAIL\] newest completed base backup \d{8}T\d{6} .*older than MAX_BASE_BACKUP_AGE_SECONDS=1/);
    expect(result.output).not.toMatch(/\[FAIL\].*WAL/);
    expect(result.code).toBe(1);
  });

  test('(b2) fails when the newest archived WAL segment is older than MAX_WAL_AGE_SECONDS', async () => {
    await new Promise((r) => setTimeout(r, 2_500));
    const result = await theLab().check({ MAX_WAL_AGE_SECONDS: '1' });
    expect(result.output).toMatch(/\[FAIL\] newest archived WAL segment \w{24} .*older than MAX_WAL_AGE_SECONDS=1/);
    expect(result.code).toBe(1);
  });

  test('(f) ignores base backups whose backup.info is not DONE', async () => {
    const l = theLab();
    const backups = await l.check();
    const id = /newest completed base backup (\d{8}T\d{6})/.exec(backups.output)?.[1];
    expect(id).toBeDefined();
    await l.s3Admin('copy-backup-info', l.bucket, `cnpg/${l.serverName}/base/${id}/backup.info`,
      `cnpg/failed-only/base/${id}/backup.info`, 'FAILED');
    const result = await l.check({ BACKUP_SERVER_NAME: 'failed-only' });
    expect(result.output).toContain(`base backups not completed: ${id} (FAILED)`);
    expect(result.output).toContain('[FAIL] no completed base backup (status DONE) in s3://backups/cnpg/failed-only/base');
    expect(result.code).toBe(1);
  });

  test('(d) fails when there is no base backup (a fresh prefix)', async () => {
    const result = await theLab().check({ BACKUP_DESTINATION_PATH: 's3://backups/never-used' });
    expect(result.output).toContain('[FAIL] no completed base backup (status DONE) in s3://backups/never-used/shared-cluster/base');
    expect(result.output).toContain('[FAIL] no archived WAL segment in s3://backups/never-used/shared-cluster/wals');
    expect(result.output).not.toContain('[HINT]');
    expect(result.code).toBe(1);
  });

  test('(d2) nothing ever archived, with server-side encryption asked for: the job names the likely cause and the one-line opt-out', async () => {
    const empty = await theLab().check({ BACKUP_DESTINATION_PATH: 's3://backups/never-used', BACKUP_ENCRYPTION: 'AES256' });
    expect(empty.output).toContain('[HINT] nothing was ever archived under s3://backups/never-used/shared-cluster');
    expect(empty.output).toContain('server-side encryption AES256');
    expect(empty.output).toContain('encryption: ServerSideEncryption.BUCKET_DEFAULT');
    expect(empty.code).toBe(1);
    // Not when something was archived: the hint is about a store that never accepted an upload.
    const archived = await theLab().check({ BACKUP_ENCRYPTION: 'AES256' });
    expect(archived.output).not.toContain('[HINT]');
  });

  test('(e) exits 2 on a bad configuration or an unreachable/denied object store', async () => {
    const l = theLab();
    const missing = await l.check({ BACKUP_SERVER_NAME: undefined, MAX_WAL_AGE_SECONDS: 'soon' });
    expect(missing.output).toContain('[ERROR] configuration: BACKUP_SERVER_NAME is not set');
    expect(missing.output).toContain("MAX_WAL_AGE_SECONDS must be a positive number of seconds, got 'soon'");
    expect(missing.code).toBe(2);

    const badUrl = await l.check({ BACKUP_DESTINATION_PATH: 'backups/cnpg' });
    expect(badUrl.output).toContain('BACKUP_DESTINATION_PATH must look like s3://bucket/path');
    expect(badUrl.code).toBe(2);

    const noBucket = await l.check({ BACKUP_DESTINATION_PATH: 's3://no-such-bucket/cnpg' });
    expect(noBucket.output).toContain("[ERROR] bucket 'no-such-bucket' does not exist");
    expect(noBucket.code).toBe(2);

    const denied = await l.check({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    expect(denied.output).toMatch(/\[ERROR\] object store: ClientError: .*403/);
    expect(denied.code).toBe(2);
  });

  test('(g) trusts a private CA through AWS_CA_BUNDLE', async () => {
    const tls = await theLab().startTlsS3();
    const trusted = await theLab().check({ S3_ENDPOINT_URL: tls.endpoint, AWS_CA_BUNDLE: tls.caBundle });
    expect(trusted.output).toContain('backup validation passed');
    expect(trusted.code).toBe(0);
    const untrusted = await theLab().check({ S3_ENDPOINT_URL: tls.endpoint });
    expect(untrusted.output).toMatch(/\[ERROR\] object store: SSLError: .*CERTIFICATE_VERIFY_FAILED/);
    expect(untrusted.code).toBe(2);
  });

  // Destructive: keep last.
  test('(c) fails when the WAL archive is empty (wals/ deleted)', async () => {
    const l = theLab();
    const deleted = Number(await l.s3Admin('delete-prefix', l.bucket, `cnpg/${l.serverName}/wals/`));
    expect(deleted).toBeGreaterThanOrEqual(3);
    const result = await l.check();
    expect(result.output).toMatch(/\[FAIL\] base backup \d{8}T\d{6} is not restorable: WAL segment\(s\) \w{24}.* missing/);
    expect(result.output).toContain(`[FAIL] no archived WAL segment in s3://backups/cnpg/${l.serverName}/wals`);
    expect(result.output).toMatch(/\[OK\] newest completed base backup/);
    expect(result.code).toBe(1);
  });
});
