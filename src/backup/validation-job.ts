import * as fs from 'fs';
import * as path from 'path';
import { Cron, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { cronFireTimes, CronSyntaxError, parseRobfigCron } from './cron';
import { BackupCredentials, BackupEndpointCa } from './options';
import { BackupSchedule } from './schedule';
import { workloadPodSecurityRule } from '../checks/pod-security';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { Quantity } from '../common/quantity';
import { ComputeResources, renderComputeResources, RenderedResources } from '../common/resources';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';

// ---------------------------------------------------------------------------------------------
// The image of the check, in one place. assets/backup-validation/check_backup.py needs python3
// with barman (barman.cloud) and boto3, a writable TMPDIR and nothing else. The Barman Cloud
// plugin's sidecar image already ships exactly that (barman 3.19.1 in v0.14.0, the version the
// integration test test/integ/backup-validation.test.ts runs the script with): a distroless image
// whose `python3` on PATH is the one barman is installed for (plugin-barman-cloud
// containers/Dockerfile.sidecar: distroless python3-debian12:nonroot, USER 26:26). Nothing is
// installed at run time. The script needs no particular user (it sets HOME to TMPDIR; the
// real-S3 test runs it as 26): the job runs as the distroless base's `nonroot` user 65532, above
// the 10000 that security scanners (kube-score, checkov) ask for, so it never shares a UID with a
// host user.
// ---------------------------------------------------------------------------------------------
/** A container's environment variable, in Kubernetes' field names. */
interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}
/** A pod volume and a container's mount of it, in Kubernetes' field names. */
type Volume = { readonly name: string } & Record<string, unknown>;
type VolumeMount = { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean };

/** The default image: the Barman Cloud plugin's sidecar, matching the plugin's CRDs (0.14.0). */
const DEFAULT_IMAGE = 'ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0';
/** A non-root user and group above 10000: the distroless base image's `nonroot` (65532). */
const DEFAULT_UID = 65532;
/** The interpreter on the image's PATH that has barman and boto3. */
const PYTHON = 'python3';
/** The packaged check script (assets/ ships in the npm package, and so in Python and Go too). */
const SCRIPT_FILE = path.join(__dirname, '..', '..', 'assets', 'backup-validation', 'check_backup.py');
const SCRIPT_DIR = '/opt/backup-validation';
const CA_DIR = '/etc/backup-validation/ca';
/** The longest CronJob name Kubernetes accepts (the Job name gets an 11-character suffix). */
const MAX_CRONJOB_NAME = 52;

/** Exit code of check_backup.py when a check failed (2 is a configuration or connection error). */
const CHECK_FAILED_EXIT_CODE = 1;

/** The backup-validation job's settings. */
export interface BackupValidationOptions {
  /**
   * Whether to run the validation job.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * When the job runs: a Kubernetes (five-field, minute-first) schedule, in UTC. It must not
   * start within `backupWindow` of a scheduled backup, when that backup may still be running.
   *
   * @default - every day, `backupWindow` after the backup that follows the longest gap between
   * backups (`0 3 * * *` for the default 02:00 backup and a one-hour window)
   */
  readonly schedule?: Cron;

  /**
   * The job fails unless the newest completed base backup ended less than this long ago.
   *
   * @default - the longest gap between two scheduled backups (one day for a daily schedule): at
   * the job's time the backup just taken is younger than that, and the one before it older, so
   * a single missed or failed backup fails the job. For an `@every` schedule, which cannot be
   * aligned with the job, the gap plus `backupWindow`.
   */
  readonly maxBaseBackupAge?: Duration;

  /**
   * The job fails unless a WAL segment was archived less than this long ago.
   *
   * @default - `backupWindow` plus one hour. A base backup ends with a WAL switch, so right
   * after it the newest segment is recent even on an idle database. Raise it when the job does
   * not run right after the backups and the database can be idle for hours.
   */
  readonly maxWalAge?: Duration;

  /**
   * The image: it must already contain python3 with barman (barman.cloud) and boto3.
   *
   * @default 'ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0' (the plugin's sidecar)
   */
  readonly image?: string;

  /**
   * The non-root UID (and GID) the job runs as.
   *
   * @default 65532 (the distroless base image's `nonroot` user)
   */
  readonly runAsUser?: number;

  /**
   * CPU and memory of the check.
   *
   * @default - requests 50m CPU and 128Mi memory, limits 500m CPU and 256Mi memory
   */
  readonly resources?: ComputeResources;

  /**
   * Whether to write a NetworkPolicy for the job's pods: no ingress at all, egress only to DNS and
   * to the object store's port (TCP, any address). Needs a CNI that enforces NetworkPolicies.
   *
   * @default true
   */
  readonly networkPolicy?: boolean;

  /**
   * Finished successful Jobs kept.
   *
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;

  /**
   * Finished failed Jobs kept (their logs say what failed).
   *
   * @default 3
   */
  readonly failedJobsHistoryLimit?: number;
}

/** Props of {@link BackupValidationJob}. */
export interface BackupValidationJobProps extends BackupValidationOptions {
  /** The cluster whose backups are checked. */
  readonly cluster: ICnpgCluster;
  /** The object store's destination path, `s3://bucket/path`. */
  readonly destinationPath: string;
  /** The barman server name (the cluster's name unless set otherwise). */
  readonly serverName: string;
  /**
   * The S3 endpoint.
   *
   * @default - AWS S3
   */
  readonly endpointUrl?: string;
  /**
   * The CA bundle of a private endpoint.
   *
   * @default - the image's trust store
   */
  readonly endpointCa?: BackupEndpointCa;
  /** The Secret with the S3 keys (empty with an IAM role). */
  readonly credentialsSecretName: string;
  /** The Secret key of the access key id. */
  readonly accessKeyIdKey: string;
  /** The Secret key of the secret access key. */
  readonly secretAccessKeyKey: string;
  /**
   * The backups' credentials: S3 keys (with the region and session token keys, when given) reach
   * boto3 as `AWS_*` variables from the Secret; with an IAM role the job runs as the cluster's
   * ServiceAccount (the one CloudNativePG creates, `<cluster>`, which IRSA annotates).
   *
   * @default - the S3 keys `accessKeyIdKey` and `secretAccessKeyKey` of `credentialsSecretName`
   */
  readonly credentials?: BackupCredentials;
  /**
   * The S3 endpoint's value when `endpointUrl` is a Flux variable (for the NetworkPolicy's port).
   *
   * @default - `endpointUrl`
   */
  readonly endpointUrlValue?: string;
  /**
   * The server-side encryption the backups ask for (`AES256`, `aws:kms`): the job names it in
   * its hint when nothing was ever archived (a store without SSE refuses every upload).
   *
   * @default - none
   */
  readonly encryption?: string;
  /** The backups' schedule. */
  readonly backupSchedule: BackupSchedule;
  /** How long a base backup may take. */
  readonly backupWindow: Duration;
}

/**
 * A CronJob that proves the newest backups are usable: it runs
 * `assets/backup-validation/check_backup.py` (shipped in a ConfigMap) against the object store,
 * which fails (exit 1) unless a completed base backup younger than `maxBaseBackupAge` exists, the
 * WAL it needs is archived, and a WAL segment was archived within `maxWalAge`. A failed check
 * fails the Job at once (no retry: a Pod failure policy), which the platform's Job alerts see;
 * connection errors (exit 2) are retried.
 *
 * Hardened for Pod Security Admission `restricted`: a pinned non-root image that already contains
 * its tools, UID 65532, no privilege escalation, every capability dropped, read-only root filesystem
 * with an emptyDir for `/tmp`, `RuntimeDefault` seccomp, no service-account token.
 */
export class BackupValidationJob extends Construct {
  /** The default image (the Barman Cloud plugin's sidecar v0.14.0). */
  public static readonly DEFAULT_IMAGE = DEFAULT_IMAGE;

  /** The CronJob's name (`<cluster>-backup-validation`). */
  public readonly cronJobName: string;
  /** The ConfigMap holding the check script. */
  public readonly configMapName: string;
  /** The CronJob's schedule (Kubernetes format, UTC). */
  public readonly schedule: string;
  /** The base-backup age threshold, in seconds. */
  public readonly maxBaseBackupAgeSeconds: number;
  /** The WAL age threshold, in seconds. */
  public readonly maxWalAgeSeconds: number;
  /**
   * The CronJob as written, for escape hatches in Kubernetes' field names
   * (`job.cronJob.addOverride('spec.jobTemplate.spec.template.spec.priorityClassName', 'low')`).
   */
  public readonly cronJob: CheckedApiObject;
  /** The ConfigMap of the check script as written. */
  public readonly configMap: CheckedApiObject;
  /** The job's NetworkPolicy as written, when there is one. */
  public readonly networkPolicy?: CheckedApiObject;

  constructor(scope: Construct, id: string, props: BackupValidationJobProps) {
    checkArgs('new BackupValidationJob', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    this.cronJobName = `${cluster.clusterName}-backup-validation`;
    this.configMapName = this.cronJobName;
    validateName(this, 'cronJobName', this.cronJobName, { maxLength: MAX_CRONJOB_NAME });

    const image = props.image ?? DEFAULT_IMAGE;
    validateImage(this, image);
    const uid = props.runAsUser ?? DEFAULT_UID;
    validateInteger(this, 'runAsUser', uid, 1, 2 ** 31 - 1, 'give a non-zero UID: the job must not run as root');
    const successful = props.successfulJobsHistoryLimit ?? 3;
    const failed = props.failedJobsHistoryLimit ?? 3;
    validateInteger(this, 'successfulJobsHistoryLimit', successful, 0, 100, 'keep a few finished Jobs, e.g. 3');
    validateInteger(this, 'failedJobsHistoryLimit', failed, 1, 100, 'keep at least one failed Job: its log says what failed');

    const timing = deriveTiming(this, props);
    this.schedule = timing.schedule;
    this.maxBaseBackupAgeSeconds = timing.maxBaseBackupAgeSeconds;
    this.maxWalAgeSeconds = timing.maxWalAgeSeconds;

    let script: string;
    try {
      script = fs.readFileSync(SCRIPT_FILE, 'utf-8');
    } catch (e) {
      throw invalidInput(this, 'script', SCRIPT_FILE, `cannot be read (${(e as Error).message})`,
        'reinstall @platform/cnpg-constructs: its assets/ folder holds the check script');
    }

    const labels = { ...cluster.commonLabels, 'app.kubernetes.io/component': 'backup-validation' };
    const podLabels = { 'app.kubernetes.io/instance': cluster.clusterName, 'app.kubernetes.io/component': 'backup-validation' };
    this.configMap = checkedObject(this, 'Script', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.configMapName, namespace: cluster.namespace, labels },
      fields: { data: { 'check_backup.py': script } },
    });

    const env: EnvVar[] = [
      { name: 'BACKUP_DESTINATION_PATH', value: props.destinationPath },
      { name: 'BACKUP_SERVER_NAME', value: props.serverName },
      { name: 'MAX_BASE_BACKUP_AGE_SECONDS', value: String(this.maxBaseBackupAgeSeconds) },
      { name: 'MAX_WAL_AGE_SECONDS', value: String(this.maxWalAgeSeconds) },
      ...(props.endpointUrl ? [{ name: 'S3_ENDPOINT_URL', value: props.endpointUrl }] : []),
      ...(props.encryption ? [{ name: 'BACKUP_ENCRYPTION', value: props.encryption }] : []),
      ...(props.endpointCa ? [{ name: 'AWS_CA_BUNDLE', value: `${CA_DIR}/${props.endpointCa.key ?? 'ca.crt'}` }] : []),
      ...credentialEnv(this, props),
      { name: 'TMPDIR', value: '/tmp' },
      { name: 'HOME', value: '/tmp' },
      { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
    ];
    const volumes: Volume[] = [
      { name: 'script', configMap: { name: this.configMapName, defaultMode: 0o444 } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ...(props.endpointCa ? [{ name: 'endpoint-ca', secret: { secretName: props.endpointCa.secretName, defaultMode: 0o444 } }] : []),
    ];
    const mounts: VolumeMount[] = [
      { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      ...(props.endpointCa ? [{ name: 'endpoint-ca', mountPath: CA_DIR, readOnly: true }] : []),
    ];
    const seccompProfile = { type: 'RuntimeDefault' };
    const iamRole = props.credentials?._spec.kind === 'iam-role';

    this.cronJob = checkedObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: this.cronJobName, namespace: cluster.namespace, labels },
      rules: [workloadPodSecurityRule],
      fields: {
        spec: ({
          schedule: this.schedule,
          // The operator's clock is UTC; without this the kube-controller-manager's zone applies.
          timeZone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          // A run missed by more than an hour (controller down) is skipped, not stacked.
          startingDeadlineSeconds: 3600,
          successfulJobsHistoryLimit: successful,
          failedJobsHistoryLimit: failed,
          jobTemplate: {
            metadata: { labels },
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 1800,
              // A failed check is an answer, not a flake: fail the Job at once. Exit 2 (the
              // object store unreachable) is retried up to backoffLimit.
              podFailurePolicy: {
                rules: [{ action: 'FailJob', onExitCodes: { containerName: 'check', operator: 'In', values: [CHECK_FAILED_EXIT_CODE] } }],
              },
              template: {
                metadata: { labels: { ...labels, ...podLabels } },
                spec: {
                  restartPolicy: 'Never',
                  // With an IAM role, the cluster's ServiceAccount (IRSA); its token must be mounted
                  // (aws/amazon-eks-pod-identity-webhook#67). Otherwise no token at all.
                  serviceAccountName: iamRole ? clusterHooks(this, 'cluster', cluster)._serviceAccountName() : undefined,
                  automountServiceAccountToken: iamRole,
                  enableServiceLinks: false,
                  securityContext: {
                    runAsNonRoot: true,
                    runAsUser: uid,
                    runAsGroup: uid,
                    seccompProfile,
                  },
                  containers: [{
                    name: 'check',
                    image,
                    imagePullPolicy: 'IfNotPresent',
                    command: [PYTHON, `${SCRIPT_DIR}/check_backup.py`],
                    env,
                    resources: renderResources(this, props.resources),
                    securityContext: {
                      runAsNonRoot: true,
                      runAsUser: uid,
                      runAsGroup: uid,
                      allowPrivilegeEscalation: false,
                      privileged: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                      seccompProfile,
                    },
                    volumeMounts: mounts,
                  }],
                  volumes,
                },
              },
            },
          },
        }),
      },
    });

    if (props.networkPolicy ?? true) {
      const port = endpointPort(props.endpointUrlValue ?? props.endpointUrl);
      const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
      this.networkPolicy = checkedObject(this, 'NetworkPolicy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: this.cronJobName, namespace: cluster.namespace, labels },
        fields: {
          spec: ({
            podSelector: { matchLabels: podLabels },
            policyTypes: ['Ingress', 'Egress'],
            ingress: [],
            egress: [
              { to: anywhere, ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
              { to: anywhere, ports: [{ protocol: 'TCP', port }] },
            ],
          }),
        },
      });
    }
  }
}

/** The credentials' environment for boto3 (nothing for an IAM role: the pod's identity). */
function credentialEnv(scope: Construct, props: BackupValidationJobProps): EnvVar[] {
  const kind = props.credentials?._spec.kind ?? 's3-keys';
  if (kind === 'iam-role') return [];
  if (kind !== 's3-keys') {
    throw invalidInput(scope, 'credentials', props.credentials!.provider, 'are not S3 credentials: the validation job reads S3 only', 'turn the validation job off for this object store');
  }
  // S3 credentials always name both keys (BackupCredentials defaults them); without credentials, the props do.
  const keys = Object.fromEntries(props.credentials?._secretKeys() ?? [['accessKeyId', props.accessKeyIdKey], ['secretAccessKey', props.secretAccessKeyKey]]);
  const ref = (name: string, key: string | undefined): EnvVar[] => (key === undefined ? []
    : [{ name, valueFrom: { secretKeyRef: { name: props.credentialsSecretName, key } } }]);
  return [
    ...ref('AWS_ACCESS_KEY_ID', keys.accessKeyId),
    ...ref('AWS_SECRET_ACCESS_KEY', keys.secretAccessKey),
    ...ref('AWS_SESSION_TOKEN', keys.sessionToken),
    ...ref('AWS_DEFAULT_REGION', keys.region),
  ];
}

/** The TCP port of an http(s) URL (undefined when unknown: a variable). */
function endpointPort(url: string | undefined): number | undefined {
  if (url === undefined) return 443; // AWS S3
  if (containsFluxVariable(url)) return undefined;
  try {
    const u = new URL(url);
    return u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
  } catch {
    return undefined;
  }
}

interface Timing {
  readonly schedule: string;
  readonly maxBaseBackupAgeSeconds: number;
  readonly maxWalAgeSeconds: number;
}

function deriveTiming(scope: Construct, props: BackupValidationJobProps): Timing {
  const backup = props.backupSchedule;
  const window = props.backupWindow.toSeconds();
  const maxWalAgeSeconds = props.maxWalAge?.toSeconds() ?? window + 3600;
  validateInteger(scope, 'maxWalAge', maxWalAgeSeconds, 60, 366 * 86400, 'give at least a minute, e.g. Duration.hours(2)');
  const explicitAge = props.maxBaseBackupAge?.toSeconds();
  if (explicitAge !== undefined) {
    validateInteger(scope, 'maxBaseBackupAge', explicitAge, 60, 5 * 366 * 86400, 'give the longest gap between backups, e.g. Duration.days(1)');
  }

  const interval = backup.maxIntervalSeconds;
  if (interval === undefined) {
    // A Flux variable: the backup times are only known at apply time.
    if (!props.schedule || explicitAge === undefined) {
      throw invalidInput(scope, 'schedule', props.schedule?.expressionString, `cannot be derived from the backup schedule ${JSON.stringify(backup.expressionString)}, which is only known at apply time`,
        'give the backup schedule as a value (BackupSchedule.expression("0 0 2 * * *")), or give validation.schedule and validation.maxBaseBackupAge');
    }
    checkValidationSchedule(scope, props.schedule.expressionString);
    return { schedule: props.schedule.expressionString, maxBaseBackupAgeSeconds: explicitAge, maxWalAgeSeconds };
  }

  // The longest gap, the shortest and the backup after the longest come from one analysis of the
  // schedule: all are known, or none.
  const minInterval = backup.minIntervalSeconds!;
  const afterGap = backup._afterLongestGap!;
  if (window >= minInterval) {
    throw invalidInput(scope, 'backupWindow', `${window}s`, `is not shorter than the shortest gap between two backups (${minInterval}s), so the validation job could never run after a backup has finished`,
      'lower backupWindow to the time a base backup takes, or schedule the backups further apart');
  }
  const constantDelay = backup._isConstantDelay;
  let schedule: string;
  if (props.schedule) {
    schedule = props.schedule.expressionString;
    const first = checkValidationSchedule(scope, schedule);
    if (!constantDelay) checkAfterBackups(scope, schedule, first, backup, window, { min: minInterval, max: interval });
  } else {
    // Every day, `window` after the backup that follows the longest gap (rounded up to a minute).
    const at = new Date(Math.ceil((afterGap.getTime() + window * 1000) / 60_000) * 60_000);
    schedule = `${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
  }
  // Always longer than backupWindow: the window is shorter than the shortest gap (checked above).
  const maxBaseBackupAgeSeconds = explicitAge ?? (constantDelay ? interval + window : interval);
  return { schedule, maxBaseBackupAgeSeconds, maxWalAgeSeconds };
}

/** Checks a Kubernetes CronJob schedule; returns its parsed form. */
function checkValidationSchedule(scope: Construct, schedule: string) {
  if (containsFluxVariable(schedule)) {
    throw invalidInput(scope, 'validation.schedule', schedule, 'is a Flux variable; the job\'s timing is checked against the backups at synth', 'give the schedule as a value, e.g. Cron.daily()');
  }
  const fields = schedule.trim().split(/\s+/);
  try {
    if (schedule.startsWith('@')) return parseRobfigCron(schedule);
    if (fields.length !== 5) throw new CronSyntaxError(`has ${fields.length} fields; a Kubernetes CronJob takes five (minute hour day-of-month month day-of-week)`);
    return parseRobfigCron(`0 ${schedule}`);
  } catch (e) {
    if (!(e instanceof CronSyntaxError)) throw e;
    throw invalidInput(scope, 'validation.schedule', schedule, `is not a Kubernetes CronJob schedule: it ${e.message}`,
      'give five fields, minute first, e.g. Cron.schedule({ minute: "0", hour: "3" }) for 03:00 UTC daily');
  }
}

/** The validation job must not start while a backup may still be running. */
function checkAfterBackups(
  scope: Construct, schedule: string, parsed: ReturnType<typeof parseRobfigCron>, backup: BackupSchedule, window: number,
  gaps: { readonly min: number; readonly max: number },
): void {
  const start = new Date(Date.UTC(2026, 0, 1));
  // From a day more than the longest gap before the first run (its last backup is in the list) to
  // past the last run: backups after the last run never count, the loop below stops at them.
  const lookBack = gaps.max * 1000 + 86400_000;
  const span = lookBack + 9 * 86400_000;
  const count = Math.ceil(span / (gaps.min * 1000)) + 2;
  const backups = backup.nextFireTimes(new Date(start.getTime() - lookBack), count);
  const runs = cronFireTimes(parsed, start, 1000, new Date(start.getTime() + 8 * 86400_000));
  for (const run of runs) {
    let last: Date | undefined;
    for (const b of backups) {
      if (b.getTime() > run.getTime()) break;
      last = b;
    }
    if (last && run.getTime() - last.getTime() < window * 1000) {
      const minutes = Math.round((run.getTime() - last.getTime()) / 60_000);
      const suggested = new Date(Math.ceil((last.getTime() + window * 1000) / 60_000) * 60_000);
      throw invalidInput(scope, 'validation.schedule', schedule,
        `runs ${minutes === 0 ? 'at the same time as' : `${minutes} min after`} the backup of ${last.toISOString().slice(11, 19)} UTC, inside its ${window / 60}-minute backupWindow, when that backup may still be running`,
        `schedule it at least backupWindow after the backups, e.g. "${suggested.getUTCMinutes()} ${suggested.getUTCHours()} * * *", or leave it unset to derive it`);
    }
  }
}

function validateImage(scope: Construct, image: string): void {
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(image)) {
    throw invalidInput(scope, 'image', image, 'is not a valid image reference', 'give "registry/repository:tag" or "...@sha256:<digest>"');
  }
  if (!/[:@][^/]+$/.test(image) || /:latest$/.test(image)) {
    throw invalidInput(scope, 'image', image, 'is not pinned (no tag, or "latest")', `pin a version or a digest, e.g. "${DEFAULT_IMAGE}"`);
  }
}

function renderResources(scope: Construct, r: ComputeResources | undefined): RenderedResources {
  // A CPU limit is fine here: a short batch check, not a latency-sensitive server.
  return renderComputeResources(scope, 'validation.resources', r ?? {
    cpuRequest: Quantity.millicores(50),
    cpuLimit: Quantity.millicores(500),
    memoryRequest: Quantity.mebibytes(128),
    memoryLimit: Quantity.mebibytes(256),
  });
}
