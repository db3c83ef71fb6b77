import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * Extensions whose library must be in `shared_preload_libraries` before `CREATE EXTENSION` works
 * (or before the extension does anything): the library name of each.
 * @internal
 */
export const PRELOAD_LIBRARY_OF: Record<string, string> = {
  pg_stat_statements: 'pg_stat_statements',
  pgaudit: 'pgaudit',
  pg_cron: 'pg_cron',
  timescaledb: 'timescaledb',
  pg_squeeze: 'pg_squeeze',
  pg_wait_sampling: 'pg_wait_sampling',
  pg_stat_kcache: 'pg_stat_kcache',
  pg_qualstats: 'pg_qualstats',
  citus: 'citus',
};

/**
 * Extensions CloudNativePG preloads by itself as soon as one of their parameters is set
 * (`ManagedExtensions`, pkg/postgres/configuration.go): the parameter namespace of each.
 * @internal
 */
export const OPERATOR_MANAGED_LIBRARIES: Record<string, string> = {
  pg_stat_statements: 'pg_stat_statements.',
  pgaudit: 'pgaudit.',
  auto_explain: 'auto_explain.',
  pg_failover_slots: 'pg_failover_slots.',
};

/** What `pg_stat_statements` tracks. */
export enum StatementTracking {
  /** Top-level statements (the extension's default). */
  TOP = 'top',
  /** Nested statements too (inside functions). */
  ALL = 'all',
  /** Nothing (collection off). */
  NONE = 'none',
}

/** Options of {@link PostgresExtension.pgStatStatements}. */
export interface PgStatStatementsOptions {
  /**
   * `pg_stat_statements.max`: distinct statements kept.
   *
   * @default - the extension's 5000
   */
  readonly maxStatements?: number;
  /**
   * `pg_stat_statements.track`.
   *
   * @default - the extension's StatementTracking.TOP
   */
  readonly track?: StatementTracking;
  /**
   * `pg_stat_statements.track_utility`: also utility commands (DDL, VACUUM, ...).
   *
   * @default - the extension's true
   */
  readonly trackUtility?: boolean;
}

/** Options of {@link PostgresExtension.pgAudit}. */
export interface PgAuditOptions {
  /**
   * `pgaudit.log`: the statement classes logged, e.g. `['write', 'ddl', 'role']` (`read`, `write`,
   * `function`, `role`, `ddl`, `misc`, `misc_set`, `all`; `-x` excludes).
   *
   * @default ['ddl', 'role'] - schema and privilege changes, a common audit baseline
   */
  readonly log?: string[];
  /**
   * `pgaudit.log_catalog`: also statements that only touch the catalog (psql's `\d`).
   *
   * @default false - the catalog queries of tools and drivers would flood the log
   */
  readonly logCatalog?: boolean;
  /**
   * `pgaudit.log_parameter`: also the statements' parameters (may log secrets).
   *
   * @default - the extension's false
   */
  readonly logParameter?: boolean;
  /**
   * `pgaudit.log_relation`: one entry per relation of a statement.
   *
   * @default - the extension's false
   */
  readonly logRelation?: boolean;
}

/** Options of {@link PostgresExtension.autoExplain}. */
export interface AutoExplainOptions {
  /**
   * `auto_explain.log_min_duration`: plans of statements slower than this are logged.
   *
   * @default Duration.seconds(1)
   */
  readonly logMinDuration?: Duration;
  /**
   * `auto_explain.log_analyze`: actual row counts and times (measures every statement: costly).
   *
   * @default - the extension's false
   */
  readonly logAnalyze?: boolean;
}

/** Options of {@link PostgresExtension.pgCron}. */
export interface PgCronOptions {
  /**
   * `cron.database_name`: the one database whose `cron` schema holds the jobs; `CREATE EXTENSION
   * pg_cron` works only there (an application's database, or `postgres`).
   */
  readonly databaseName: string;
  /**
   * `cron.timezone` (pg_cron 1.5+).
   *
   * @default - the extension's GMT
   */
  readonly timezone?: string;
}

/** Options of {@link PostgresExtension.timescaleDb}. */
export interface TimescaleDbOptions {
  /**
   * `timescaledb.telemetry_level`: whether TimescaleDB reports usage to Timescale.
   *
   * @default false - no telemetry from a platform database
   */
  readonly telemetry?: boolean;
}

/** Options of {@link PostgresExtension.fromImage}. */
export interface ExtensionImageOptions {
  /**
   * The library to preload, when the extension needs one.
   *
   * @default - none
   */
  readonly sharedPreloadLibrary?: string;
  /**
   * Paths inside the image for `extension_control_path`.
   *
   * @default - the operator's `share`
   */
  readonly extensionControlPath?: string[];
  /**
   * Paths inside the image for `dynamic_library_path`.
   *
   * @default - the operator's `lib`
   */
  readonly dynamicLibraryPath?: string[];
  /**
   * Paths inside the image added to `LD_LIBRARY_PATH` (for extensions with system libraries,
   * e.g. PostGIS).
   *
   * @default - none
   */
  readonly ldLibraryPath?: string[];
}

/**
 * A PostgreSQL extension the instances load: its library in `shared_preload_libraries`, its
 * parameters, or its image (`spec.postgresql.extensions`, PostgreSQL 18 image volumes). The
 * database-level `CREATE EXTENSION` is an application's (the `extensions` option of
 * {@link CnpgSharedCluster.addApplication}); an application whose extension needs a preloaded
 * library the cluster does not load is an error.
 *
 * The image must contain the extension (CloudNativePG's standard images ship pg_stat_statements,
 * auto_explain, pgaudit and pg_failover_slots; pg_cron and TimescaleDB need an image that has
 * them, or an extension image).
 */
export class PostgresExtension {
  /**
   * `pg_stat_statements`: statistics of every statement (preloaded; the operator manages it).
   */
  public static pgStatStatements(options: PgStatStatementsOptions = {}): PostgresExtension {
    checkArgs('PostgresExtension.pgStatStatements', [options]);
    return new PostgresExtension('pg_stat_statements', ['pg_stat_statements'], (scope, field) => {
      const p: Record<string, string> = {};
      if (options.maxStatements !== undefined) p['pg_stat_statements.max'] = integer(scope, `${field}.maxStatements`, options.maxStatements, 100);
      if (options.track !== undefined) p['pg_stat_statements.track'] = options.track;
      if (options.trackUtility !== undefined) p['pg_stat_statements.track_utility'] = bool(options.trackUtility);
      return p;
    });
  }

  /**
   * `pgaudit`: audit logging of statement classes (preloaded; the operator manages it).
   */
  public static pgAudit(options: PgAuditOptions = {}): PostgresExtension {
    checkArgs('PostgresExtension.pgAudit', [options]);
    return new PostgresExtension('pgaudit', ['pgaudit'], (scope, field) => {
      const classes = options.log ?? ['ddl', 'role'];
      const known = ['read', 'write', 'function', 'role', 'ddl', 'misc', 'misc_set', 'all', 'none'];
      if (!classes.length) {
        throw invalidInput(scope, `${field}.log`, classes, 'lists no statement class', 'give e.g. ["ddl", "role"], or ["none"]');
      }
      for (const c of classes) {
        if (!known.includes(c.replace(/^-/, ''))) {
          throw invalidInput(scope, `${field}.log`, c, 'is not a pgaudit statement class', `use ${known.join(', ')} (a leading "-" excludes)`);
        }
      }
      const p: Record<string, string> = { 'pgaudit.log': classes.join(','), 'pgaudit.log_catalog': bool(options.logCatalog ?? false) };
      if (options.logParameter !== undefined) p['pgaudit.log_parameter'] = bool(options.logParameter);
      if (options.logRelation !== undefined) p['pgaudit.log_relation'] = bool(options.logRelation);
      return p;
    });
  }

  /**
   * `auto_explain`: logs the plans of slow statements (preloaded; the operator manages it).
   */
  public static autoExplain(options: AutoExplainOptions = {}): PostgresExtension {
    checkArgs('PostgresExtension.autoExplain', [options]);
    return new PostgresExtension('auto_explain', ['auto_explain'], (scope, field) => {
      const d = options.logMinDuration ?? Duration.seconds(1);
      let ms: number;
      try {
        // A fraction of a millisecond: cdk8s throws its own error ("must be a whole number of millis").
        ms = d.toMilliseconds();
      } catch {
        throw invalidInput(scope, `${field}.logMinDuration`, d.toHumanString(), 'is not a whole number of milliseconds', 'give e.g. Duration.seconds(1)');
      }
      const p: Record<string, string> = { 'auto_explain.log_min_duration': `${ms}ms` };
      if (options.logAnalyze !== undefined) p['auto_explain.log_analyze'] = bool(options.logAnalyze);
      return p;
    });
  }

  /**
   * `pg_cron`: cron jobs inside PostgreSQL (preloaded; `cron.database_name` names the database of
   * the jobs). Not in CloudNativePG's standard images.
   */
  public static pgCron(options: PgCronOptions): PostgresExtension {
    checkArgs('PostgresExtension.pgCron', [options]);
    return new PostgresExtension('pg_cron', ['pg_cron'], (scope, field) => {
      const db = options.databaseName;
      if (!containsFluxVariable(db) && !/^[a-z_][a-z0-9_]{0,62}$/.test(db)) {
        throw invalidInput(scope, `${field}.databaseName`, db, 'is not a database name', 'name the database that holds the jobs, e.g. an application\'s database');
      }
      const p: Record<string, string> = { 'cron.database_name': db };
      if (options.timezone !== undefined) {
        if (!/^[A-Za-z_+\-/0-9]+$/.test(options.timezone)) {
          throw invalidInput(scope, `${field}.timezone`, options.timezone, 'is not a time zone name', 'use e.g. "UTC" or "Europe/Berlin"');
        }
        p['cron.timezone'] = options.timezone;
      }
      return p;
    }, options.databaseName);
  }

  /**
   * TimescaleDB (preloaded, telemetry off by default). Needs an image that has it (e.g.
   * TimescaleDB's own), whose tag starts with the PostgreSQL version.
   */
  public static timescaleDb(options: TimescaleDbOptions = {}): PostgresExtension {
    checkArgs('PostgresExtension.timescaleDb', [options]);
    return new PostgresExtension('timescaledb', ['timescaledb'], () => ({
      'timescaledb.telemetry_level': options.telemetry ? 'basic' : 'off',
    }));
  }

  /**
   * Any library to preload, by its name (e.g. `pg_squeeze`, `pg_wait_sampling`); its
   * parameters go into `parameters.additional`.
   *
   * @param library the library's name in `shared_preload_libraries`
   */
  public static preload(library: string): PostgresExtension {
    checkArgs('PostgresExtension.preload', [library]);
    return new PostgresExtension(library, [library], () => ({}));
  }

  /**
   * An extension from its own image (`spec.postgresql.extensions`: an image volume mounted into
   * each instance), e.g. `ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie`. Needs PostgreSQL 18
   * (`extension_control_path`) and Kubernetes' `ImageVolume` feature (on by default from 1.35).
   *
   * @param name the extension's name (also its volume's, `_` as `-`)
   * @param imageReference the extension image, pinned
   */
  public static fromImage(name: string, imageReference: string, options: ExtensionImageOptions = {}): PostgresExtension {
    checkArgs('PostgresExtension.fromImage', [name, imageReference, options]);
    const libraries = options.sharedPreloadLibrary !== undefined ? [options.sharedPreloadLibrary] : [];
    return new PostgresExtension(name, libraries, () => ({}), undefined, { reference: imageReference, options });
  }

  /** The extension's name. */
  public readonly name: string;
  /** The libraries it adds to `shared_preload_libraries`. */
  public readonly sharedPreloadLibraries: string[];

  private readonly parametersOf: (scope: IConstruct, field: string) => Record<string, string>;
  private readonly cronDatabase?: string;
  private readonly image?: { reference: string; options: ExtensionImageOptions };

  private constructor(name: string, libraries: string[], parameters: (scope: IConstruct, field: string) => Record<string, string>,
    cronDatabase?: string, image?: { reference: string; options: ExtensionImageOptions }) {
    this.name = name;
    this.sharedPreloadLibraries = libraries;
    this.parametersOf = parameters;
    this.cronDatabase = cronDatabase;
    this.image = image;
  }

  /** @internal */
  public get _cronDatabase(): string | undefined {
    return this.cronDatabase;
  }

  /** @internal */
  public _parameters(scope: IConstruct, field: string): Record<string, string> {
    return this.parametersOf(scope, field);
  }

  /** @internal */
  public _image(scope: IConstruct, field: string, postgresMajor: number | undefined,
    catalog: boolean): cnpg.ClusterSpecPostgresqlExtensions | undefined {
    const img = this.image;
    if (!img) return undefined;
    if (!/^[a-z_][a-z0-9_-]{0,62}$/.test(this.name)) {
      throw invalidInput(scope, `${field}.name`, this.name, 'is not an extension name', 'use the extension\'s name, e.g. "pgvector"');
    }
    if (postgresMajor !== undefined && postgresMajor < 18) {
      throw invalidInput(scope, field, img.reference, `needs PostgreSQL 18 or newer (extension_control_path), but the cluster runs PostgreSQL ${postgresMajor}`,
        'use PostgreSQL 18 (e.g. PostgresImage.version("18.0")), or an image that contains the extension');
    }
    if (!img.reference && !catalog) {
      throw invalidInput(scope, `${field}.image`, img.reference, 'is required when the cluster uses no image catalog', 'give the extension image\'s reference');
    }
    if (img.reference && !containsFluxVariable(img.reference) && (!/[:@]/.test(img.reference.split('/').pop()!) || /:latest$/.test(img.reference))) {
      throw invalidInput(scope, `${field}.image`, img.reference, 'is not pinned to a tag or digest', 'give an explicit tag, e.g. ":0.8.1-18-trixie"');
    }
    const paths = (prop: string, list: string[] | undefined) => {
      list?.forEach((p, i) => {
        if (!p || p.startsWith('/') || p.split('/').includes('..')) {
          throw invalidInput(scope, `${field}.${prop}[${i}]`, p, 'is not a relative path inside the extension image', 'give e.g. "share" or "lib"');
        }
      });
      if (new Set(list ?? []).size !== (list ?? []).length) throw invalidInput(scope, `${field}.${prop}`, list, 'lists a path twice', 'give each path once');
      return list?.length ? [...list] : undefined;
    };
    return {
      name: this.name,
      image: img.reference ? { reference: img.reference } : undefined,
      extensionControlPath: paths('extensionControlPath', img.options.extensionControlPath),
      dynamicLibraryPath: paths('dynamicLibraryPath', img.options.dynamicLibraryPath),
      ldLibraryPath: paths('ldLibraryPath', img.options.ldLibraryPath),
    };
  }
}

function bool(v: boolean): string {
  return v ? 'on' : 'off';
}

function integer(scope: IConstruct, field: string, v: number, min: number): string {
  if (!Number.isInteger(v) || v < min) throw invalidInput(scope, field, v, `is not a whole number of at least ${min}`, `give e.g. ${Math.max(min, 5000)}`);
  return String(v);
}

/** The extension props of the cluster, as `spec()` renders them. @internal */
export interface ExtensionsInput {
  readonly extensions?: PostgresExtension[];
  readonly sharedPreloadLibraries?: string[];
}

/** What the extensions add to the Cluster. @internal */
export interface RenderedExtensions {
  readonly sharedPreloadLibraries: string[];
  readonly parameters: Record<string, string>;
  readonly images: cnpg.ClusterSpecPostgresqlExtensions[];
  /** `cron.database_name`, when pg_cron is loaded. */
  readonly cronDatabase?: string;
}

/**
 * The libraries, parameters and images of the cluster's extensions; a parameter an extension
 * sets and `parameters` sets too is an error.
 * @internal
 */
export function renderExtensions(scope: IConstruct, props: ExtensionsInput, parameters: Record<string, string>,
  postgresMajor: number | undefined, catalog: boolean): RenderedExtensions {
  const libraries: string[] = [];
  const addLibrary = (field: string, lib: string) => {
    if (!/^[A-Za-z0-9_$.-]+$/.test(lib)) {
      throw invalidInput(scope, field, lib, 'is not a library name', 'give the library\'s file name without extension, e.g. "pg_squeeze"');
    }
    if (!libraries.includes(lib)) libraries.push(lib);
  };
  const out: Record<string, string> = {};
  const images: cnpg.ClusterSpecPostgresqlExtensions[] = [];
  const names = new Set<string>();
  let cronDatabase: string | undefined;
  (props.extensions ?? []).forEach((e, i) => {
    const field = `extensions[${i}]`;
    if (!(e instanceof PostgresExtension)) {
      throw invalidInput(scope, field, e, 'is not a PostgresExtension', 'use a factory such as PostgresExtension.pgStatStatements()');
    }
    if (names.has(e.name)) throw invalidInput(scope, field, e.name, 'is given twice', 'give each extension once, with all its options');
    names.add(e.name);
    for (const lib of e.sharedPreloadLibraries) addLibrary(`${field}.sharedPreloadLibrary`, lib);
    for (const [k, v] of Object.entries(e._parameters(scope, field))) {
      if (parameters[k] !== undefined) {
        throw invalidInput(scope, `parameters.additional["${k}"]`, parameters[k], `is also set by the extension ${e.name}`, 'set it once: in the extension\'s options, or in parameters.additional without the option');
      }
      out[k] = v;
    }
    const image = e._image(scope, field, postgresMajor, catalog);
    if (image) images.push(image);
    if (e._cronDatabase !== undefined) cronDatabase = e._cronDatabase;
  });
  (props.sharedPreloadLibraries ?? []).forEach((lib, i) => addLibrary(`sharedPreloadLibraries[${i}]`, lib));
  const volumes = new Set<string>();
  for (const img of images) {
    const v = img.name.replace(/_/g, '-');
    if (volumes.has(v)) throw invalidInput(scope, 'extensions', img.name, 'gives the same volume name as another extension image ("_" becomes "-")', 'rename one of them');
    volumes.add(v);
  }
  // pg_cron preloaded without the extension: its database from the parameters (both at once are refused above).
  return { sharedPreloadLibraries: libraries, parameters: out, images, cronDatabase: cronDatabase ?? parameters['cron.database_name'] };
}

/**
 * Whether the cluster loads what a database extension needs: undefined when it does, else the
 * library to preload.
 * @internal
 */
export function missingPreload(extension: string, preloaded: string[], parameters: Record<string, string>): string | undefined {
  // Own keys only: an extension named like a member of Object.prototype (`constructor`) needs no library.
  const lib = Object.prototype.hasOwnProperty.call(PRELOAD_LIBRARY_OF, extension) ? PRELOAD_LIBRARY_OF[extension] : undefined;
  if (!lib || preloaded.includes(lib)) return undefined;
  const ns = OPERATOR_MANAGED_LIBRARIES[lib];
  if (ns && Object.keys(parameters).some((k) => k.startsWith(ns))) return undefined;
  return lib;
}
