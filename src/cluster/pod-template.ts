import { IConstruct } from 'constructs';
import { reservedEnvironmentVariable } from './cluster-rules';
import { crdValue } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { Quantity } from '../common/quantity';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/** When the kubelet pulls a container's image (Kubernetes' `imagePullPolicy`). */
export enum ImagePullPolicy {
  /** Pull on every start: a moved tag is picked up (and every start needs the registry). */
  ALWAYS = 'Always',
  /** Pull only when the node lacks the image (Kubernetes' default for a pinned tag). */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never pull: the image must be on the node already. */
  NEVER = 'Never',
}

/** The log level of the instance manager and PostgreSQL's logs (`spec.logLevel`). */
export enum InstanceLogLevel {
  /** Errors only. */
  ERROR = 'error',
  /** Warnings and errors. */
  WARNING = 'warning',
  /** CloudNativePG's default. */
  INFO = 'info',
  /** Debugging output. */
  DEBUG = 'debug',
  /** Everything (very verbose). */
  TRACE = 'trace',
}

/** The value of an environment variable of the instances (`spec.env`). */
export class EnvironmentValue {
  /** A literal value. */
  public static value(value: string): EnvironmentValue {
    checkArgs('EnvironmentValue.value', [value]);
    return new EnvironmentValue({ value });
  }

  /**
   * A key of a Secret in the cluster's namespace (e.g. a token for an extension).
   *
   * @param secretName the Secret
   * @param key its key
   */
  public static fromSecret(secretName: string, key: string): EnvironmentValue {
    checkArgs('EnvironmentValue.fromSecret', [secretName, key]);
    return new EnvironmentValue({ valueFrom: { secretKeyRef: { name: secretName, key } } }, secretName, key);
  }

  /**
   * A key of a ConfigMap in the cluster's namespace.
   *
   * @param configMapName the ConfigMap
   * @param key its key
   */
  public static fromConfigMap(configMapName: string, key: string): EnvironmentValue {
    checkArgs('EnvironmentValue.fromConfigMap', [configMapName, key]);
    return new EnvironmentValue({ valueFrom: { configMapKeyRef: { name: configMapName, key } } }, configMapName, key);
  }

  /**
   * A field of the pod (the downward API), e.g. `spec.nodeName`.
   *
   * @param fieldPath the pod field
   */
  public static fromPodField(fieldPath: string): EnvironmentValue {
    checkArgs('EnvironmentValue.fromPodField', [fieldPath]);
    return new EnvironmentValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(
    private readonly rendered: { value?: string; valueFrom?: any },
    private readonly objectName?: string,
    private readonly key?: string,
  ) {}

  /** @internal */
  public _render(scope: IConstruct, field: string, name: string): cnpg.ClusterSpecEnv {
    if (this.objectName !== undefined) checkName(scope, `${field}.name`, this.objectName);
    if (this.key !== undefined && !/^[-._a-zA-Z0-9]+$/.test(this.key)) {
      throw invalidInput(scope, `${field}.key`, this.key, 'is not a Secret or ConfigMap key', 'use letters, digits, "-", "_" and "."');
    }
    return { name, ...this.rendered };
  }
}

/** A Secret or ConfigMap whose keys all become environment variables (`spec.envFrom`). */
export class EnvironmentSource {
  /**
   * Every key of a Secret in the cluster's namespace.
   *
   * @param secretName the Secret
   * @param prefix prepended to each key
   */
  public static secret(secretName: string, prefix?: string): EnvironmentSource {
    checkArgs('EnvironmentSource.secret', [secretName, prefix]);
    return new EnvironmentSource('secretRef', secretName, prefix);
  }

  /**
   * Every key of a ConfigMap in the cluster's namespace.
   *
   * @param configMapName the ConfigMap
   * @param prefix prepended to each key
   */
  public static configMap(configMapName: string, prefix?: string): EnvironmentSource {
    checkArgs('EnvironmentSource.configMap', [configMapName, prefix]);
    return new EnvironmentSource('configMapRef', configMapName, prefix);
  }

  private constructor(private readonly kind: 'secretRef' | 'configMapRef', private readonly objectName: string, private readonly prefix?: string) {}

  /** @internal */
  public _render(scope: IConstruct, field: string): cnpg.ClusterSpecEnvFrom {
    checkName(scope, field, this.objectName);
    if (this.prefix !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.prefix)) {
      throw invalidInput(scope, `${field}.prefix`, this.prefix, 'is not an environment variable prefix', 'use letters, digits and "_", e.g. "EXT_"');
    }
    if (this.prefix !== undefined && reservedEnvironmentVariable(this.prefix)) {
      throw invalidInput(scope, `${field}.prefix`, this.prefix, 'gives names the operator reserves (CNPG_*, PG*)', 'use another prefix');
    }
    return { [this.kind]: { name: this.objectName }, prefix: this.prefix };
  }
}

/** One key of a projected Secret or ConfigMap, and the file it becomes under `/projected`. */
export interface ProjectedItem {
  /** The key. */
  readonly key: string;
  /** The file's path, relative to `/projected` (no `..`). */
  readonly path: string;
}

/**
 * A Secret or ConfigMap projected into every instance under `/projected`
 * (`spec.projectedVolumeTemplate`), e.g. a certificate for an extension or LDAP.
 */
export class ProjectedVolume {
  /**
   * Keys of a Secret in the cluster's namespace.
   *
   * @param secretName the Secret
   * @param items the keys and their paths (default: every key, named after it)
   */
  public static secret(secretName: string, items?: ProjectedItem[]): ProjectedVolume {
    checkArgs('ProjectedVolume.secret', [secretName, items]);
    return new ProjectedVolume('secret', secretName, items);
  }

  /**
   * Keys of a ConfigMap in the cluster's namespace.
   *
   * @param configMapName the ConfigMap
   * @param items the keys and their paths (default: every key, named after it)
   */
  public static configMap(configMapName: string, items?: ProjectedItem[]): ProjectedVolume {
    checkArgs('ProjectedVolume.configMap', [configMapName, items]);
    return new ProjectedVolume('configMap', configMapName, items);
  }

  private constructor(private readonly kind: 'secret' | 'configMap', private readonly objectName: string, private readonly items?: ProjectedItem[]) {}

  /** @internal */
  public _render(scope: IConstruct, field: string): cnpg.ClusterSpecProjectedVolumeTemplateSources {
    checkName(scope, `${field}.name`, this.objectName);
    (this.items ?? []).forEach((item, i) => {
      if (!/^[-._a-zA-Z0-9]+$/.test(item.key)) {
        throw invalidInput(scope, `${field}.items[${i}].key`, item.key, 'is not a key', 'use letters, digits, "-", "_" and "."');
      }
      if (!item.path || item.path.startsWith('/') || item.path.split('/').includes('..')) {
        throw invalidInput(scope, `${field}.items[${i}].path`, item.path, 'is not a relative path inside /projected', 'give e.g. "ldap/ca.crt"');
      }
    });
    const items = this.items?.length ? this.items.map((i) => ({ key: i.key, path: i.path })) : undefined;
    return this.kind === 'secret'
      ? { secret: { name: this.objectName, items } }
      : { configMap: { name: this.objectName, items } };
  }
}

/** Labels and annotations of the ServiceAccount the operator creates for the cluster. */
export interface ServiceAccountMetadata {
  /**
   * Annotations, e.g. `eks.amazonaws.com/role-arn` (IRSA) or
   * `iam.gke.io/gcp-service-account` (GKE Workload Identity).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Labels.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Size limits of the instances' ephemeral volumes (`spec.ephemeralVolumesSizeLimit`).
 */
export interface EphemeralVolumes {
  /**
   * The shared memory volume (`/dev/shm`): parallel queries and large sorts use it.
   *
   * @default - no limit (the node's memory)
   */
  readonly sharedMemory?: Quantity;
  /**
   * The temporary data volume (`/controller`, temporary files of the instance manager).
   *
   * @default - no limit
   */
  readonly temporaryData?: Quantity;
}

/** The pod template props of the cluster, as `spec()` renders them. @internal */
export interface PodTemplateInput {
  readonly env?: { [name: string]: EnvironmentValue };
  readonly envFrom?: EnvironmentSource[];
  readonly projectedVolumes?: ProjectedVolume[];
  readonly serviceAccountMetadata?: ServiceAccountMetadata;
  readonly serviceAccountName?: string;
  readonly postgresUid?: number;
  readonly postgresGid?: number;
  readonly logLevel?: InstanceLogLevel;
  readonly imagePullPolicy?: ImagePullPolicy;
  readonly imagePullSecrets?: string[];
  readonly description?: string;
  readonly ephemeralVolumes?: EphemeralVolumes;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkName(scope: IConstruct, field: string, name: unknown): void {
  if (typeof name !== 'string' || (!containsFluxVariable(name) && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)))) {
    throw invalidInput(scope, field, name, 'is not the name of a Kubernetes object (a DNS-1123 subdomain)', 'give the object\'s name, e.g. "pg-extension-config"');
  }
}

/**
 * The Cluster fields of the pod template props: environment, projected volumes, ServiceAccount,
 * the postgres user's ids, log level, image pull settings, description.
 * @internal
 */
export function renderPodTemplate(scope: IConstruct, props: PodTemplateInput): Partial<cnpg.ClusterSpec> {
  const env = Object.entries(props.env ?? {}).map(([name, value]) => {
    const field = `env["${name}"]`;
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
      throw invalidInput(scope, field, name, 'is not an environment variable name', 'use letters, digits and "_", e.g. "TZ"');
    }
    if (reservedEnvironmentVariable(name)) {
      throw invalidInput(scope, field, name, 'is reserved for the operator (CNPG_*, PG*, POD_NAME, NAMESPACE, CLUSTER_NAME): CloudNativePG\'s webhook refuses it',
        'use another name; PostgreSQL settings go into parameters');
    }
    if (!(value instanceof EnvironmentValue)) {
      throw invalidInput(scope, field, value, 'is not an EnvironmentValue', 'use EnvironmentValue.value("..."), fromSecret(...) or fromConfigMap(...)');
    }
    return value._render(scope, field, name);
  });
  const envFrom = (props.envFrom ?? []).map((s, i) => {
    if (!(s instanceof EnvironmentSource)) {
      throw invalidInput(scope, `envFrom[${i}]`, s, 'is not an EnvironmentSource', 'use EnvironmentSource.secret(...) or configMap(...)');
    }
    return s._render(scope, `envFrom[${i}]`);
  });
  const sources = (props.projectedVolumes ?? []).map((v, i) => {
    if (!(v instanceof ProjectedVolume)) {
      throw invalidInput(scope, `projectedVolumes[${i}]`, v, 'is not a ProjectedVolume', 'use ProjectedVolume.secret(...) or configMap(...)');
    }
    return v._render(scope, `projectedVolumes[${i}]`);
  });
  const sa = props.serviceAccountMetadata;
  if (sa && props.serviceAccountName !== undefined) {
    throw invalidInput(scope, 'serviceAccountName', props.serviceAccountName, 'cannot be combined with serviceAccountMetadata (CloudNativePG\'s webhook refuses both)',
      'give either an existing ServiceAccount, or the metadata of the operator\'s');
  }
  if (props.serviceAccountName !== undefined) checkName(scope, 'serviceAccountName', props.serviceAccountName);
  for (const [field, id] of [['postgresUid', props.postgresUid], ['postgresGid', props.postgresGid]] as const) {
    if (id !== undefined && (!Number.isInteger(id) || id < 0 || id > 2 ** 31 - 1)) {
      throw invalidInput(scope, field, id, 'is not a Unix user or group id', 'give the id of the postgres user in the image (26 in CloudNativePG\'s images)');
    }
  }
  if (props.logLevel !== undefined && !Object.values(InstanceLogLevel).includes(props.logLevel)) {
    throw invalidInput(scope, 'logLevel', props.logLevel, 'is not a log level the CRD accepts', 'use InstanceLogLevel.INFO (the default), DEBUG, ...');
  }
  if (props.imagePullPolicy !== undefined && !Object.values(ImagePullPolicy).includes(props.imagePullPolicy)) {
    throw invalidInput(scope, 'imagePullPolicy', props.imagePullPolicy, 'is not an image pull policy', 'use ImagePullPolicy.IF_NOT_PRESENT, ALWAYS or NEVER');
  }
  (props.imagePullSecrets ?? []).forEach((s, i) => checkName(scope, `imagePullSecrets[${i}]`, s));
  const ev = props.ephemeralVolumes;
  for (const prop of ['sharedMemory', 'temporaryData'] as const) {
    const q = ev?.[prop];
    if (q === undefined) continue;
    if (!(q instanceof Quantity)) throw invalidInput(scope, `ephemeralVolumes.${prop}`, q, 'is not a Quantity', 'use e.g. Quantity.gibibytes(1)');
    q._validate(scope, `ephemeralVolumes.${prop}`);
  }
  return {
    env: env.length ? env : undefined,
    envFrom: envFrom.length ? envFrom : undefined,
    projectedVolumeTemplate: sources.length ? { sources } : undefined,
    serviceAccountTemplate: sa ? { metadata: { annotations: sa.annotations, labels: sa.labels } } : undefined,
    serviceAccountName: props.serviceAccountName,
    postgresUid: props.postgresUid,
    postgresGid: props.postgresGid,
    logLevel: props.logLevel as string as cnpg.ClusterSpecLogLevel | undefined,
    imagePullPolicy: props.imagePullPolicy,
    imagePullSecrets: props.imagePullSecrets?.length ? props.imagePullSecrets.map((name) => ({ name })) : undefined,
    description: props.description,
    ephemeralVolumesSizeLimit: ev && (ev.sharedMemory || ev.temporaryData) ? {
      shm: ev.sharedMemory ? crdValue<cnpg.ClusterSpecEphemeralVolumesSizeLimitShm>(ev.sharedMemory.value) : undefined,
      temporaryData: ev.temporaryData ? crdValue<cnpg.ClusterSpecEphemeralVolumesSizeLimitTemporaryData>(ev.temporaryData.value) : undefined,
    } : undefined,
  };
}
