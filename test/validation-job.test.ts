import * as fs from 'fs';
import * as path from 'path';
import { Cron, Duration } from 'cdk8s';
import {
  BackupCredentials, BackupSchedule, BackupValidationJob, BackupValidationJobProps, BackupValidationOptions, CnpgSharedCluster, Quantity,
} from '../src';
import { chart, one, synth } from './util/synth';

// The backup-validation CronJob's run-time limits and its numeric props on their boundaries
// (issue #17): a hung check must not block every later run (concurrencyPolicy Forbid), a failed
// check is not retried forever, and each limit accepts its bounds and refuses one past them.

/** How `build` makes the job: through addBackup (the default), or with `new BackupValidationJob(chart, 'job', ...)`. */
interface How {
  /** The cluster's name (default "pg"). */
  readonly clusterName?: string;
  /** Build the construct directly, with these props over `directProps`. */
  readonly direct?: Partial<BackupValidationJobProps>;
  /** Called on the job before synthesis (escape hatches). */
  readonly edit?: (job: BackupValidationJob) => void;
}

/** The props of a job built directly: a daily 02:00 backup of S3 keys `id` and `secret` in Secret `s3-keys`. */
function directProps(cluster: CnpgSharedCluster): BackupValidationJobProps {
  return {
    cluster,
    destinationPath: 's3://backups/pg',
    serverName: 'pg',
    credentialsSecretName: 's3-keys',
    accessKeyIdKey: 'id',
    secretAccessKeyKey: 'secret',
    backupSchedule: BackupSchedule.DAILY_AT_2,
    backupWindow: Duration.hours(1),
  };
}

/** The validation job of a cluster backed up with `backup` (options of addBackup), as written. */
function build(backup: Record<string, unknown>, validationOptions: BackupValidationOptions = {}, how: How = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { secretStore: { name: 'onepassword' }, clusterName: how.clusterName });
  const job = how.direct
    ? new BackupValidationJob(c, 'job', { ...directProps(db), ...how.direct, ...validationOptions })
    : db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecretStore('kubernetes/cnpg/minio'), ...backup, validation: validationOptions } as any).validationJob!;
  how.edit?.(job);
  const m = synth(c);
  const cronJob = one(m, 'CronJob', job.cronJobName);
  return { manifests: m, cronJob, pod: cronJob.spec.jobTemplate.spec.template.spec, np: one(m, 'NetworkPolicy', job.cronJobName) };
}

function validation(options: BackupValidationOptions = {}) {
  return build({ endpointUrl: 'https://minio.storage:9000' }, options).cronJob.spec;
}

describe('the CronJob\'s limits (docs: a hung check is stopped after 30 minutes)', () => {
  const spec = validation();

  test('one run at a time, a missed run skipped after an hour, UTC', () => {
    expect([spec.concurrencyPolicy, spec.startingDeadlineSeconds, spec.timeZone]).toEqual(['Forbid', 3600, 'Etc/UTC']);
  });

  test('a Job is stopped after 1800 s and retried at most twice; a failed check (exit 1) fails it at once', () => {
    const job = spec.jobTemplate.spec;
    expect([job.activeDeadlineSeconds, job.backoffLimit]).toEqual([1800, 2]);
    expect(job.podFailurePolicy).toEqual({ rules: [{ action: 'FailJob', onExitCodes: { containerName: 'check', operator: 'In', values: [1] } }] });
    // With concurrencyPolicy Forbid, the deadline must end a run well before the next day's run.
    expect(job.activeDeadlineSeconds * (job.backoffLimit + 1)).toBeLessThan(86_400);
  });

  test('history limits default to 3 and 3', () => {
    expect([spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit]).toEqual([3, 3]);
  });
});

describe('numeric props on their bounds', () => {
  test.each([
    ['successfulJobsHistoryLimit', 0, 100],
    ['failedJobsHistoryLimit', 1, 100],
  ] as const)('%s: %d and %d accepted and written, one past either refused', (field, min, max) => {
    expect(validation({ [field]: min })[field]).toBe(min);
    expect(validation({ [field]: max })[field]).toBe(max);
    const refused = new RegExp(`${field} = ${min - 1} is not valid: it must be an integer between ${min} and ${max}`);
    expect(() => validation({ [field]: min - 1 })).toThrow(refused);
    expect(() => validation({ [field]: max + 1 })).toThrow(new RegExp(`${field} = ${max + 1} is not valid: it must be an integer between ${min} and ${max}`));
  });

  test('runAsUser: 1 and 2^31 − 1 accepted and written to the pod and container, 0 and 2^31 refused', () => {
    for (const uid of [1, 2 ** 31 - 1]) {
      const pod = validation({ runAsUser: uid }).jobTemplate.spec.template.spec;
      const ctr = pod.containers[0].securityContext;
      expect([pod.securityContext.runAsUser, pod.securityContext.runAsGroup, ctr.runAsUser, ctr.runAsGroup]).toEqual([uid, uid, uid, uid]);
    }
    expect(() => validation({ runAsUser: 0 })).toThrow(/runAsUser = 0 is not valid: it must be an integer between 1 and 2147483647.*Fix: give a non-zero UID/);
    expect(() => validation({ runAsUser: 2 ** 31 })).toThrow(/runAsUser = 2147483648 is not valid/);
  });
});

// The survivors of the first mutation run of src/backup/validation-job.ts (issue #17).
describe('what the job is given and where it may connect', () => {
  const env = (pod: any) => Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('the pod: container "check" (the failure policy names it), no service links, the image pulled if not present, the labels', () => {
    const { cronJob, pod } = build({ endpointUrl: 'https://minio.storage:9000' });
    expect(pod.containers.map((x: any) => [x.name, x.imagePullPolicy])).toEqual([['check', 'IfNotPresent']]);
    expect(cronJob.spec.jobTemplate.spec.podFailurePolicy.rules[0].onExitCodes.containerName).toBe(pod.containers[0].name);
    expect(pod.enableServiceLinks).toBe(false);
    expect(cronJob.metadata.labels['app.kubernetes.io/component']).toBe('backup-validation');
    expect(cronJob.spec.jobTemplate.metadata.labels['app.kubernetes.io/component']).toBe('backup-validation');
    expect(pod.serviceAccountName).toBeUndefined();
  });

  test('S3 keys from the Secret; an IAM role: no keys, the cluster\'s ServiceAccount', () => {
    const keys = env(build({ endpointUrl: 'https://minio.storage:9000' }).pod);
    expect(Object.keys(keys).filter((k) => k.startsWith('AWS_'))).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(keys.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'pg-backup-s3', key: 'ACCESS_KEY_ID' } });
    const iam = build({ credentials: BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/cnpg' }) }).pod;
    expect(Object.keys(env(iam)).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(iam.serviceAccountName).toBe('pg');
  });

  test.each([
    ['https://minio.storage:9000', 9000],
    ['http://minio.storage', 80],
    ['https://s3.eu-west-1.amazonaws.com', 443],
    [undefined, 443],
    ['${CNPG_S3_ENDPOINT}', undefined],
    // A variable inside a URL may stand for a host and a port: any port, not https' 443.
    ['https://${CNPG_S3_HOST}', undefined],
  ])('the NetworkPolicy lets the job reach %s on port %s (and DNS)', (endpointUrl, port) => {
    const { np } = build(endpointUrl === undefined ? {} : { endpointUrl });
    expect(np.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(np.spec.egress[1].ports).toEqual([port === undefined ? { protocol: 'TCP' } : { protocol: 'TCP', port }]);
  });

  test('the image: a valid reference, pinned by a tag or a digest', () => {
    const image = (i: string) => build({}, { image: i }).pod.containers[0].image;
    for (const ok of ['ghcr.io/org/check:1.2.3', 'registry.local:5000/team/check:v1', 'check:latest-1.0', `ghcr.io/org/check@sha256:${'a'.repeat(64)}`]) {
      expect(image(ok)).toBe(ok);
    }
    for (const bad of ['Ghcr.io/org/check:1', ' ghcr.io/org/check:1', 'ghcr.io/org/check:1 ', 'registry:abc/check:1', 'ghcr.io//check:1']) {
      expect(() => image(bad)).toThrow(`image = ${JSON.stringify(bad)} is not a valid image reference. Fix: give "registry/repository:tag" or "...@sha256:<digest>"`);
    }
    for (const unpinned of ['ghcr.io/org/check', 'ghcr.io/org/check:latest', 'registry.local:5000/check']) {
      expect(() => image(unpinned)).toThrow(`image = ${JSON.stringify(unpinned)} is not pinned (no tag, or "latest"). Fix: pin a version or a digest, e.g. "ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:`);
    }
  });

  test('maxBaseBackupAge: from 60 s to 5 × 366 days', () => {
    const age = (d: Duration) => Number(env(build({}, { maxBaseBackupAge: d }).pod).MAX_BASE_BACKUP_AGE_SECONDS);
    expect([age(Duration.seconds(60)), age(Duration.days(5 * 366))]).toEqual([60, 5 * 366 * 86400]);
    expect(() => age(Duration.seconds(59))).toThrow('maxBaseBackupAge = 59 is not valid: it must be an integer between 60 and 158112000. Fix: give the longest gap between backups, e.g. Duration.days(1)');
    expect(() => age(Duration.seconds(5 * 366 * 86400 + 1))).toThrow('maxBaseBackupAge = 158112001 is not valid');
    expect(() => build({}, { maxWalAge: Duration.seconds(59) })).toThrow('maxWalAge = 59 is not valid: it must be an integer between 60 and 31622400. Fix: give at least a minute, e.g. Duration.hours(2)');
  });

  test('a validation schedule must be a value: a Flux variable cannot be checked against the backups', () => {
    expect(() => build({}, { schedule: Cron.schedule({ minute: '${CNPG_VALIDATION_MINUTE}', hour: '3' }) }))
      .toThrow('validation.schedule = "${CNPG_VALIDATION_MINUTE} 3 * * *" is a Flux variable; the job\'s timing is checked against the backups at synth. Fix: give the schedule as a value, e.g. Cron.daily()');
  });

  test('a backup schedule known only at apply time needs both the validation schedule and maxBaseBackupAge', () => {
    const fluxSchedule = { schedule: BackupSchedule.expression('${CNPG_BACKUP_SCHEDULE}') };
    const fix = 'Fix: give the backup schedule as a value (BackupSchedule.expression("0 0 2 * * *")), or give validation.schedule and validation.maxBaseBackupAge';
    expect(() => build(fluxSchedule)).toThrow(fix);
    expect(() => build(fluxSchedule, { schedule: Cron.schedule({ minute: '0', hour: '4' }) })).toThrow(fix);
    expect(() => build(fluxSchedule, { maxBaseBackupAge: Duration.days(1) })).toThrow(fix);
    const both = build(fluxSchedule, { schedule: Cron.schedule({ minute: '0', hour: '4' }), maxBaseBackupAge: Duration.days(1) });
    expect([both.cronJob.spec.schedule, env(both.pod).MAX_BASE_BACKUP_AGE_SECONDS]).toEqual(['0 4 * * *', '86400']);
  });

  test('the history limits\' fixes say what to keep', () => {
    expect(() => validation({ successfulJobsHistoryLimit: -1 })).toThrow('Fix: keep a few finished Jobs, e.g. 3');
    expect(() => validation({ failedJobsHistoryLimit: 0 })).toThrow('Fix: keep at least one failed Job: its log says what failed');
  });
});

// The survivors of the second mutation run (issue #17): the construct built directly, the packaged
// script, the messages, and the check that the job starts outside every backup's window.
describe('BackupValidationJob built directly', () => {
  const env = (pod: any) => Object.fromEntries(pod.containers[0].env.filter((e: any) => e.name.startsWith('AWS_')).map((e: any) => [e.name, e.valueFrom]));
  const secret = (key: string) => ({ secretKeyRef: { name: 's3-keys', key } });

  test('without credentials: the keys accessKeyIdKey and secretAccessKeyKey of credentialsSecretName, no ServiceAccount', () => {
    const { pod } = build({}, {}, { direct: {} });
    expect(env(pod)).toEqual({ AWS_ACCESS_KEY_ID: secret('id'), AWS_SECRET_ACCESS_KEY: secret('secret') });
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual([undefined, false]);
  });

  test('S3 credentials name the keys (with the session token and region), over accessKeyIdKey and secretAccessKeyKey', () => {
    const credentials = BackupCredentials.fromSecret('s3-keys', { accessKeyIdKey: 'AK', secretAccessKeyKey: 'SK', sessionTokenKey: 'TOKEN', regionKey: 'REGION' });
    expect(env(build({}, {}, { direct: { credentials } }).pod)).toEqual({
      AWS_ACCESS_KEY_ID: secret('AK'),
      AWS_SECRET_ACCESS_KEY: secret('SK'),
      AWS_SESSION_TOKEN: secret('TOKEN'),
      AWS_DEFAULT_REGION: secret('REGION'),
    });
  });

  test('credentials of another object store are refused: the job reads S3 only', () => {
    expect(() => build({}, {}, { direct: { credentials: BackupCredentials.azureStorageKey() } }))
      .toThrow('BackupValidationJob at \'test/job\': credentials = "azure" are not S3 credentials: the validation job reads S3 only. Fix: turn the validation job off for this object store');
  });

  test('an IAM role needs the cluster\'s ServiceAccount: a hand-made ICnpgCluster is refused, naming the field', () => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'pg', {});
    const handMade = Object.assign(Object.create(db), { _serviceAccountName: undefined });
    expect(() => new BackupValidationJob(c, 'job', { ...directProps(db), cluster: handMade, credentials: BackupCredentials.fromIamRole() })).toThrow(/^BackupValidationJob at 'test\/job': cluster = .* is not a cluster of this library\. Fix: pass a CnpgSharedCluster/);
  });

  test('the CronJob\'s name is at most 52 characters (Kubernetes adds 11 to name a Job): a 34-character cluster name fits, 35 do not', () => {
    expect(build({}, {}, { clusterName: `a${'b'.repeat(33)}` }).cronJob.metadata.name).toBe(`a${'b'.repeat(33)}-backup-validation`);
    expect(() => build({}, {}, { clusterName: `a${'b'.repeat(34)}` }))
      .toThrow(`cronJobName = "a${'b'.repeat(34)}-backup-validation" is 53 characters long, more than the 52 allowed. Fix: use a name of at most 52 characters`);
  });

  test('the pod is checked as written: an escape hatch making it privileged fails the synth', () => {
    const privileged = (job: BackupValidationJob) => job.cronJob.addOverride('spec.jobTemplate.spec.template.spec.containers.0.securityContext.privileged', true);
    expect(() => build({}, {}, { edit: privileged })).toThrow(/privileged.*runs container "check" privileged/s);
  });

  test('resources are checked under the name validation.resources', () => {
    const resources = { cpuRequest: Quantity.millicores(200), cpuLimit: Quantity.millicores(100) };
    expect(() => build({}, { resources })).toThrow('validation.resources.cpuRequest = "200m" is above cpuLimit (100m), which Kubernetes refuses');
  });

  test('an unreadable check script: the error names the file and says to reinstall', () => {
    const script = path.join(__dirname, '..', 'assets', 'backup-validation', 'check_backup.py');
    const realFs: typeof fs = jest.requireActual('fs');
    const read = realFs.readFileSync;
    const spy = jest.spyOn(realFs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: any[]) => {
      if (file === script) throw new Error(`EACCES: permission denied, open '${script}'`);
      return (read as any).call(realFs, file, ...rest);
    }) as typeof read);
    try {
      expect(() => build({}, {}, { direct: {} })).toThrow(`BackupValidationJob at 'test/job': script = ${JSON.stringify(script)} cannot be read (EACCES: permission denied, open '${script}'). `
        + 'Fix: reinstall @platform/cnpg-constructs: its assets/ folder holds the check script');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the validation schedule against the backups', () => {
  const job = (backupSchedule: string, window: Duration, schedule: Cron) =>
    build({ schedule: BackupSchedule.expression(backupSchedule), backupWindow: window }, { schedule }).cronJob.spec.schedule;
  const at = (minute: string, hour: string, day?: string) => Cron.schedule({ minute, hour, day });
  const refused = (schedule: string, minutes: string, backup: string, window: number, suggested: string) =>
    `validation.schedule = "${schedule}" runs ${minutes} the backup of ${backup} UTC, inside its ${window}-minute backupWindow, when that backup may still be running. `
    + `Fix: schedule it at least backupWindow after the backups, e.g. "${suggested}", or leave it unset to derive it`;

  test('exactly backupWindow after the backup is allowed, a minute less is not', () => {
    expect(job('0 0 2 * * *', Duration.hours(1), at('0', '3'))).toBe('0 3 * * *');
    expect(() => job('0 0 2 * * *', Duration.hours(1), at('59', '2'))).toThrow(refused('59 2 * * *', '59 min after', '02:00:00', 60, '0 3 * * *'));
  });

  test('the backup before the first run is found a week back', () => {
    // Weekly backups on Monday at 12:00 with a 3-day window: the job on 1 January (a Thursday) at
    // 06:00 starts inside the window of the backup of Monday 29 December.
    expect(() => job('0 0 12 * * MON', Duration.days(3), at('0', '6', '1'))).toThrow(refused('0 6 1 * *', '3960 min after', '12:00:00', 4320, '0 12 * * *'));
  });

  test('the backup at the very start of the checked days counts', () => {
    expect(() => job('0 0 * * * *', Duration.minutes(45), at('30', '0', '1'))).toThrow(refused('30 0 1 * *', '30 min after', '00:00:00', 45, '45 0 * * *'));
  });

  test('a run on the eighth day is checked too', () => {
    expect(() => job('0 0 2 * * *', Duration.hours(1), at('30', '2', '8'))).toThrow(refused('30 2 8 * *', '30 min after', '02:00:00', 60, '0 3 * * *'));
  });

  test('an @every schedule is not aligned with the clock: any validation time is accepted, the age allows a gap and a window', () => {
    const { cronJob, pod } = build({ schedule: BackupSchedule.expression('@every 24h') }, { schedule: at('30', '0') });
    expect(cronJob.spec.schedule).toBe('30 0 * * *');
    expect(pod.containers[0].env.find((e: any) => e.name === 'MAX_BASE_BACKUP_AGE_SECONDS').value).toBe(String(86400 + 3600));
  });

  test('backupWindow is compared with the shortest gap between backups, not the longest', () => {
    // Backups at 02:00 and 08:00: gaps of 6 and 18 hours.
    expect(() => job('0 0 2,8 * * *', Duration.hours(7), at('0', '15'))).toThrow('backupWindow = "25200s" is not shorter than the shortest gap between two backups (21600s), '
      + 'so the validation job could never run after a backup has finished. Fix: lower backupWindow to the time a base backup takes, or schedule the backups further apart');
  });

  test('extra spaces between and around the five fields are read as Kubernetes reads them (strings.Fields)', () => {
    expect(job('0 0 2 * * *', Duration.hours(1), at(' 0', '3'))).toBe(' 0 3 * * *');
    expect(job('0 0 2 * * *', Duration.hours(1), at('0 ', '3'))).toBe('0  3 * * *');
  });

  test('a descriptor from a Cron subclass is read as a descriptor (Kubernetes accepts @daily), and checked', () => {
    const descriptor = (text: string) => new (class extends Cron {
      public readonly expressionString = text;
    })();
    expect(job('0 0 2 * * *', Duration.hours(1), descriptor('@daily'))).toBe('@daily');
    expect(() => job('0 0 2 * * *', Duration.hours(1), descriptor('@hourly'))).toThrow(refused('@hourly', 'at the same time as', '02:00:00', 60, '0 3 * * *'));
  });

  test('a schedule that is not five fields: the fix shows the form', () => {
    expect(() => job('0 0 2 * * *', Duration.hours(1), at('0 0', '3'))).toThrow('validation.schedule = "0 0 3 * * *" is not a Kubernetes CronJob schedule: it has 6 fields; '
      + 'a Kubernetes CronJob takes five (minute hour day-of-month month day-of-week). Fix: give five fields, minute first, e.g. Cron.schedule({ minute: "0", hour: "3" }) for 03:00 UTC daily');
  });
});
