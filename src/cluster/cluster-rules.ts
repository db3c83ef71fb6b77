import { OPERATOR_MANAGED_PARAMETERS } from './postgres-parameters';
import { clusterWebhookProblems, webhookPgBytes } from '../checks/cluster-rules';
import type { SchemaProblem } from '../checks/schema';
import { containsFluxVariable } from '../common/flux';
import { Quantity } from '../common/quantity';
import type { ObjectRule } from '../core/checked-api-object';

/**
 * The rules of CloudNativePG's Cluster admission webhook that the library knows (beside those of
 * src/checks/cluster-rules.ts, which the audit shares and the real webhooks test), applied to the
 * Cluster as written (typed props, then `addOverride`/`addJsonPatch`), so that an escape hatch
 * cannot write what the operator refuses: e.g. `addOverride('spec.postgresql.parameters.ssl',
 * 'off')` fails at synth as a typed parameter does. Each rule names the webhook function it
 * copies (internal/webhook/v1/cluster_webhook.go, cloudnative-pg v1.30.0); the typed props check
 * the same things earlier, with the prop's own name.
 *
 * Beside the webhook's rules, the library refuses a few deprecated fields it replaces (the
 * operator's PodMonitor and the legacy `minSyncReplicas`/`maxSyncReplicas`): see
 * `REFUSED_CLUSTER_FIELDS`.
 */

/** A field the library refuses in a Cluster as written, and why. @internal */
export interface RefusedField {
  /** The field's path (`spec.monitoring.enablePodMonitor`). */
  readonly field: string;
  /** Whether a value is refused (false and empty values are not). */
  readonly refused: (value: unknown) => boolean;
  readonly reason: string;
  readonly fix: string;
}

/**
 * Cluster fields the library refuses even through escape hatches, with the reason.
 * @internal
 */
export const REFUSED_CLUSTER_FIELDS: RefusedField[] = [
  {
    field: 'spec.monitoring.enablePodMonitor',
    refused: (v) => v === true,
    reason: 'is deprecated since CloudNativePG 1.30 (the webhook warns, a later release removes it), and the library writes its own PodMonitor (addMonitoring): both would scrape every instance twice',
    fix: 'use cluster.addMonitoring() (its podMonitor, relabelings and metricRelabelings options)',
  },
  {
    field: 'spec.monitoring.podMonitorRelabelings',
    refused: (v) => Array.isArray(v) && v.length > 0,
    reason: 'configures the deprecated operator-managed PodMonitor, which the library does not use',
    fix: 'give the relabelings to cluster.addMonitoring({ relabelings })',
  },
  {
    field: 'spec.monitoring.podMonitorMetricRelabelings',
    refused: (v) => Array.isArray(v) && v.length > 0,
    reason: 'configures the deprecated operator-managed PodMonitor, which the library does not use',
    fix: 'give the metric relabelings to cluster.addMonitoring({ metricRelabelings })',
  },
  {
    field: 'spec.minSyncReplicas',
    refused: (v) => typeof v === 'number' && v > 0,
    reason: 'is the legacy synchronous replication setting; the operator refuses it together with spec.postgresql.synchronous, which the library writes',
    fix: 'use the replication prop (SynchronousReplication.any({ number }))',
  },
  {
    field: 'spec.maxSyncReplicas',
    refused: (v) => typeof v === 'number' && v > 0,
    reason: 'is the legacy synchronous replication setting; the operator refuses it together with spec.postgresql.synchronous, which the library writes',
    fix: 'use the replication prop (SynchronousReplication.any({ number }))',
  },
];

/**
 * Pooler fields the library refuses even through escape hatches, with the reason.
 * @internal
 */
export const REFUSED_POOLER_FIELDS: RefusedField[] = [
  {
    field: 'spec.monitoring.enablePodMonitor',
    refused: (v) => v === true,
    reason: 'is deprecated since CloudNativePG 1.30 (the webhook warns), and the library writes the pooler\'s own PodMonitor: both would scrape every replica twice',
    fix: 'keep the library\'s PodMonitor (podMonitor, scrapeInterval), or turn it off with podMonitor: false and scrape the pooler some other way',
  },
  ...['podMonitorRelabelings', 'podMonitorMetricRelabelings'].map((f) => ({
    field: `spec.monitoring.${f}`,
    refused: (v: unknown) => Array.isArray(v) && v.length > 0,
    reason: 'configures the deprecated operator-managed PodMonitor, which the library does not use',
    fix: 'add the relabeling to the library\'s PodMonitor (pooler.podMonitor.addOverride(\'spec.podMetricsEndpoints.0.relabelings\', [...]))',
  })),
];

/**
 * The problems of the refused fields set in an object as written.
 * @internal
 */
export function refusedFieldProblems(json: any, refused: RefusedField[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const r of refused) {
    const value = r.field.split('.').reduce((n: any, k) => (n === undefined || n === null ? undefined : n[k]), json);
    // Every `refused` is false for an absent field (undefined).
    if (r.refused(value)) out.push({ path: r.field, value, problem: r.reason, fix: r.fix });
  }
  return out;
}

/** The webhook's `postgresParameterNameRegex`. */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
/** The first PostgreSQL major version CloudNativePG supports (validateConfiguration). */
const MIN_POSTGRES_MAJOR = 13;
/** Roles the operator reserves (pkg/postgres/roles.go IsRoleReserved). */
const RESERVED_ROLES = ['postgres', 'streaming_replica'];

/** The tag of an image reference (distribution/reference), or '' when there is none. @internal */
export function imageTag(reference: string): string {
  const noDigest = reference.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : '';
}

/**
 * The PostgreSQL version at the start of a tag, as the operator reads it (machinery
 * `version.FromTag`: `^(\d\.?)+`), or undefined when the tag does not start with one.
 * @internal
 */
export function tagVersion(tag: string): { major: number; minor?: number } | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(tag);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: m[2] === undefined ? undefined : Number(m[2]) };
}

/** PostgreSQL's boolean value as the operator reads it (pkg/postgres/booleans.go), or undefined. */
function pgBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['1', 'on', 'y', 'ye', 'yes', 't', 'tr', 'tru', 'true'].includes(v)) return true;
  if (['0', 'of', 'off', 'n', 'no', 'f', 'fa', 'fal', 'fals', 'false'].includes(v)) return false;
  return undefined;
}

function quantityBytes(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || containsFluxVariable(v)) return undefined;
  return Quantity.of(v).toNumber();
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The Cluster rules of the operator's webhook and the library's refusals, as `ObjectRule`s.
 * @internal
 */
export function clusterRules(): ObjectRule[] {
  return [clusterWebhookProblems, (json) => clusterProblems(json)];
}

/**
 * Every problem the known Cluster rules find in a Cluster as written.
 * @internal
 */
export function clusterProblems(json: any): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const add = (path: string, value: unknown, problem: string, fix: string) => problems.push({ path, value, problem, fix });
  const spec = json?.spec ?? {};
  const pg = spec.postgresql ?? {};
  const params: Record<string, unknown> = pg.parameters && typeof pg.parameters === 'object' ? pg.parameters : {};
  const instances = typeof spec.instances === 'number' ? spec.instances : 1;
  const annotations: Record<string, unknown> = json?.metadata?.annotations ?? {};

  // Library refusals.
  problems.push(...refusedFieldProblems(json, REFUSED_CLUSTER_FIELDS));

  // validateName: a DNS-1035 label of at most 50 characters.
  const name = json?.metadata?.name;
  if (typeof name === 'string' && !containsFluxVariable(name)) {
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 50) {
      add('metadata.name', name, 'is not a DNS-1035 label of at most 50 characters, which CloudNativePG requires of a Cluster\'s name', 'use e.g. "shared-postgres"');
    }
  }

  // validateConfiguration: parameter names, fixed parameters, wal_level, wal_log_hints, WAL sizes.
  for (const [key, value] of Object.entries(params)) {
    const at = `spec.postgresql.parameters.${key}`;
    if (!PARAMETER_NAME.test(key)) {
      add(at, value, 'is not a PostgreSQL parameter name (a GUC name, optionally namespaced with one dot)', 'use the parameter\'s PostgreSQL name, e.g. "log_min_duration_statement"');
    } else if (Object.prototype.hasOwnProperty.call(OPERATOR_MANAGED_PARAMETERS, key)) {
      const fix = key === 'shared_preload_libraries'
        ? 'list the libraries in the extensions or sharedPreloadLibraries props (spec.postgresql.shared_preload_libraries), not in the parameters'
        : `remove "${key}" from the parameters`;
      add(at, value, `cannot be set: ${key} is ${OPERATOR_MANAGED_PARAMETERS[key]} and CloudNativePG's webhook rejects it ("Can't set fixed configuration parameter")`, fix);
    }
  }
  const walLevel = str(params.wal_level);
  if (walLevel !== undefined && !containsFluxVariable(walLevel)) {
    if (!['logical', 'replica', 'minimal'].includes(walLevel)) {
      add('spec.postgresql.parameters.wal_level', walLevel, 'is not a wal_level the operator knows', 'use "replica" (the default) or "logical"');
    } else if (walLevel === 'minimal' && instances > 1) {
      add('spec.postgresql.parameters.wal_level', walLevel, 'cannot stream to standbys: the operator requires logical or replica with more than one instance or WAL archiving', 'use "replica" (the default) or "logical"');
    }
  }
  for (const key of ['hot_standby_feedback', 'sync_replication_slots', 'wal_log_hints']) {
    const v = str(params[key]);
    if (v === undefined || containsFluxVariable(v)) continue;
    const b = pgBoolean(v);
    if (b === undefined) {
      add(`spec.postgresql.parameters.${key}`, v, 'is not a PostgreSQL boolean', 'write "on" or "off"');
    } else if (key === 'wal_log_hints' && !b && instances > 1) {
      add(`spec.postgresql.parameters.${key}`, v, 'must be on with more than one instance (pg_rewind needs it to rejoin a former primary)', 'remove it (the operator turns it on)');
    }
  }
  // min_wal_size < max_wal_size < the WAL volume: clusterWebhookProblems (src/checks/cluster-rules.ts).

  // validateManagedExtensions: pg_failover_slots needs hot_standby_feedback and HA slots.
  if (Object.keys(params).some((k) => k.startsWith('pg_failover_slots.'))) {
    if (pgBoolean(String(params.hot_standby_feedback ?? 'off')) !== true) {
      add('spec.postgresql.parameters.hot_standby_feedback', params.hot_standby_feedback, 'must be on to use pg_failover_slots', 'set hot_standby_feedback to "on"');
    }
    if (spec.replicationSlots?.highAvailability?.enabled === false) {
      add('spec.replicationSlots.highAvailability.enabled', false, 'must be on to use pg_failover_slots', 'keep the high-availability replication slots on (the library\'s default)');
    }
  }

  // validateImageName (and the CRD's rule: imageName and imageCatalogRef are mutually exclusive).
  const image = str(spec.imageName);
  if (image !== undefined && spec.imageCatalogRef !== undefined) {
    add('spec.imageName', image, 'cannot be combined with spec.imageCatalogRef (CRD rule)', 'give either an image or a catalog (PostgresImage.fromImageCatalog)');
  }
  if (image && !containsFluxVariable(image)) {
    const tag = imageTag(image);
    // `latest` and a digest without a tag: clusterWebhookProblems (src/checks/cluster-rules.ts).
    if (tag !== 'latest' && tag !== '') {
      const v = tagVersion(tag);
      if (!v) {
        add('spec.imageName', image, `has the tag "${tag}", which does not start with a PostgreSQL version: CloudNativePG refuses it ("invalid version tag")`, 'use a tag that starts with the PostgreSQL version, e.g. "17.6-3.5" or "17.6-standard-bookworm"');
      } else if (v.major < MIN_POSTGRES_MAJOR) {
        add('spec.imageName', image, `runs PostgreSQL ${v.major}; CloudNativePG supports ${MIN_POSTGRES_MAJOR} or newer`, 'use PostgreSQL 13 or newer');
      }
    }
  }

  // validateConfiguration / validateSynchronousReplicaConfiguration / CRD rule on dataDurability.
  const sync = pg.synchronous;
  if (sync && typeof sync === 'object') {
    const pre = Array.isArray(sync.standbyNamesPre) ? sync.standbyNamesPre.length : 0;
    const post = Array.isArray(sync.standbyNamesPost) ? sync.standbyNamesPost.length : 0;
    if (typeof sync.number === 'number' && sync.number >= instances + pre + post) {
      add('spec.postgresql.synchronous.number', sync.number, `must be less than the instances (${instances}) plus the listed standby names (${pre + post}), which CloudNativePG requires`, `lower number to at most ${instances + pre + post - 1}, or raise instances`);
    }
    if (sync.dataDurability === 'preferred' && (pre || post)) {
      add('spec.postgresql.synchronous.dataDurability', 'preferred', 'cannot be combined with standbyNamesPre/standbyNamesPost (CRD rule)', 'drop the standby names or use "required"');
    }
    if ((spec.minSyncReplicas ?? 0) > 0 || (spec.maxSyncReplicas ?? 0) > 0) {
      add('spec.postgresql.synchronous', sync, 'cannot be combined with the legacy minSyncReplicas/maxSyncReplicas (the webhook refuses both)', 'remove minSyncReplicas and maxSyncReplicas');
    }
  }

  // validateResources: requests within limits; hugepages requests equal limits; shared_buffers fits.
  const requests: Record<string, unknown> = spec.resources?.requests ?? {};
  const limits: Record<string, unknown> = spec.resources?.limits ?? {};
  for (const res of ['cpu', 'memory', 'ephemeral-storage']) {
    const r = quantityBytes(requests[res]);
    const l = quantityBytes(limits[res]);
    if (r !== undefined && l !== undefined && r > l) {
      add(`spec.resources.requests.${res}`, requests[res], `is greater than the limit (${limits[res]}), which CloudNativePG refuses`, 'lower the request or raise the limit');
    }
  }
  const hugePages: Record<string, number> = {};
  for (const [res, v] of [...Object.entries(limits), ...Object.entries(requests)]) {
    if (!res.startsWith('hugepages-')) continue;
    const b = quantityBytes(v);
    if (b === undefined) continue;
    if (hugePages[res] !== undefined && hugePages[res] !== b) {
      add(`spec.resources.requests.${res}`, requests[res], `differs from its limit (${limits[res]}): Kubernetes and CloudNativePG require hugepages requests to equal the limits`, 'give the same quantity to both');
    }
    hugePages[res] ??= b;
  }
  const sharedBuffers = str(params.shared_buffers);
  const memory = quantityBytes(requests.memory);
  const sb = sharedBuffers !== undefined ? webhookPgBytes(sharedBuffers) : undefined;
  if (sb !== undefined && memory !== undefined && memory > 0 && sb > memory && !Object.values(hugePages).some((h) => sb <= h)) {
    add('spec.resources.requests.memory', requests.memory, `is lower than shared_buffers (${sharedBuffers}), which CloudNativePG refuses`, 'raise the memory request (or give hugepages that hold shared_buffers), or lower shared_buffers');
  }

  // validateCerts.
  const certs = spec.certificates;
  if (certs && typeof certs === 'object') {
    // serverAltDNSNames with a serverTLSSecret: clusterWebhookProblems (src/checks/cluster-rules.ts).
    if (certs.serverTLSSecret && !certs.serverCASecret) {
      add('spec.certificates.serverCASecret', undefined, 'is required with serverTLSSecret', 'name the Secret with the CA (ca.crt) that signed the server certificate');
    }
    if (certs.replicationTLSSecret && !certs.clientCASecret) {
      add('spec.certificates.clientCASecret', undefined, 'is required with replicationTLSSecret', 'name the Secret with the client CA');
    }
  }

  // validatePrimaryUpdateStrategy.
  if (spec.primaryUpdateStrategy === 'supervised' && instances === 1) {
    add('spec.primaryUpdateStrategy', 'supervised', 'is not allowed with a single instance (the webhook refuses it): there is no standby to switch over to', 'use "unsupervised", or raise instances');
  }

  // validateServiceAccountConfig.
  if (spec.serviceAccountName && spec.serviceAccountTemplate) {
    add('spec.serviceAccountName', spec.serviceAccountName, 'cannot be combined with serviceAccountTemplate (the webhook refuses both)', 'give either an existing ServiceAccount or a template for the operator\'s');
  }

  // validateHibernationAnnotation.
  const hibernation = annotations['cnpg.io/hibernation'];
  if (hibernation !== undefined && hibernation !== 'on' && hibernation !== 'off') {
    add('metadata.annotations["cnpg.io/hibernation"]', hibernation, 'must be "on" or "off" (the webhook refuses anything else)', 'use ClusterAnnotation.hibernate() for "on", or remove it');
  }

  // validateEnv: names the operator reserves.
  (Array.isArray(spec.env) ? spec.env : []).forEach((e: any, i: number) => {
    if (typeof e?.name === 'string' && reservedEnvironmentVariable(e.name)) {
      add(`spec.env[${i}].name`, e.name, 'is reserved for the operator (CNPG_*, PG*, POD_NAME, NAMESPACE, CLUSTER_NAME)', 'use another name');
    }
  });

  // validateTolerations.
  (Array.isArray(spec.affinity?.tolerations) ? spec.affinity.tolerations : []).forEach((t: any, i: number) => {
    for (const p of tolerationProblems(t)) add(`spec.affinity.tolerations[${i}]`, t, p.problem, p.fix);
  });

  // validateManagedServices.
  const services = spec.managed?.services;
  if (services && typeof services === 'object') {
    const disabled: unknown[] = Array.isArray(services.disabledDefaultServices) ? services.disabledDefaultServices : [];
    if (disabled.includes('rw')) {
      add('spec.managed.services.disabledDefaultServices', disabled, 'lists "rw": the read-write Service cannot be disabled', 'disable only "ro" or "r"');
    }
    const reserved = typeof name === 'string' ? ['rw', 'ro', 'r', 'any'].map((s) => `${name}-${s}`) : [];
    const seen = new Set<string>();
    (Array.isArray(services.additional) ? services.additional : []).forEach((s: any, i: number) => {
      const n = s?.serviceTemplate?.metadata?.name;
      const at = `spec.managed.services.additional[${i}]`;
      if (!n) add(`${at}.serviceTemplate.metadata.name`, n, 'is required for an additional Service', 'name the Service');
      // Only strings are reserved, and only strings are added to `seen`.
      if (reserved.includes(n)) add(`${at}.serviceTemplate.metadata.name`, n, 'is reserved for the operator\'s own Services', 'use another name');
      if (seen.has(n)) add(`${at}.serviceTemplate.metadata.name`, n, 'is used by two additional Services', 'give each Service its own name');
      if (typeof n === 'string') seen.add(n);
      if (s?.serviceTemplate?.spec?.selector && Object.keys(s.serviceTemplate.spec.selector).length) {
        add(`${at}.serviceTemplate.spec.selector`, s.serviceTemplate.spec.selector, 'is managed by the operator (from selectorType)', 'remove the selector; choose the instances with selectorType');
      }
    });
  }

  // validateManagedRoles.
  const roleNames = new Set<string>();
  (Array.isArray(spec.managed?.roles) ? spec.managed.roles : []).forEach((r: any, i: number) => {
    const at = `spec.managed.roles[${i}]`;
    if (typeof r?.name !== 'string') return;
    if (roleNames.has(r.name)) add(`${at}.name`, r.name, 'is declared twice', 'give each role one entry');
    roleNames.add(r.name);
    if (RESERVED_ROLES.includes(r.name) || r.name.startsWith('cnpg_')) add(`${at}.name`, r.name, 'is reserved for the operator', 'use another role name');
    if (typeof r.connectionLimit === 'number' && r.connectionLimit < -1) add(`${at}.connectionLimit`, r.connectionLimit, 'must be -1 (no limit) or positive', 'give -1 or a positive number');
    if (r.disablePassword === true && r.passwordSecret) add(`${at}.disablePassword`, true, 'cannot be combined with passwordSecret (the role both sets and disables a password)', 'drop one of them');
  });

  // validateTablespaceNames.
  const tablespaces = new Set<string>();
  (Array.isArray(spec.tablespaces) ? spec.tablespaces : []).forEach((t: any, i: number) => {
    if (typeof t?.name !== 'string') return;
    const n = t.name.toLowerCase();
    if (tablespaces.has(n)) add(`spec.tablespaces[${i}].name`, t.name, 'is declared twice (tablespace names are case-insensitive)', 'give each tablespace its own name');
    tablespaces.add(n);
    if (n.startsWith('pg_')) add(`spec.tablespaces[${i}].name`, t.name, 'starts with "pg_", which PostgreSQL reserves', 'use another name');
  });

  // validateExtensions (image volume extensions).
  const extensionVolumes = new Set<string>();
  (Array.isArray(pg.extensions) ? pg.extensions : []).forEach((e: any, i: number) => {
    const at = `spec.postgresql.extensions[${i}]`;
    if (typeof e?.name !== 'string' || !e.name) return;
    const volume = e.name.replace(/_/g, '-');
    if (extensionVolumes.has(volume)) add(`${at}.name`, e.name, 'is declared twice (or gives the same volume name: "_" becomes "-")', 'give each extension image its own name');
    extensionVolumes.add(volume);
    if (!spec.imageCatalogRef && !e.image?.reference) add(`${at}.image.reference`, undefined, 'is required when the cluster uses no image catalog', 'give the extension image\'s reference');
  });

  // validatePluginConfiguration: at most one WAL archiver, and not with barmanObjectStore.
  const archivers = (Array.isArray(spec.plugins) ? spec.plugins : []).filter((p: any) => p?.enabled !== false && p?.isWALArchiver === true);
  if (archivers.length > 1) add('spec.plugins', archivers.map((p: any) => p.name), 'enable more than one WAL archiver', 'keep one plugin with isWALArchiver: true');
  if (archivers.length && spec.backup?.barmanObjectStore) add('spec.plugins', archivers.map((p: any) => p.name), 'enable a WAL archiver plugin while spec.backup.barmanObjectStore is configured', 'use one backup method');

  // validateEphemeralVolumeSource.
  if (spec.ephemeralVolumeSource && spec.ephemeralVolumesSizeLimit?.temporaryData !== undefined) {
    add('spec.ephemeralVolumeSource', spec.ephemeralVolumeSource, 'conflicts with ephemeralVolumesSizeLimit.temporaryData', 'give only one of them');
  }

  // validateLDAP.
  const ldap = pg.ldap;
  if (ldap && typeof ldap === 'object') {
    if (!ldap.server) add('spec.postgresql.ldap.server', ldap.server, 'cannot be empty when other LDAP settings are given', 'name the LDAP server');
    if (ldap.bindAsAuth && ldap.bindSearchAuth) add('spec.postgresql.ldap', 'bindAsAuth and bindSearchAuth', 'cannot both be given', 'use bind+search or bind, not both');
  }

  return problems;
}

/** `IsReservedEnvironmentVariable` of pkg/postgres/environment.go. @internal */
export function reservedEnvironmentVariable(name: string): boolean {
  const n = name.toUpperCase();
  return n.startsWith('CNPG_') || n.startsWith('PG') || ['POD_NAME', 'NAMESPACE', 'CLUSTER_NAME'].includes(n);
}

/** `validateTolerations` for one toleration. @internal */
export function tolerationProblems(t: any): Array<{ problem: string; fix: string }> {
  const out: Array<{ problem: string; fix: string }> = [];
  if (!t || typeof t !== 'object') return out;
  const key = t.key ?? '';
  const operator = t.operator ?? '';
  if (key && !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
    out.push({ problem: `has the key "${key}", which is not a label name`, fix: 'use a taint key such as "dedicated" or "node-role.kubernetes.io/db"' });
  }
  if (!key && operator !== 'Exists') {
    out.push({ problem: 'has no key, so its operator must be Exists (matching every taint)', fix: 'give the taint\'s key, or operator Exists' });
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    out.push({ problem: 'sets tolerationSeconds, which only NoExecute taints take', fix: 'set effect NoExecute, or drop tolerationSeconds' });
  }
  if (operator === 'Exists' && t.value) {
    out.push({ problem: 'has a value with operator Exists', fix: 'drop the value, or use operator Equal' });
  } else if ((operator === 'Equal' || operator === '') && t.value !== undefined && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(String(t.value))) {
    out.push({ problem: `has the value "${t.value}", which is not a label value`, fix: 'use letters, digits, "-", "_" and "." (at most 63)' });
  } else if (!['Equal', 'Exists', ''].includes(operator)) {
    out.push({ problem: `has the operator "${operator}"`, fix: 'use Equal or Exists' });
  }
  if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
    out.push({ problem: `has the effect "${t.effect}"`, fix: 'use NoSchedule, PreferNoSchedule or NoExecute' });
  }
  return out;
}
