import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import type * as cnpgdb from '../imports/cnpg-database-postgresql.cnpg.io';

/** The locale provider of a database (`Database.spec.localeProvider`). */
export enum LocaleProvider {
  /** The operating system's C library. */
  LIBC = 'libc',
  /** ICU (give `icuLocale`). */
  ICU = 'icu',
  /** PostgreSQL's built-in provider, PostgreSQL 17+ (give `builtinLocale`: `C` or `C.UTF-8`). */
  BUILTIN = 'builtin',
}

/**
 * How the operator creates an application's database (`Database.spec`). The encoding and locale
 * options are fixed at creation: the API server refuses a later change (the CRD's
 * `self == oldSelf`), so they matter only for a new database.
 */
export interface DatabaseOptions {
  /**
   * The character encoding.
   *
   * @default - the template's (UTF8 in a CloudNativePG cluster)
   */
  readonly encoding?: string;
  /**
   * The locale (`LC_COLLATE` and `LC_CTYPE`). A locale other than the template's needs
   * `template: 'template0'`.
   *
   * @default - the template's (C in a CloudNativePG cluster)
   */
  readonly locale?: string;
  /**
   * The collation (`LC_COLLATE`).
   *
   * @default - `locale`
   */
  readonly localeCollate?: string;
  /**
   * The character classification (`LC_CTYPE`).
   *
   * @default - `locale`
   */
  readonly localeCType?: string;
  /**
   * The locale provider.
   *
   * @default - the template's (LocaleProvider.LIBC)
   */
  readonly localeProvider?: LocaleProvider;
  /**
   * The ICU locale, with `LocaleProvider.ICU`, e.g. `en-US`.
   *
   * @default - none
   */
  readonly icuLocale?: string;
  /**
   * ICU collation rules, with `LocaleProvider.ICU`.
   *
   * @default - none
   */
  readonly icuRules?: string;
  /**
   * The built-in locale, with `LocaleProvider.BUILTIN`: `C` or `C.UTF-8`.
   *
   * @default - none
   */
  readonly builtinLocale?: string;
  /**
   * The collation version recorded for the database.
   *
   * @default - the provider's current version
   */
  readonly collationVersion?: string;
  /**
   * The template database.
   *
   * @default - PostgreSQL's `template1` (`template0` is needed for another encoding or locale)
   */
  readonly template?: string;
  /**
   * The database's default tablespace (e.g. one of the cluster's `tablespaces`).
   *
   * @default - `pg_default`
   */
  readonly tablespace?: string;
  /**
   * The database's owner: the application's role, or a role added with `cluster.addRole` (a
   * group role the application's role is a member of, for instance).
   *
   * @default - the application's role
   */
  readonly owner?: string;
  /**
   * Connections to the database on each instance (`CONNECTION LIMIT`, for every role).
   *
   * @default -1 (no limit)
   */
  readonly connectionLimit?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The Database fields of the options, validated (the locale options need template0; the
 * provider-specific ones need their provider).
 * @internal
 */
export function renderDatabaseOptions(scope: IConstruct, options: DatabaseOptions | undefined,
  postgresMajor: number | undefined): Partial<cnpgdb.DatabaseSpec> {
  const o = options ?? {};
  const field = (f: string) => `database.${f}`;
  for (const f of ['encoding', 'locale', 'localeCollate', 'localeCType', 'icuLocale', 'icuRules', 'builtinLocale', 'collationVersion'] as const) {
    const v = o[f];
    if (v !== undefined && (typeof v !== 'string' || !v.trim() || (f !== 'icuRules' && /\s/.test(v)))) {
      throw invalidInput(scope, field(f), v, 'is not a valid value', f === 'encoding' ? 'give an encoding such as "UTF8"' : 'give a locale name such as "en_US.UTF-8"');
    }
  }
  if (o.localeProvider !== undefined && !Object.values(LocaleProvider).includes(o.localeProvider)) {
    throw invalidInput(scope, field('localeProvider'), o.localeProvider, 'is not a locale provider', 'use LocaleProvider.LIBC, ICU or BUILTIN');
  }
  const provider = o.localeProvider;
  if ((o.icuLocale !== undefined || o.icuRules !== undefined) && provider !== LocaleProvider.ICU) {
    throw invalidInput(scope, field(o.icuLocale !== undefined ? 'icuLocale' : 'icuRules'), o.icuLocale ?? o.icuRules, 'needs localeProvider: LocaleProvider.ICU', 'set the provider, or drop the ICU options');
  }
  if (provider === LocaleProvider.ICU && o.icuLocale === undefined && o.locale === undefined) {
    throw invalidInput(scope, field('icuLocale'), undefined, 'is required with the ICU provider (PostgreSQL needs an ICU locale)', 'give e.g. icuLocale: "en-US"');
  }
  if (o.builtinLocale !== undefined && provider !== LocaleProvider.BUILTIN) {
    throw invalidInput(scope, field('builtinLocale'), o.builtinLocale, 'needs localeProvider: LocaleProvider.BUILTIN', 'set the provider, or drop builtinLocale');
  }
  if (provider === LocaleProvider.BUILTIN) {
    if (postgresMajor !== undefined && postgresMajor < 17) {
      throw invalidInput(scope, field('localeProvider'), provider, `needs PostgreSQL 17 or newer, but the cluster runs ${postgresMajor}`, 'use LocaleProvider.LIBC or ICU');
    }
    if (o.builtinLocale === undefined || !['C', 'C.UTF-8', 'C.utf8', 'PG_UNICODE_FAST'].includes(o.builtinLocale)) {
      throw invalidInput(scope, field('builtinLocale'), o.builtinLocale, 'is required with the built-in provider and must be one it has', 'give "C" or "C.UTF-8"');
    }
  }
  // PostgreSQL copies the template; template1 has the cluster's locale (C), so another one fails
  // with "new collation ... is incompatible with the collation of the template database".
  const changesLocale = ['locale', 'localeCollate', 'localeCType', 'localeProvider', 'icuLocale', 'icuRules', 'builtinLocale'].some((f) => (o as any)[f] !== undefined)
    || (o.encoding !== undefined && !/^utf-?8$/i.test(o.encoding));
  if (changesLocale && (o.template ?? 'template1') !== 'template0') {
    throw invalidInput(scope, field('template'), o.template, 'must be template0 for an encoding or locale other than the cluster\'s (PostgreSQL refuses to copy template1 into another collation)',
      'set template: "template0"');
  }
  for (const f of ['template', 'tablespace'] as const) {
    const v = o[f];
    if (v !== undefined && (typeof v !== 'string' || (!containsFluxVariable(v) && !IDENTIFIER.test(v)))) {
      throw invalidInput(scope, field(f), v, 'is not a PostgreSQL identifier', f === 'template' ? 'use e.g. "template0"' : 'name a tablespace, e.g. "fast"');
    }
  }
  if (o.connectionLimit !== undefined && (!Number.isInteger(o.connectionLimit) || o.connectionLimit < -1 || o.connectionLimit === 0)) {
    throw invalidInput(scope, field('connectionLimit'), o.connectionLimit, 'is not -1 (no limit) or a positive number', 'give -1 or a positive number');
  }
  if (o.owner !== undefined && (typeof o.owner !== 'string' || (!containsFluxVariable(o.owner) && !IDENTIFIER.test(o.owner)))) {
    throw invalidInput(scope, field('owner'), o.owner, 'is not a role name', 'name the owning role');
  }
  return {
    encoding: o.encoding,
    locale: o.locale,
    localeCollate: o.localeCollate,
    localeCType: o.localeCType,
    localeProvider: o.localeProvider,
    icuLocale: o.icuLocale,
    icuRules: o.icuRules,
    builtinLocale: o.builtinLocale,
    collationVersion: o.collationVersion,
    template: o.template,
    tablespace: o.tablespace,
    connectionLimit: o.connectionLimit,
  };
}
