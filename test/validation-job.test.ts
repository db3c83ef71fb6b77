import { Cron, Duration } from 'cdk8s';
import { BackupCredentials, BackupSchedule, BackupValidationOptions, CnpgSharedCluster } from '../src';
import { chart, one, synth } from './util/synth';

// The backup-validation CronJob's run-time limits and its numeric props on their boundaries
// (issue #17): a hung check must not block every later run (concurrencyPolicy Forbid), a failed
// check is not retried forever, and each limit accepts its bounds and refuses one past them.

/** The validation job of a cluster backed up with `backup` (options of addBackup), as written. */
function build(backup: Record<string, unknown>, validationOptions: BackupValidationOptions = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { secretStore: { name: 'onepassword' } });
  db.addBackup({ bucket: 'backups', credentials: BackupCredentials.fromSecretStore('kubernetes/cnpg/minio'), ...backup, validation: validationOptions } as any);
  const m = synth(c);
  const cronJob = one(m, 'CronJob', 'pg-backup-validation');
  return { manifests: m, cronJob, pod: cronJob.spec.jobTemplate.spec.template.spec, np: one(m, 'NetworkPolicy', 'pg-backup-validation') };
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
