import { DatabaseExtension } from './database-objects';
import { invalidInput } from '../common/errors';
import { checkArgs } from '../core/prop-check';
import { PgBouncerParameters, PoolMode, PreparedStatementUse } from '../pooler/pgbouncer-parameters';

/** Props of {@link ApplicationProfile.custom}. */
export interface ApplicationProfileProps {
  /** A short name for messages and docs, e.g. `keycloak`. */
  readonly name: string;
  /** The pool mode the application is run with. */
  readonly poolMode: PoolMode;
  /** How the application's driver uses prepared statements. */
  readonly preparedStatements: PreparedStatementUse;
  /**
   * Whether the application relies on session state (session `SET`s, advisory locks held across
   * transactions, `LISTEN`, temporary tables, server-side prepared statements kept per
   * connection). Running such a profile in transaction mode is an error unless overridden.
   *
   * @default false
   */
  readonly requiresSessionMode?: boolean;
  /**
   * Extensions the application needs in its database.
   *
   * @default - none
   */
  readonly extensions?: DatabaseExtension[];
  /**
   * PgBouncer settings of the application's poolers (per replica).
   *
   * @default - PgBouncer's defaults
   */
  readonly poolerParameters?: PgBouncerParameters;
  /**
   * Why the profile is what it is (shown in docs).
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * Per-application defaults: pool mode, prepared-statement handling, database extensions and
 * pool sizes. Use a preset (`ApplicationProfile.KEYCLOAK`, ...) or `ApplicationProfile.custom()`.
 *
 * The pool sizes of the presets are the platform's hand-written poolers' (per replica); on a
 * shared cluster, the connection budget decides whether they fit.
 */
export class ApplicationProfile {
  /**
   * Keycloak (Quarkus, Hibernate, pgjdbc): session mode. Its long-lived JDBC connections keep
   * session state (pgjdbc switches to named server-side prepared statements after
   * `prepareThreshold` executions; session settings and locks taken by migrations), which
   * transaction pooling would hand to other clients.
   */
  public static readonly KEYCLOAK = new ApplicationProfile({
    name: 'keycloak',
    poolMode: PoolMode.SESSION,
    preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL,
    requiresSessionMode: true,
    poolerParameters: { maxClientConnections: 200, defaultPoolSize: 20, minPoolSize: 10, reservePoolSize: 5 },
    description: 'session mode: pgjdbc keeps named server-side prepared statements and session state per connection',
  });

  /**
   * Harbor (Go services): transaction mode with PgBouncer's prepared-statement tracking (Go
   * drivers such as pgx prepare and cache statements by default); `uuid-ossp` as the platform's
   * database had it.
   */
  public static readonly HARBOR = new ApplicationProfile({
    name: 'harbor',
    poolMode: PoolMode.TRANSACTION,
    preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL,
    extensions: [{ name: 'uuid-ossp' }],
    poolerParameters: { maxClientConnections: 200, defaultPoolSize: 15, minPoolSize: 5, reservePoolSize: 5 },
    description: 'transaction mode; Go drivers prepare statements, so max_prepared_statements > 0',
  });

  /**
   * GitLab (Rails): transaction mode with prepared-statement tracking (Rails' PostgreSQL adapter
   * prepares unless `prepared_statements: false`); `pg_trgm`, `btree_gist` and `amcheck`.
   */
  public static readonly GITLAB = new ApplicationProfile({
    name: 'gitlab',
    poolMode: PoolMode.TRANSACTION,
    preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL,
    extensions: [{ name: 'pg_trgm' }, { name: 'btree_gist' }, { name: 'amcheck' }],
    poolerParameters: { maxClientConnections: 300, defaultPoolSize: 25, minPoolSize: 10, reservePoolSize: 10 },
    description: 'transaction mode; Rails prepares statements unless told not to, so max_prepared_statements > 0',
  });

  /**
   * SynergyFlow (the platform's own service): transaction mode, assumed to prepare statements
   * (the default of JDBC and pgx drivers).
   */
  public static readonly SYNERGYFLOW = new ApplicationProfile({
    name: 'synergyflow',
    poolMode: PoolMode.TRANSACTION,
    preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL,
    poolerParameters: { maxClientConnections: 150, defaultPoolSize: 10, minPoolSize: 5, reservePoolSize: 5 },
    description: 'transaction mode; assumed to prepare statements, so max_prepared_statements > 0',
  });

  /**
   * Any application: session mode (every PostgreSQL feature works), protocol-level prepared
   * statements assumed, PgBouncer's pool sizes.
   */
  public static readonly GENERIC = new ApplicationProfile({
    name: 'generic',
    poolMode: PoolMode.SESSION,
    preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL,
    description: 'session mode: safe for any application',
  });

  /** A profile of your own, checked for consistency. */
  public static custom(props: ApplicationProfileProps): ApplicationProfile {
    checkArgs('ApplicationProfile.custom', [props]);
    const where = `ApplicationProfile.custom(${JSON.stringify(props.name)})`;
    if (!/^[a-z][a-z0-9-]*$/.test(props.name ?? '')) {
      throw invalidInput(where, 'name', props.name, 'is not a short lower-case name', 'use e.g. "billing"');
    }
    if (props.poolMode === PoolMode.TRANSACTION && props.requiresSessionMode) {
      throw invalidInput(where, 'poolMode', props.poolMode, 'contradicts requiresSessionMode: true', 'use PoolMode.SESSION, or drop requiresSessionMode');
    }
    if (props.poolMode === PoolMode.TRANSACTION && props.preparedStatements === PreparedStatementUse.SQL_LEVEL) {
      throw invalidInput(where, 'poolMode', props.poolMode, 'cannot serve SQL-level PREPARE/EXECUTE (PgBouncer does not track them in transaction mode)',
        'use PoolMode.SESSION');
    }
    return new ApplicationProfile(props);
  }

  /** The profile's name. */
  public readonly name: string;
  /** The pool mode. */
  public readonly poolMode: PoolMode;
  /** How the driver uses prepared statements. */
  public readonly preparedStatements: PreparedStatementUse;
  /** Whether the application needs session mode. */
  public readonly requiresSessionMode: boolean;
  /** Extensions of the database. */
  public readonly extensions: DatabaseExtension[];
  /** PgBouncer settings of the poolers. */
  public readonly poolerParameters: PgBouncerParameters;
  /** Why the profile is what it is. */
  public readonly description?: string;

  private constructor(props: ApplicationProfileProps) {
    this.name = props.name;
    this.poolMode = props.poolMode;
    this.preparedStatements = props.preparedStatements;
    this.requiresSessionMode = props.requiresSessionMode ?? false;
    this.extensions = [...(props.extensions ?? [])];
    this.poolerParameters = { ...(props.poolerParameters ?? {}) };
    this.description = props.description;
  }
}
