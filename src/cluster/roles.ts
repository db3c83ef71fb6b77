import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * Attributes of a PostgreSQL role the operator manages (`spec.managed.roles`), beyond its login
 * and password. Every privilege is off unless given: an application role needs none of them.
 */
export interface RoleAttributes {
  /**
   * Roles this role is a member of (`IN ROLE`), e.g. `['pg_read_all_data']` or a group role
   * added with `cluster.addRole`.
   *
   * @default - none
   */
  readonly inRoles?: string[];
  /**
   * When the password stops being valid (`VALID UNTIL`).
   *
   * @default - never
   */
  readonly validUntil?: Date;
  /**
   * May create databases (`CREATEDB`). Databases are better declared (`Database` resources).
   *
   * @default false
   */
  readonly createdb?: boolean;
  /**
   * May create, alter and drop other roles (`CREATEROLE`).
   *
   * @default false
   */
  readonly createrole?: boolean;
  /**
   * Bypasses every row-level security policy (`BYPASSRLS`).
   *
   * @default false
   */
  readonly bypassrls?: boolean;
  /**
   * May start streaming replication and logical decoding (`REPLICATION`), e.g. for Debezium.
   *
   * @default false
   */
  readonly replication?: boolean;
  /**
   * Inherits the privileges of the roles it is a member of (`INHERIT`).
   *
   * @default true
   */
  readonly inherit?: boolean;
  /**
   * The role's comment (`COMMENT ON ROLE`).
   *
   * @default - the library's (`application <name> (cnpg-constructs)` for an application)
   */
  readonly comment?: string;
}

/** Roles the operator reserves (IsRoleReserved) and PostgreSQL's `pg_` prefix. */
const RESERVED = ['postgres', 'streaming_replica'];
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** A role an `IN ROLE` may name: the predefined `pg_*` roles are fine there. */
const MEMBER_OF = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a managed role's name (not reserved by PostgreSQL or the operator).
 * @internal
 */
export function checkRoleName(scope: IConstruct, field: string, name: string): void {
  if (containsFluxVariable(String(name))) return;
  if (typeof name !== 'string' || !ROLE_NAME.test(name)) {
    throw invalidInput(scope, field, name, 'is not a PostgreSQL identifier this library writes (lower-case letters, digits and "_", starting with a letter or "_", at most 63)',
      `use e.g. "${String(name).toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z_]/, '_')}"`);
  }
  if (RESERVED.includes(name) || name.startsWith('cnpg_') || name.startsWith('pg_')) {
    throw invalidInput(scope, field, name, 'is reserved by PostgreSQL (pg_*) or CloudNativePG (postgres, streaming_replica, cnpg_*)', 'give the role a name of its own');
  }
}

/**
 * The managed role's attributes, validated.
 * @internal
 */
export function renderRoleAttributes(scope: IConstruct, field: string, attributes: RoleAttributes | undefined, roleName: string,
  defaultComment: string): Partial<cnpg.ClusterSpecManagedRoles> {
  const a = attributes ?? {};
  const inRoles = a.inRoles ?? [];
  inRoles.forEach((r, i) => {
    if (typeof r !== 'string' || (!containsFluxVariable(r) && !MEMBER_OF.test(r))) {
      throw invalidInput(scope, `${field}.inRoles[${i}]`, r, 'is not a role name', 'name a role, e.g. "pg_read_all_data" or a role added with cluster.addRole');
    }
    if (r === roleName) throw invalidInput(scope, `${field}.inRoles[${i}]`, r, 'is the role itself', 'remove it');
    if (['postgres', 'streaming_replica'].includes(r) || r.startsWith('cnpg_')) {
      throw invalidInput(scope, `${field}.inRoles[${i}]`, r, 'is one of the operator\'s own roles: membership would give its privileges away', 'grant a predefined role (pg_read_all_data, pg_monitor, ...) or a group role instead');
    }
  });
  if (new Set(inRoles).size !== inRoles.length) throw invalidInput(scope, `${field}.inRoles`, inRoles, 'lists a role twice', 'list each role once');
  if (a.validUntil !== undefined && !(a.validUntil instanceof Date && !isNaN(a.validUntil.getTime()))) {
    throw invalidInput(scope, `${field}.validUntil`, a.validUntil, 'is not a date', 'give a date, e.g. new Date("2026-12-31T00:00:00Z")');
  }
  for (const flag of ['createdb', 'createrole', 'bypassrls', 'replication', 'inherit'] as const) {
    if (a[flag] !== undefined && typeof a[flag] !== 'boolean') {
      throw invalidInput(scope, `${field}.${flag}`, a[flag], 'is not a boolean', 'write true or false');
    }
  }
  if (a.comment !== undefined && (typeof a.comment !== 'string' || a.comment.length > 1000)) {
    throw invalidInput(scope, `${field}.comment`, a.comment, 'is not a comment of at most 1000 characters', 'shorten it');
  }
  return {
    comment: a.comment ?? defaultComment,
    superuser: false,
    createdb: a.createdb ?? false,
    createrole: a.createrole ?? false,
    replication: a.replication ?? false,
    bypassrls: a.bypassrls ?? false,
    inherit: a.inherit ?? true,
    inRoles: inRoles.length ? [...inRoles] : undefined,
    validUntil: a.validUntil,
  };
}
