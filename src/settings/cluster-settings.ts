import * as fs from 'fs';
import { BackupRetention } from '../backup/options';
import { BackupSchedule, scheduleProblem } from '../backup/schedule';
import { PostgresImage } from '../cluster/postgres-image';
import { DataDurability, SynchronousMethod, SynchronousReplication } from '../cluster/replication';
import { invalidInput } from '../common/errors';
import { containsFluxVariable, fluxReference } from '../common/flux';
import { Quantity } from '../common/quantity';
import { yaml } from '../common/yaml';
import { checkArgs } from '../core/prop-check';
import { SecretStoreKind, SecretStoreReference } from '../secrets/external-secret';
import { CnpgVersion } from '../versions/cnpg-version';

/** How {@link ClusterSettings} hands its string values to the constructs. */
export enum SettingsMode {
  /** The values of the ConfigMap are written into the manifests. */
  VALUES = 'values',
  /**
   * Free-form strings (names, storage class, sizes, paths, URLs) are written as Flux post-build
   * variables (`${CNPG_STORAGE_CLASS}`), so the manifests follow the ConfigMap at apply time, as
   * the hand-written manifests did. Numbers, enumerations (instances, synchronous method,
   * durability) and the secret store name are written as values: a variable there would not pass
   * the CRD schemas. Every value is validated from the ConfigMap either way.
   */
  FLUX_VARIABLES = 'flux-variables',
}

/** Options of {@link ClusterSettings}. */
export interface ClusterSettingsOptions {
  /**
   * Values or Flux variables in the manifests.
   *
   * @default SettingsMode.VALUES
   */
  readonly mode?: SettingsMode;

  /**
   * Where the ConfigMap came from, named in error messages (a file, a repository path).
   *
   * @default - the file (`fromFile`); otherwise the ConfigMap's name
   */
  readonly source?: string;
}

interface KeySpec {
  readonly check: (v: string) => string | undefined;
  /** The fix, or for a fix that depends on the value (the six-field form of a five-field schedule) the fix of a refused value. */
  readonly fix: string | ((v: string) => string);
  readonly description: string;
}

const GO_OR_HELM_SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const int = (min: number) => (v: string) => (/^\d+$/.test(v) && Number(v) >= min ? undefined : `is not an integer of at least ${min}`);
const nonEmptyPath = (v: string) => (/^\S+$/.test(v) ? undefined : 'is not a secret path (empty or with white space)');

/** The CNPG keys of the platform's `cluster-settings` ConfigMap and how each is checked. */
const KEYS: Record<string, KeySpec> = {
  CNPG_OPERATOR_VERSION: {
    description: 'the cloudnative-pg Helm chart version the platform installs',
    check: (v) => (GO_OR_HELM_SEMVER.test(v) ? undefined : 'is not a semantic version'),
    fix: 'write the chart version, e.g. "0.26.1"',
  },
  CNPG_POSTGRES_VERSION: {
    description: 'the PostgreSQL major.minor version',
    check: (v) => (/^\d+\.\d+$/.test(v) && Number(v.split('.')[0]) >= 13 ? undefined : 'is not a PostgreSQL "major.minor" version of 13 or newer'),
    fix: 'write e.g. "16.8"',
  },
  CNPG_STORAGE_CLASS: {
    description: 'the StorageClass of data and WAL volumes',
    check: (v) => (DNS_SUBDOMAIN.test(v) && v.length <= 253 ? undefined : 'is not a StorageClass name'),
    fix: 'write a StorageClass name such as "openebs-local-nvme"',
  },
  CNPG_DATA_SIZE: { description: 'the data volume size', check: quantityCheck, fix: 'write a Kubernetes quantity such as "80Gi"' },
  CNPG_WAL_SIZE: { description: 'the WAL volume size', check: quantityCheck, fix: 'write a Kubernetes quantity such as "20Gi"' },
  CNPG_INSTANCES: { description: 'the number of PostgreSQL instances', check: int(1), fix: 'write a whole number such as "3"' },
  CNPG_SYNC_METHOD: {
    description: 'the synchronous replication method',
    check: (v) => (v === 'any' || v === 'first' ? undefined : 'is not "any" or "first"'),
    fix: 'write "any" (quorum) or "first" (priority)',
  },
  CNPG_SYNC_NUMBER: { description: 'the number of synchronous standbys', check: int(1), fix: 'write a whole number of at least 1, such as "1"' },
  CNPG_SYNC_MAX_STANDBYS: { description: 'maxStandbyNamesFromCluster', check: int(0), fix: 'write a whole number such as "2"' },
  CNPG_DATA_DURABILITY: {
    description: 'the synchronous replication durability',
    check: (v) => (v === 'required' || v === 'preferred' ? undefined : 'is not "required" or "preferred"'),
    fix: 'write "required" or "preferred"',
  },
  CNPG_SHARED_CLUSTER_NAME: {
    description: 'the name of the shared Cluster',
    check: (v) => (DNS_LABEL.test(v) && v.length <= 50 ? undefined : 'is not a valid CNPG cluster name (a DNS-1035 label of at most 50 characters)'),
    fix: 'write a name such as "shared-postgres"',
  },
  CNPG_BACKUP_BUCKET: {
    description: 'the object-store bucket of backups',
    check: (v) => (v.includes('://') ? 'is a URL, not a bucket name' : S3_BUCKET.test(v) ? undefined : 'is not an S3 bucket name'),
    fix: 'write only the bucket name, e.g. "monosense-cnpg" (the s3:// path is derived from it)',
  },
  CNPG_BACKUP_SCHEDULE: {
    description: 'the ScheduledBackup cron expression (six fields, seconds first)',
    // CloudNativePG's own grammar (robfig/cron v1.2.0), through BackupSchedule.
    check: (v) => scheduleProblem(v)?.problem,
    fix: (v) => scheduleProblem(v)!.fix,
  },
  CNPG_BACKUP_RETENTION: {
    description: 'the backup retention policy',
    check: (v) => (/^[1-9][0-9]*[dwm]$/.test(v) ? undefined : 'is not a CloudNativePG retention policy'),
    fix: 'write a number followed by d, w or m, e.g. "30d"',
  },
  CNPG_MINIO_ENDPOINT_URL: {
    description: 'the S3 endpoint URL',
    check: (v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'is not an http(s) URL';
      } catch {
        return 'is not a URL';
      }
    },
    fix: 'write an http(s) URL such as "https://minio.example.com:9000"',
  },
  CNPG_POOLER_REPLICAS: { description: 'the replicas of each pooler', check: int(1), fix: 'write a whole number such as "3"' },
  EXTERNAL_SECRET_STORE: {
    description: 'the external-secrets ClusterSecretStore',
    check: (v) => (DNS_SUBDOMAIN.test(v) ? undefined : 'is not a store name'),
    fix: 'write the ClusterSecretStore name, e.g. "onepassword"',
  },
};
const SECRET_PATH_KEY = /^CNPG_([A-Z0-9_]+)_SECRET_PATH$/;

/**
 * Typed values of the CNPG keys of the platform's `cluster-settings` ConfigMap, from which
 * {@link ClusterSettings.renderData} writes the keys, so the ConfigMap and the code cannot drift.
 * Every field is optional: only the keys given are written.
 */
export interface CnpgSettingsValues {
  /** `CNPG_OPERATOR_VERSION`: the cloudnative-pg Helm chart version, e.g. `0.26.1`. @default - unset */
  readonly operatorChartVersion?: string;
  /** `CNPG_POSTGRES_VERSION`: PostgreSQL `major.minor`, e.g. `16.8`. @default - unset */
  readonly postgresVersion?: string;
  /** `CNPG_STORAGE_CLASS`. @default - unset */
  readonly storageClass?: string;
  /** `CNPG_DATA_SIZE`. @default - unset */
  readonly dataSize?: Quantity;
  /** `CNPG_WAL_SIZE`. @default - unset */
  readonly walSize?: Quantity;
  /** `CNPG_INSTANCES`. @default - unset */
  readonly instances?: number;
  /**
   * `CNPG_SYNC_METHOD`, and `CNPG_SYNC_NUMBER`, `CNPG_SYNC_MAX_STANDBYS`, `CNPG_DATA_DURABILITY`
   * for the options given (none for asynchronous replication).
   * @default - unset
   */
  readonly replication?: SynchronousReplication;
  /** `CNPG_SHARED_CLUSTER_NAME`. @default - unset */
  readonly clusterName?: string;
  /** `CNPG_BACKUP_BUCKET`: the bucket name only. @default - unset */
  readonly backupBucket?: string;
  /** `CNPG_BACKUP_SCHEDULE`: six fields, seconds first. @default - unset */
  readonly backupSchedule?: BackupSchedule;
  /** `CNPG_BACKUP_RETENTION`. @default - unset */
  readonly backupRetention?: BackupRetention;
  /** `CNPG_MINIO_ENDPOINT_URL`. @default - unset */
  readonly backupEndpointUrl?: string;
  /** `CNPG_MINIO_SECRET_PATH`: the secret-store path of the S3 keys. @default - unset */
  readonly backupCredentialsPath?: string;
  /** `CNPG_SUPERUSER_SECRET_PATH`. @default - unset */
  readonly superuserSecretPath?: string;
  /** `CNPG_POOLER_REPLICAS`. @default - unset */
  readonly poolerReplicas?: number;
  /** `EXTERNAL_SECRET_STORE`: the ClusterSecretStore's name. @default - unset */
  readonly secretStore?: string;
  /**
   * `CNPG_<APP>_SECRET_PATH` per application, e.g. `{ harbor: 'kubernetes/infra/cloudnative-pg/harbor' }`.
   * @default - none
   */
  readonly applicationSecretPaths?: { [application: string]: string };
}

function quantityCheck(v: string): string | undefined {
  const n = Quantity.of(v).toNumber();
  return (n ?? 0) > 0 ? undefined : 'is not a positive Kubernetes quantity';
}

/**
 * The platform's settings, read from its Flux `cluster-settings` ConfigMap and validated key by
 * key, as typed values for the constructs (`new CnpgSharedCluster(this, 'db', { settings })`).
 *
 * Only the keys that concern CloudNativePG (`CNPG_*`, `EXTERNAL_SECRET_STORE`) are read; the
 * other keys of the ConfigMap are left alone. An unknown `CNPG_*` key is an error, so a typo
 * cannot silently fall back to a default.
 */
export class ClusterSettings {
  /**
   * Reads the ConfigMap from a YAML file (the first document of kind ConfigMap).
   *
   * @param path the file, e.g. `kubernetes/clusters/infra/cluster-settings.yaml`
   */
  public static fromFile(path: string, options: ClusterSettingsOptions = {}): ClusterSettings {
    checkArgs('ClusterSettings.fromFile', [path, options]);
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf-8');
    } catch (e) {
      throw invalidInput(`ClusterSettings.fromFile("${path}")`, 'path', path,
        `cannot be read (${(e as Error).message}; a relative path is read from the working directory ${process.cwd()})`,
        'give the path of the cluster-settings ConfigMap YAML file, e.g. the one Flux substitutes from in your fleet repository '
        + '(clusters/<cluster>/cluster-settings.yaml), or save it from a running cluster: kubectl get configmap cluster-settings -n flux-system -o yaml > cluster-settings.yaml');
    }
    // uniqueKeys: false, and duplicateKeys() instead: the yaml package's own check compares every
    // key with every earlier one of its map (O(n²)), about a third of reading the reference's 7 KB
    // ConfigMap in a fresh process (docs/development/performance.md). prettyErrors: false: the
    // line of the first problem is computed below, for it alone.
    const parsed = yaml().parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
    const problems = parsed.flatMap((d) => [
      ...d.errors.map((e) => ({ offset: e.pos[0], message: e.message.split('\n')[0] })),
      ...duplicateKeys(d).map((offset) => ({ offset, message: 'Map keys must be unique' })),
    ]).sort((a, b) => a.offset - b.offset);
    if (problems.length) {
      const first = problems[0];
      const line = text.slice(0, first.offset).split('\n').length;
      throw invalidInput(`ClusterSettings.fromFile("${path}")`, `line ${line}`, text.split('\n')[line - 1].trim(),
        `is not valid YAML (${first.message})`, 'correct the YAML of the ConfigMap (check the indentation and quotes on that line)');
    }
    const docs = parsed.map((d) => d.toJSON());
    const configMap = docs.find((d) => d && d.kind === 'ConfigMap');
    if (!configMap) {
      throw invalidInput(`ClusterSettings.fromFile("${path}")`, 'kind', docs.map((d) => d?.kind), 'has no ConfigMap document',
        'point at the cluster-settings ConfigMap');
    }
    return ClusterSettings.fromConfigMap(configMap, { ...options, source: options.source ?? path });
  }

  /**
   * Reads a parsed ConfigMap object (`{ kind: 'ConfigMap', data: {...} }`).
   *
   * The options come last, so Python takes them as keyword arguments
   * (`from_config_map(cm, mode=SettingsMode.VALUES, source="...")`).
   */
  public static fromConfigMap(configMap: { [key: string]: any }, options: ClusterSettingsOptions = {}): ClusterSettings {
    checkArgs('ClusterSettings.fromConfigMap', [configMap, options]);
    const data = configMap.data;
    const where = options.source ?? configMap.metadata?.name ?? 'ConfigMap';
    if (data === undefined || data === null) {
      throw invalidInput(`ClusterSettings(${where})`, 'data', data, 'is missing', 'give a ConfigMap with a data section');
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw invalidInput(`ClusterSettings(${where})`, 'data', data, 'is not a map of keys to values',
        'write data: as a map of KEY: "value" lines (e.g. data:\n  CNPG_INSTANCES: "3")');
    }
    return new ClusterSettings(data, options, where);
  }

  /**
   * The CNPG keys of the `cluster-settings` ConfigMap for typed values, checked as
   * {@link ClusterSettings.fromData} checks them (the same errors): paste or merge them into the
   * ConfigMap, or compare them with it in a test, so the two cannot drift.
   */
  public static renderData(values: CnpgSettingsValues): { [key: string]: string } {
    checkArgs('ClusterSettings.renderData', [values]);
    const data: Record<string, string> = {};
    const put = (key: string, v: string | number | undefined) => {
      if (v !== undefined) data[key] = String(v);
    };
    put('CNPG_OPERATOR_VERSION', values.operatorChartVersion);
    put('CNPG_POSTGRES_VERSION', values.postgresVersion);
    put('CNPG_STORAGE_CLASS', values.storageClass);
    put('CNPG_DATA_SIZE', values.dataSize?.value);
    put('CNPG_WAL_SIZE', values.walSize?.value);
    put('CNPG_INSTANCES', values.instances);
    const r = values.replication;
    if (r?.method !== undefined) {
      put('CNPG_SYNC_METHOD', r.method);
      put('CNPG_SYNC_NUMBER', r.options.number);
      put('CNPG_SYNC_MAX_STANDBYS', r.options.maxStandbyNamesFromCluster);
      put('CNPG_DATA_DURABILITY', r.options.dataDurability);
    }
    put('CNPG_SHARED_CLUSTER_NAME', values.clusterName);
    put('CNPG_BACKUP_BUCKET', values.backupBucket);
    put('CNPG_BACKUP_SCHEDULE', values.backupSchedule?.expressionString);
    put('CNPG_BACKUP_RETENTION', values.backupRetention?.policy);
    put('CNPG_MINIO_ENDPOINT_URL', values.backupEndpointUrl);
    put('CNPG_MINIO_SECRET_PATH', values.backupCredentialsPath);
    put('CNPG_SUPERUSER_SECRET_PATH', values.superuserSecretPath);
    put('CNPG_POOLER_REPLICAS', values.poolerReplicas);
    for (const [app, secretPath] of Object.entries(values.applicationSecretPaths ?? {})) {
      put(`CNPG_${app.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET_PATH`, secretPath);
    }
    put('EXTERNAL_SECRET_STORE', values.secretStore);
    new ClusterSettings(data, {}, 'renderData'); // the same checks as reading
    return data;
  }

  /**
   * Reads the `data` map of the ConfigMap.
   */
  public static fromData(data: { [key: string]: string }, options: ClusterSettingsOptions = {}): ClusterSettings {
    checkArgs('ClusterSettings.fromData', [data, options]);
    return new ClusterSettings(data, options, 'data');
  }

  /** How the settings hand their strings to the constructs. */
  public readonly mode: SettingsMode;
  private readonly data: Record<string, string>;
  private readonly source: string;

  private constructor(data: Record<string, any>, options: ClusterSettingsOptions, source: string) {
    this.mode = options.mode ?? SettingsMode.VALUES;
    this.source = source;
    this.data = {};
    for (const [key, raw] of Object.entries(data)) {
      if (key !== 'EXTERNAL_SECRET_STORE' && !key.startsWith('CNPG_')) continue;
      if (typeof raw !== 'string') {
        throw this.error(key, raw, 'is not a string (ConfigMap values are strings)', `quote the value: ${key}: "${raw}"`);
      }
      const spec = KEYS[key];
      if (!spec) {
        if (SECRET_PATH_KEY.test(key)) {
          const problem = nonEmptyPath(raw);
          if (problem) throw this.error(key, raw, problem, 'write the item path in the secret store, e.g. "kubernetes/infra/cloudnative-pg/harbor"');
        } else {
          throw this.error(key, raw, 'is not a setting this library knows',
            `remove it or fix its name; known keys: ${Object.keys(KEYS).join(', ')} and CNPG_<NAME>_SECRET_PATH`);
        }
      } else if (!containsFluxVariable(raw)) {
        const problem = spec.check(raw);
        if (problem) throw this.error(key, raw, `(${spec.description}) ${problem}`, typeof spec.fix === 'string' ? spec.fix : spec.fix(raw));
      }
      this.data[key] = raw;
    }
  }

  /** The raw value of a key, as written in the ConfigMap. */
  public value(key: string): string | undefined {
    checkArgs('ClusterSettings.value', [key], this);
    return this.data[key];
  }

  /** The keys read (CNPG_* and EXTERNAL_SECRET_STORE), sorted. */
  public get keys(): string[] {
    return Object.keys(this.data).sort();
  }

  /** `CNPG_SHARED_CLUSTER_NAME`. */
  public get clusterName(): string | undefined {
    return this.str('CNPG_SHARED_CLUSTER_NAME');
  }

  /** `CNPG_INSTANCES`. */
  public get instances(): number | undefined {
    return this.num('CNPG_INSTANCES');
  }

  /** `CNPG_POSTGRES_VERSION` as an image. */
  public get postgres(): PostgresImage | undefined {
    const v = this.data.CNPG_POSTGRES_VERSION;
    if (v === undefined) return undefined;
    if (this.mode === SettingsMode.FLUX_VARIABLES) {
      return PostgresImage.fromImageName(PostgresImage.version(fluxReference('CNPG_POSTGRES_VERSION')).imageName, Number(v.split('.')[0]));
    }
    return PostgresImage.version(v);
  }

  /** `CNPG_STORAGE_CLASS`. */
  public get storageClass(): string | undefined {
    return this.str('CNPG_STORAGE_CLASS');
  }

  /** `CNPG_DATA_SIZE`. */
  public get dataSize(): Quantity | undefined {
    const v = this.str('CNPG_DATA_SIZE');
    return v === undefined ? undefined : Quantity.of(v);
  }

  /** `CNPG_WAL_SIZE`. */
  public get walSize(): Quantity | undefined {
    const v = this.str('CNPG_WAL_SIZE');
    return v === undefined ? undefined : Quantity.of(v);
  }

  /**
   * Synchronous replication from `CNPG_SYNC_METHOD`, `CNPG_SYNC_NUMBER`,
   * `CNPG_SYNC_MAX_STANDBYS` and `CNPG_DATA_DURABILITY` (undefined when `CNPG_SYNC_METHOD` is unset).
   */
  public get replication(): SynchronousReplication | undefined {
    const method = this.data.CNPG_SYNC_METHOD;
    if (method === undefined) return undefined;
    if (containsFluxVariable(method)) {
      throw this.error('CNPG_SYNC_METHOD', method, 'is a variable', 'write "any" or "first" in the ConfigMap');
    }
    const options = {
      number: this.num('CNPG_SYNC_NUMBER'),
      maxStandbyNamesFromCluster: this.num('CNPG_SYNC_MAX_STANDBYS'),
      dataDurability: this.data.CNPG_DATA_DURABILITY as DataDurability | undefined,
    };
    return method === SynchronousMethod.FIRST ? SynchronousReplication.first(options) : SynchronousReplication.any(options);
  }

  /**
   * `EXTERNAL_SECRET_STORE`, as a ClusterSecretStore. Always the value, also in Flux mode: the
   * ExternalSecret CRD restricts the store name to a DNS subdomain, so a `${VAR}` would not pass
   * the schema before Flux runs.
   */
  public get secretStore(): SecretStoreReference | undefined {
    const name = this.data.EXTERNAL_SECRET_STORE;
    if (name === undefined) return undefined;
    if (containsFluxVariable(name)) {
      throw this.error('EXTERNAL_SECRET_STORE', name, 'is a variable, but the ExternalSecret schema needs the store name itself', 'write the store name in the ConfigMap');
    }
    return { name, kind: SecretStoreKind.CLUSTER_SECRET_STORE };
  }

  /** `CNPG_BACKUP_BUCKET`. */
  public get backupBucket(): string | undefined {
    return this.str('CNPG_BACKUP_BUCKET');
  }

  /** `CNPG_BACKUP_SCHEDULE`. */
  public get backupSchedule(): string | undefined {
    return this.str('CNPG_BACKUP_SCHEDULE');
  }

  /** `CNPG_BACKUP_RETENTION`. */
  public get backupRetention(): string | undefined {
    return this.str('CNPG_BACKUP_RETENTION');
  }

  /** `CNPG_MINIO_ENDPOINT_URL`. */
  public get backupEndpointUrl(): string | undefined {
    return this.str('CNPG_MINIO_ENDPOINT_URL');
  }

  /** `CNPG_MINIO_SECRET_PATH`. */
  public get backupCredentialsPath(): string | undefined {
    return this.str('CNPG_MINIO_SECRET_PATH');
  }

  /** `CNPG_SUPERUSER_SECRET_PATH`. */
  public get superuserSecretPath(): string | undefined {
    return this.str('CNPG_SUPERUSER_SECRET_PATH');
  }

  /** `CNPG_POOLER_REPLICAS`. */
  public get poolerReplicas(): number | undefined {
    return this.num('CNPG_POOLER_REPLICAS');
  }

  /** `CNPG_OPERATOR_VERSION` (the cloudnative-pg Helm chart version), verbatim. */
  public get operatorChartVersion(): string | undefined {
    return this.data.CNPG_OPERATOR_VERSION;
  }

  /**
   * The CloudNativePG release the platform runs, derived from `CNPG_OPERATOR_VERSION` (the
   * cloudnative-pg Helm chart version: "0.26.1" ships operator 1.27.1, so 1.27). Undefined when the
   * key is unset; an error when it is a Flux variable or a chart of an unsupported release.
   */
  public get operatorVersion(): CnpgVersion | undefined {
    const v = this.data.CNPG_OPERATOR_VERSION;
    if (v === undefined) return undefined;
    try {
      return CnpgVersion.fromHelmChart(v);
    } catch (e) {
      // The version check's own problem and fix, without its prefix (`CnpgVersion.fromHelmChart:
      // chartVersion = "…"`) and its hint about the field's name in Python and Go.
      const [, problem, fix] = /^[^:]*: chartVersion = "[^"]*" (.*)\. Fix: (.*?)(?: \(the field is [^)]*\))?$/s.exec((e as Error).message)!;
      throw this.error('CNPG_OPERATOR_VERSION', v, `cannot give the operator release: ${problem}`, `${fix} (on the cluster)`);
    }
  }

  /**
   * The secret path of an application's credentials, `CNPG_<APP>_SECRET_PATH`
   * (e.g. `CNPG_HARBOR_SECRET_PATH` for `harbor`).
   */
  public applicationSecretPath(application: string): string | undefined {
    checkArgs('ClusterSettings.applicationSecretPath', [application], this);
    return this.str(`CNPG_${application.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET_PATH`);
  }

  private str(key: string): string | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    if (this.mode !== SettingsMode.FLUX_VARIABLES) return v;
    // Flux substitutes `${KEY}` as text into the YAML, unquoted: a value that YAML reads as
    // anything but this very string ("0", "true", "null", "1e3", "a #b", "@daily") would reach
    // the API server as a number, boolean, null or another string, or not parse at all.
    if (!containsFluxVariable(v) && readsAsSomethingElse(v)) {
      throw this.error(key, v, 'would not reach the manifests as this text: Flux substitutes ${' + key + '} unquoted, and YAML reads it as something else',
        'use a value that reads as plain text (e.g. a name that starts with a letter), or SettingsMode.VALUES, which writes the value quoted');
    }
    return fluxReference(key);
  }

  private num(key: string): number | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    if (containsFluxVariable(v)) {
      throw this.error(key, v, 'is a variable, but the manifests need a number here', 'write the number in the ConfigMap');
    }
    return Number(v);
  }

  private error(key: string, value: unknown, problem: string, fix: string): Error {
    return invalidInput(`ClusterSettings(${this.source})`, key, value, problem, fix);
  }
}

/**
 * False when the unquoted text reads back as exactly this string in Flux's post-build
 * substitution. kustomize-controller substitutes `${KEY}` into the YAML text and reads the result
 * with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1: `yes`, `on`, `y`, `off`, `n` are booleans, `1_000`
 * and `0b101` numbers; fluxcd/pkg/kustomize v1.41.0, measured in test/integ/flux-values.test.ts).
 * A value must read as itself under YAML 1.1 and 1.2 both: a few that go-yaml v2 keeps but YAML
 * 1.1 turns into a number or date (`1:20`, `2001-01-01`) are refused too, which errs on the safe
 * side.
 */
function readsAsSomethingElse(text: string): boolean {
  // Plain words, paths and names read as themselves, but for YAML 1.1's booleans and nulls.
  if (/^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(text) && !YAML_11_WORDS.has(text)) return false;
  try {
    // `v: <text>` reads as a map or not at all (anything else would throw below, refused alike).
    // Warnings (an unknown tag such as `!x`, read as an empty string as go-yaml does) are not
    // logged: the value is refused with its own message, not a process warning.
    const read = (version: '1.1' | '1.2') => yaml().parse(`v: ${text}\n`, { version, logLevel: 'error' }).v;
    return read('1.1') !== text || read('1.2') !== text;
  } catch {
    return true;
  }
}

/**
 * The offsets of the keys that repeat an earlier key of their map, as the yaml package's
 * `uniqueKeys` check finds them in a parsed document (two scalar keys of the same value; no key
 * node belongs to two pairs): with a set of each map's scalar values, one pass instead of one
 * comparison per pair.
 */
function duplicateKeys(doc: import('yaml').Document.Parsed): number[] {
  const Y = yaml();
  const offsets: number[] = [];
  Y.visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // NaN is never === NaN, as the yaml package compares.
        if (!Y.isScalar(key) || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) offsets.push(key.range![0]); // every node of a parsed document has its range
        seen.add(key.value);
      }
    },
  });
  return offsets;
}

/** The words YAML 1.1 reads as booleans or null. */
const YAML_11_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL']);
