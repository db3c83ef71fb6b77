import { Construct } from 'constructs';
import { DatabaseExtension, DatabaseReclaimPolicy, DatabaseSchema } from './database-objects';
import { DatabaseOptions, renderDatabaseOptions } from './database-options';
import { ApplicationProfile } from './profile';
import type { SchemaProblem } from '../checks/schema';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { missingPreload } from '../cluster/extensions';
import { renderRoleAttributes, RoleAttributes } from '../cluster/roles';
import { crdEnum, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { ServiceEndpoint, SslMode } from '../common/service-endpoint';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import type * as cnpgdb from '../imports/cnpg-database-postgresql.cnpg.io';
import { DATABASE_SPEC } from '../imports/json-names';
import { PoolMode, PreparedStatementUse } from '../pooler/pgbouncer-parameters';
import { emptyScrapers, PgBouncerPooler, PoolerOptions, PoolerType } from '../pooler/pgbouncer-pooler';
import { Credentials } from '../secrets/credentials';
import { ExternalSecretSync } from '../secrets/external-secret';

/** Roles CloudNativePG reserves for itself. */
const RESERVED_ROLES = ['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer'];
/** Databases an application must not take. */
const RESERVED_DATABASES = ['postgres', 'template0', 'template1'];
/**
 * Names a pg_hba rule reads as keywords (a role or database named so would match every role or
 * database there), and PgBouncer's admin console database.
 */
const HBA_KEYWORDS = ['all', 'sameuser', 'samerole', 'samegroup', 'replication'];
const PGBOUNCER_CONSOLE = 'pgbouncer';
/** A PostgreSQL identifier this library writes unquoted. */
const PG_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** An extension name (`uuid-ossp` has a dash). */
const EXTENSION_NAME = /^[a-z_][a-z0-9_-]{0,62}$/;

/** Where an application's credentials come from in the secret store. */
export interface ApplicationCredentials {
  /**
   * The item's path in the store, e.g. `kubernetes/infra/cloudnative-pg/harbor`.
   *
   * @default - the settings' `CNPG_<APP>_SECRET_PATH`
   */
  readonly remoteKey?: string;
  /**
   * The item's field holding the user name. Its value must be the role's name (CloudNativePG
   * checks it).
   *
   * @default 'username'
   */
  readonly usernameProperty?: string;
  /**
   * The item's field holding the password.
   *
   * @default 'password'
   */
  readonly passwordProperty?: string;
  /**
   * The Kubernetes Secret to create (`kubernetes.io/basic-auth`, in the cluster's namespace).
   *
   * @default `<app>-db-credentials`
   */
  readonly secretName?: string;
}

/** Props of {@link CnpgSharedCluster.addApplication}. */
export interface ApplicationProps {
  /**
   * The application's defaults: pool mode, prepared statements, extensions, pool sizes.
   *
   * @default ApplicationProfile.GENERIC
   */
  readonly profile?: ApplicationProfile;
  /**
   * The PostgreSQL role (login, no superuser/createdb/createrole/replication/bypassrls).
   *
   * Lower-case letters, digits and `_`, starting with a letter or `_`, at most 63 characters.
   * PostgreSQL also allows `$` after the first character; this library refuses it, so that the
   * name reads the same unquoted in SQL, pg_hba rules, PgBouncer's configuration and manifests
   * that Flux substitutes (`$` starts a variable there). The pg_hba keywords (`all`, `sameuser`,
   * `samerole`, `samegroup`, `replication`) and `pgbouncer` (PgBouncer's admin console) are
   * refused too: in a pg_hba rule the keyword would reach every role or database.
   *
   * @default - the application's name, with "-" as "_"
   */
  readonly roleName?: string;
  /**
   * The database, owned by the role. The same rules as `roleName` apply.
   *
   * @default - the application's name, with "-" as "_"
   */
  readonly databaseName?: string;
  /**
   * The role's connection limit on each instance (PostgreSQL `CONNECTION LIMIT`); must leave room
   * for every pool of the application's poolers.
   *
   * @default - no limit (-1): the poolers' pool sizes bound the role
   */
  readonly connectionLimit?: number;
  /**
   * Where the password comes from in the secret store.
   *
   * @default - the settings' `CNPG_<APP>_SECRET_PATH`, properties `username` and `password`
   * @deprecated use `login: Credentials.fromSecretStore(remoteKey, { usernameProperty, passwordProperty, secretName })`,
   * which also takes an existing Secret (`Credentials.fromSecret`)
   */
  readonly credentials?: ApplicationCredentials;
  /**
   * Extensions besides the profile's (same name: this one wins).
   *
   * @default - only the profile's
   */
  readonly extensions?: DatabaseExtension[];
  /**
   * Schemas the operator creates in the database.
   *
   * @default - none (only `public`)
   */
  readonly schemas?: DatabaseSchema[];
  /**
   * What happens to the database when its `Database` resource is deleted.
   *
   * @default DatabaseReclaimPolicy.RETAIN
   */
  readonly databaseReclaimPolicy?: DatabaseReclaimPolicy;
  /**
   * The pool mode.
   *
   * @default - the profile's
   */
  readonly poolMode?: PoolMode;
  /**
   * Run a profile that requires session mode (Keycloak) in transaction mode anyway: only once you
   * have checked that the application keeps no session state.
   *
   * @default false
   */
  readonly overrideSessionRequirement?: boolean;
  /**
   * How the application prepares statements (e.g. NONE once the driver's preparing is off).
   *
   * @default - the profile's
   */
  readonly preparedStatements?: PreparedStatementUse;
  /**
   * The read-write pooler's settings (parameters are merged over the profile's).
   *
   * @default - the profile's parameters, 3 replicas (or `CNPG_POOLER_REPLICAS`)
   */
  readonly pooler?: PoolerOptions;
  /**
   * Also a read-only pooler (`<app>-pooler-ro`, to the standbys), with the same settings.
   *
   * @default false
   */
  readonly readOnlyPooler?: boolean;
  /**
   * The namespaces of the application's pods: the only ones the NetworkPolicy lets reach its
   * poolers.
   *
   * @default - a namespace named like the application
   */
  readonly clientNamespaces?: string[];
  /**
   * The namespaces allowed to scrape the poolers' metrics (9127). An empty list is refused (in a
   * NetworkPolicy rule it would admit every source): leave it unset for any namespace.
   *
   * @default - any namespace
   */
  readonly scraperNamespaces?: string[];
  /**
   * Write the poolers' NetworkPolicy.
   *
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * The Kubernetes API server's address ranges, for the poolers' egress rule.
   *
   * @default ['0.0.0.0/0', '::/0'] (ports 443 and 6443 only)
   */
  readonly apiServerCidrs?: string[];
  /**
   * Where the role's user name and password come from: the secret store
   * (`Credentials.fromSecretStore`, an ExternalSecret the library writes), or a
   * `kubernetes.io/basic-auth` Secret that exists in the cluster's namespace
   * (`Credentials.fromSecret`: a plain Secret, SOPS, Sealed Secrets), whose `username` is the
   * role's name.
   *
   * @default - the settings' `CNPG_<APP>_SECRET_PATH` in the secret store (or `credentials`)
   */
  readonly login?: Credentials;
  /**
   * The role's attributes beyond login and password (membership in other roles, expiry,
   * privileges, comment). Every privilege is off unless given.
   *
   * @default - a plain login role: no CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS
   */
  readonly role?: RoleAttributes;
  /**
   * How the operator creates the database (encoding, locale, template, tablespace, owner, ...).
   *
   * @default - the template's encoding and locale, owned by the application's role
   */
  readonly database?: DatabaseOptions;
  /**
   * A pooler the application shares with others (`cluster.addSharedPooler`), instead of one of
   * its own: its database and role join the pooler's pg_hba (this role reaches this database
   * only), its pools join the connection budget, its `clientNamespaces` join the pooler's
   * NetworkPolicy. `pooler`, `readOnlyPooler`, `networkPolicy`, `scraperNamespaces` and
   * `apiServerCidrs` are the shared pooler's then.
   *
   * @default - a pooler of its own (`<app>-pooler`)
   */
  readonly sharedPooler?: PgBouncerPooler;
}

/** Props of {@link CnpgApplication}. */
export interface CnpgApplicationProps extends ApplicationProps {
  /** The shared cluster. */
  readonly cluster: ICnpgCluster;
  /**
   * The application's name: a DNS-1035 label; objects are named `<name>-pooler`,
   * `<name>-db-credentials`, `<name>`.
   */
  readonly name: string;
}

/**
 * One application on a shared cluster, from one call (`cluster.addApplication('harbor', {...})`):
 * its managed role and the ExternalSecret of its password, its `Database`, its pooler(s) with
 * PDB, PodMonitor and NetworkPolicy, checked against its profile and the cluster's connection
 * budget. Connection details come from the typed outputs, never from hand-written host names.
 */
export class CnpgApplication extends Construct {
  /** The application's name. */
  public readonly name: string;
  /** The profile used. */
  public readonly profile: ApplicationProfile;
  /** The pool mode. */
  public readonly poolMode: PoolMode;
  /** The PostgreSQL role. */
  public readonly roleName: string;
  /** The database. */
  public readonly databaseName: string;
  /** The `kubernetes.io/basic-auth` Secret with `username` and `password` (cluster namespace). */
  public readonly credentialsSecretName: string;
  /** The read-write pooler. */
  public readonly pooler: PgBouncerPooler;
  /** The read-only pooler, when requested. */
  public readonly readOnlyPooler?: PgBouncerPooler;
  /**
   * The `Database` as written, for escape hatches in the CRD's field names
   * (`app.database.addOverride('spec.connectionLimit', 50)`); checked at synth against the
   * targeted release's CRD.
   */
  public readonly database: CheckedApiObject;
  /** The ExternalSecret of the role's password as written, when it comes from the secret store. */
  public readonly credentials?: ExternalSecretSync;

  constructor(scope: Construct, id: string, props: CnpgApplicationProps) {
    checkArgs('new CnpgApplication', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    const hooks = clusterHooks(this, 'cluster', cluster);
    this.name = props.name;
    validateName(this, 'name', this.name, { startsWithLetter: true, suffixes: ['-pooler-ro', '-db-credentials'] });
    this.profile = props.profile ?? ApplicationProfile.GENERIC;
    this.poolMode = props.poolMode ?? this.profile.poolMode;
    if (this.poolMode === PoolMode.TRANSACTION && this.profile.requiresSessionMode && !props.overrideSessionRequirement) {
      throw invalidInput(this, 'poolMode', this.poolMode,
        `is not safe for the ${this.profile.name} profile (${this.profile.description ?? 'it relies on session state'}): transaction pooling hands its session state to other clients`,
        'keep PoolMode.SESSION, or set overrideSessionRequirement: true once you have checked the application keeps no session state');
    }

    const defaultName = this.name.replace(/-/g, '_');
    this.roleName = props.roleName ?? defaultName;
    this.databaseName = props.databaseName ?? defaultName;
    this.checkIdentifier('roleName', this.roleName, RESERVED_ROLES, props.roleName !== undefined);
    this.checkIdentifier('databaseName', this.databaseName, RESERVED_DATABASES, props.databaseName !== undefined);
    const connectionLimit = props.connectionLimit ?? -1;
    validateInteger(this, 'connectionLimit', connectionLimit, -1, 100_000, 'give -1 (no limit) or a positive number');
    if (props.scraperNamespaces !== undefined && props.scraperNamespaces.length === 0) throw emptyScrapers(this, 'scraperNamespaces');
    if (props.clientNamespaces !== undefined && props.clientNamespaces.length === 0 && (props.networkPolicy ?? true) && !props.sharedPooler) {
      throw invalidInput(this, 'clientNamespaces', [], 'is empty: the NetworkPolicy would let no application reach the pooler',
        `list the namespaces of the application's pods, or leave it unset for the namespace "${this.name}"`);
    }
    if (connectionLimit === 0) {
      throw invalidInput(this, 'connectionLimit', 0, 'lets the role open no connection at all', 'give -1 (no limit) or a positive number');
    }

    const labels = { ...cluster.commonLabels, 'app.kubernetes.io/part-of': this.name };

    // Credentials: a basic-auth Secret the managed role reads, from the store (an ExternalSecret)
    // or one that exists already.
    if (props.login !== undefined && props.credentials !== undefined) {
      throw invalidInput(this, 'login', 'Credentials', 'is given with the deprecated credentials', 'give only login: Credentials.fromSecretStore(remoteKey, {...}) or Credentials.fromSecret(name)');
    }
    let login = props.login;
    if (login === undefined) {
      const credentials = props.credentials ?? {};
      const remoteKey = credentials.remoteKey ?? cluster.settings?.applicationSecretPath(this.name);
      if (!remoteKey) {
        throw invalidInput(this, 'credentials.remoteKey', undefined,
          `is unset and the settings have no CNPG_${this.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET_PATH`,
          'give login: Credentials.fromSecretStore("<item path>") or Credentials.fromSecret("<existing Secret>"), or add the key to the cluster-settings');
      }
      login = Credentials.fromSecretStore(remoteKey, {
        usernameProperty: credentials.usernameProperty, passwordProperty: credentials.passwordProperty, secretName: credentials.secretName,
      });
    }
    const materialized = login._materialize(this, 'Credentials', {
      field: props.login ? 'login' : 'credentials',
      defaultSecretName: `${this.name}-db-credentials`,
      namespace: cluster.namespace,
      store: () => hooks._requireSecretStore(`application "${this.name}"`),
      // cnpg.io/reload: a rotated password reaches PostgreSQL at once, not at the next resync.
      secretLabels: { ...labels, 'app.kubernetes.io/component': 'credentials', 'cnpg.io/reload': 'true' },
      labels: { ...labels, 'app.kubernetes.io/component': 'credentials' },
      operatorGeneratedUnsupported: 'is not possible for an application role: the operator generates no password for a managed role',
    });
    this.credentialsSecretName = materialized.secretName!;
    this.credentials = materialized.externalSecret;

    hooks._addManagedRole({
      name: this.roleName,
      ensure: crdEnum<cnpg.ClusterSpecManagedRolesEnsure>('present'),
      login: true,
      connectionLimit,
      ...renderRoleAttributes(this, 'role', props.role, this.roleName, `application ${this.name} (cnpg-constructs)`),
      passwordSecret: { name: this.credentialsSecretName },
    });

    // The database, with the profile's extensions and the caller's.
    const extensions = new Map<string, DatabaseExtension>();
    for (const e of [...this.profile.extensions, ...(props.extensions ?? [])]) {
      if (!EXTENSION_NAME.test(e.name)) {
        throw invalidInput(this, 'extensions', e.name, 'is not an extension name', 'use the name of CREATE EXTENSION, e.g. "pg_trgm"');
      }
      extensions.set(e.name, e);
    }
    // An extension whose library must be preloaded fails at CREATE EXTENSION without it.
    const preloaded = hooks._preloadedExtensions();
    const parameters = hooks._postgresParameters();
    for (const e of extensions.values()) {
      const lib = missingPreload(e.name, preloaded.libraries, parameters);
      if (lib) {
        throw invalidInput(this, 'extensions', e.name, `does not work without the library ${lib} in shared_preload_libraries, which the cluster does not load (CREATE EXTENSION or its functions fail)`,
          `add it to the cluster: extensions: [${lib === 'pg_stat_statements' ? 'PostgresExtension.pgStatStatements()' : lib === 'pgaudit' ? 'PostgresExtension.pgAudit()' : lib === 'pg_cron' ? `PostgresExtension.pgCron({ databaseName: '${this.databaseName}' })` : lib === 'timescaledb' ? 'PostgresExtension.timescaleDb()' : `PostgresExtension.preload('${lib}')`}]`);
      }
      if (e.name === 'pg_cron' && (preloaded.cronDatabase ?? 'postgres') !== this.databaseName) {
        throw invalidInput(this, 'extensions', e.name, `can only be created in pg_cron's database (cron.database_name = ${preloaded.cronDatabase ?? 'postgres'}), not in ${this.databaseName}`,
          `set PostgresExtension.pgCron({ databaseName: '${this.databaseName}' }) on the cluster, or drop pg_cron from this application`);
      }
    }
    const schemas = props.schemas ?? [];
    const schemaNames = new Set<string>();
    for (const s of schemas) {
      this.checkIdentifier('schemas', s.name, ['public', 'pg_catalog', 'information_schema']);
      if (schemaNames.has(s.name)) throw invalidInput(this, 'schemas', s.name, 'is declared twice (the operator refuses it)', 'list each schema once');
      schemaNames.add(s.name);
    }
    const databaseOptions = renderDatabaseOptions(this, props.database, cluster.postgres.majorVersion);
    const owner = props.database?.owner ?? this.roleName;
    this.database = checkedObject(this, 'Database', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Database',
      metadata: { name: this.name, namespace: cluster.namespace, labels: { ...labels, 'app.kubernetes.io/component': 'database' } },
      release: () => cluster.operatorVersion.release,
      rules: [databaseRules],
      fields: {
        spec: toCrdJson({
          ...databaseOptions,
          cluster: { name: cluster.clusterName },
          name: this.databaseName,
          owner,
          databaseReclaimPolicy: (props.databaseReclaimPolicy ?? DatabaseReclaimPolicy.RETAIN) as string as cnpgdb.DatabaseSpecDatabaseReclaimPolicy,
          extensions: extensions.size ? [...extensions.values()].map((e) => ({ name: e.name, version: e.version, schema: e.schema })) : undefined,
          schemas: schemas.length ? schemas.map((s) => ({ name: s.name, owner: s.owner ?? this.roleName })) : undefined,
        }, DATABASE_SPEC),
      },
    });

    // The pooler(s): one of its own, or a shared one it joins.
    if (props.sharedPooler !== undefined) {
      this.pooler = this.joinSharedPooler(props, cluster, connectionLimit);
      return;
    }
    const poolerOptions = props.pooler ?? {};
    const common = {
      ...poolerOptions,
      cluster,
      application: this.name,
      poolMode: this.poolMode,
      clientPreparedStatements: props.preparedStatements ?? this.profile.preparedStatements,
      parameters: { ...this.profile.poolerParameters, ...(poolerOptions.parameters ?? {}) },
      allowedDatabases: [this.databaseName],
      allowedRoles: [this.roleName],
      labels: { 'app.kubernetes.io/part-of': this.name },
      networkPolicy: (props.networkPolicy ?? true) ? {
        clientNamespaces: props.clientNamespaces ?? [this.name],
        scraperNamespaces: props.scraperNamespaces,
        apiServerCidrs: props.apiServerCidrs,
      } : undefined,
    };
    this.pooler = new PgBouncerPooler(this, 'Pooler', { ...common, poolerName: `${this.name}-pooler`, type: PoolerType.READ_WRITE });
    if (props.readOnlyPooler && cluster.instances === 1) {
      throw invalidInput(this, 'readOnlyPooler', true, 'is set on a cluster of one instance: its -ro Service has no endpoints (there is no standby), so the read-only pooler could never connect',
        'leave readOnlyPooler unset (readers use the read-write pooler), or run the cluster with instances of 2 or more');
    }
    if (props.readOnlyPooler) {
      this.readOnlyPooler = new PgBouncerPooler(this, 'ReadOnlyPooler', { ...common, poolerName: `${this.name}-pooler-ro`, type: PoolerType.READ_ONLY });
    }

    // A role limit below what the pools can open makes PgBouncer fail with "too many connections
    // for role" under load. Each instance counts the role's connections separately.
    if (connectionLimit > 0) {
      const pools = [this.pooler, this.readOnlyPooler].filter((p): p is PgBouncerPooler => !!p)
        .map((p) => p.instances * ((p.serverConnectionsPerInstance ?? 1) - 1));
      this.checkConnectionLimit(connectionLimit, Math.max(...pools));
    }
  }

  /** The read-write pooler's Service: where the application connects. */
  public get endpoint(): ServiceEndpoint {
    return this.pooler.endpoint;
  }

  /** The read-only pooler's Service, when there is one. */
  public get readOnlyEndpoint(): ServiceEndpoint | undefined {
    return this.readOnlyPooler?.endpoint;
  }

  /**
   * The libpq URI of the application's database through its read-write pooler, without
   * credentials (they come from `credentialsSecretName`).
   *
   * @param sslMode default `verify-full` (the pooler's Service names are in its certificate)
   */
  public libpqUri(sslMode?: SslMode): string {
    checkArgs('CnpgApplication.libpqUri', [sslMode], this);
    return this.endpoint.libpqUri(this.databaseName, sslMode);
  }

  /**
   * The JDBC URL of the application's database through its read-write pooler, without credentials.
   *
   * @param sslMode default `verify-full`
   */
  public jdbcUrl(sslMode?: SslMode): string {
    checkArgs('CnpgApplication.jdbcUrl', [sslMode], this);
    return this.endpoint.jdbcUrl(this.databaseName, sslMode);
  }

  private joinSharedPooler(props: ApplicationProps, cluster: ICnpgCluster, connectionLimit: number): PgBouncerPooler {
    const shared = props.sharedPooler!;
    if (!(shared instanceof PgBouncerPooler)) {
      throw invalidInput(this, 'sharedPooler', shared, 'is not a pooler', 'pass the result of cluster.addSharedPooler(name, options)');
    }
    if (shared.namespace !== cluster.namespace || !shared.node.scopes.includes(cluster)) {
      throw invalidInput(this, 'sharedPooler', shared.poolerName, 'belongs to another cluster', 'share a pooler of this application\'s cluster');
    }
    for (const prop of ['pooler', 'readOnlyPooler', 'networkPolicy', 'scraperNamespaces', 'apiServerCidrs'] as const) {
      if (props[prop] !== undefined) {
        throw invalidInput(this, prop, props[prop], 'belongs to the shared pooler, which this application joins', `set it on cluster.addSharedPooler('${shared.poolerName}', {...}), or drop sharedPooler`);
      }
    }
    const canOverride = props.overrideSessionRequirement ?? false;
    const roleConnections = shared._admit(this, {
      application: this.name,
      database: this.databaseName,
      role: this.roleName,
      clientNamespaces: props.clientNamespaces ?? [this.name],
      poolMode: props.poolMode,
      requiresSessionMode: this.profile.requiresSessionMode,
      overrideSessionRequirement: canOverride,
      preparedStatements: props.preparedStatements ?? this.profile.preparedStatements,
      profile: this.profile.name,
    });
    (this as { poolMode: PoolMode }).poolMode = shared.poolMode;
    if (connectionLimit > 0) this.checkConnectionLimit(connectionLimit, roleConnections);
    return shared;
  }

  private checkConnectionLimit(connectionLimit: number, need: number): void {
    if (connectionLimit < need) {
      throw invalidInput(this, 'connectionLimit', connectionLimit,
        `is below the ${need} server connections the role's pools can open on one instance, so PgBouncer would get "too many connections for role" under load`,
        `raise it to at least ${need} (plus room for direct sessions), lower the pools, or leave it unset`);
    }
  }

  private checkIdentifier(field: string, value: string, reserved: string[], explicit = true): void {
    if (containsFluxVariable(value)) return;
    if (!PG_IDENTIFIER.test(value)) {
      throw invalidInput(this, field, value, 'is not a PostgreSQL identifier this library writes (lower-case letters, digits and "_", starting with a letter or "_", at most 63)',
        `use e.g. "${value.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z_]/, '_')}"`);
    }
    const suggestion = `app_${(explicit ? this.name.replace(/-/g, '_') : value)}`.slice(0, 63);
    const fix = explicit ? `give ${field} another name, e.g. "${suggestion}"` : `give ${field} explicitly, e.g. ${field}: "${suggestion}", or give the application another name`;
    const reachesHba = field === 'roleName' || field === 'databaseName';
    if (reachesHba && HBA_KEYWORDS.includes(value)) {
      throw invalidInput(this, field, value, `is a pg_hba keyword: the pooler's and the cluster's pg_hba rules would read it as ${value === 'all' ? 'every role or database' : `the keyword ${value}`}, not as this name`, fix);
    }
    if (reachesHba && value === PGBOUNCER_CONSOLE) {
      throw invalidInput(this, field, value, 'is the name of PgBouncer\'s admin console database: clients of the pooler would reach the console, not PostgreSQL', fix);
    }
    if (reserved.includes(value) || (field === 'roleName' && value.startsWith('pg_'))) {
      throw invalidInput(this, field, value, 'is reserved by PostgreSQL or CloudNativePG', fix);
    }
  }
}

/** The Database webhook's rules (validateExtensions, validateSchemas: no duplicates). */
function databaseRules(json: any): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const list of ['extensions', 'schemas'] as const) {
    const seen = new Set<string>();
    (Array.isArray(json?.spec?.[list]) ? json.spec[list] : []).forEach((e: any, i: number) => {
      if (typeof e?.name !== 'string') return;
      if (seen.has(e.name)) problems.push({ path: `spec.${list}[${i}].name`, value: e.name, problem: 'is declared twice (the operator refuses it)', fix: 'list each name once' });
      seen.add(e.name);
    });
  }
  return problems;
}
