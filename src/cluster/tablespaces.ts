import { IConstruct } from 'constructs';
import { ClusterStorage } from './storage';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * A PostgreSQL tablespace on a volume of its own per instance (`spec.tablespaces`), e.g. a large
 * or slow volume for archives, or a fast one for temporary files.
 */
export interface Tablespace {
  /**
   * The tablespace's name: a PostgreSQL identifier, not starting with `pg_`; it also names the
   * volume (`_` becomes `-`).
   */
  readonly name: string;
  /** The volume of each instance (its size is required). */
  readonly storage: ClusterStorage;
  /**
   * The role that owns the tablespace (e.g. an application's role).
   *
   * @default - the operator's `postgres`
   */
  readonly owner?: string;
  /**
   * A temporary tablespace: listed in `temp_tablespaces`, for temporary tables and sort files.
   *
   * @default false
   */
  readonly temporary?: boolean;
}

/**
 * `spec.tablespaces`, validated as the webhook does (unique names, case-insensitively and after
 * the volume-name sanitization; no `pg_` prefix).
 * @internal
 */
export function renderTablespaces(scope: IConstruct, tablespaces: Tablespace[] | undefined,
  defaultStorageClass: string | undefined): cnpg.ClusterSpecTablespaces[] | undefined {
  if (!tablespaces?.length) return undefined;
  // The volume name is the lower-cased name with "_" as "-": two names equal case-insensitively
  // give the same volume, so the volumes alone find both kinds of duplicate.
  const volumes = new Set<string>();
  return tablespaces.map((t, i) => {
    const field = `tablespaces[${i}]`;
    if (typeof t.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(t.name) || t.name.toLowerCase().startsWith('pg_')) {
      throw invalidInput(scope, `${field}.name`, t.name, 'is not a tablespace name (a PostgreSQL identifier of at most 63 characters, not starting with "pg_")',
        'use e.g. "archive" or "fast_temp"');
    }
    const volume = t.name.toLowerCase().replace(/_/g, '-');
    if (volumes.has(volume)) {
      throw invalidInput(scope, `${field}.name`, t.name, 'is declared twice (names are case-insensitive, and "_" becomes "-" in the volume name)', 'give each tablespace its own name');
    }
    volumes.add(volume);
    const size = t.storage?.size;
    if (size === undefined) {
      throw invalidInput(scope, `${field}.storage.size`, undefined, 'is required', 'give the volume size, e.g. Quantity.gibibytes(50)');
    }
    size._validate(scope, `${field}.storage.size`);
    const storageClass = t.storage.storageClass ?? defaultStorageClass;
    if (storageClass !== undefined && !containsFluxVariable(storageClass) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(storageClass)) {
      throw invalidInput(scope, `${field}.storage.storageClass`, storageClass, 'is not a StorageClass name', 'give the name of a StorageClass');
    }
    if (t.owner !== undefined && (typeof t.owner !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(t.owner))) {
      throw invalidInput(scope, `${field}.owner`, t.owner, 'is not a role name', 'give the owning role, e.g. an application\'s role name');
    }
    return {
      name: t.name,
      storage: { size: size.value, storageClass },
      owner: t.owner !== undefined ? { name: t.owner } : undefined,
      temporary: t.temporary,
    };
  });
}
