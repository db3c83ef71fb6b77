import { BackupCredentials, BackupValidationOptions, CnpgSharedCluster } from '../src';
import { chart, one, synth } from './util/synth';

// The backup-validation CronJob's run-time limits and its numeric props on their boundaries
// (issue #17): a hung check must not block every later run (concurrencyPolicy Forbid), a failed
// check is not retried forever, and each limit accepts its bounds and refuses one past them.

function validation(options: BackupValidationOptions = {}) {
  const c = chart();
  const db = new CnpgSharedCluster(c, 'pg', { secretStore: { name: 'onepassword' } });
  db.addBackup({ bucket: 'backups', endpointUrl: 'https://minio.storage:9000', credentials: BackupCredentials.fromSecretStore('kubernetes/cnpg/minio'), validation: options });
  return one(synth(c), 'CronJob', 'pg-backup-validation').spec;
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
