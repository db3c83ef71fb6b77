/** What CloudNativePG does with a database when its `Database` resource is deleted. */
export enum DatabaseReclaimPolicy {
  /** The database stays in PostgreSQL (CloudNativePG's default, and the safe one). */
  RETAIN = 'retain',
  /** The operator drops the database with the resource. */
  DELETE = 'delete',
}

/** An extension the operator creates in an application's database (`Database.spec.extensions`). */
export interface DatabaseExtension {
  /** The extension's name, e.g. `pg_trgm` or `uuid-ossp`. */
  readonly name: string;
  /**
   * The version to install.
   *
   * @default - the default version of the extension's control file
   */
  readonly version?: string;
  /**
   * The schema of the extension's objects, for relocatable extensions.
   *
   * @default - the current default creation schema
   */
  readonly schema?: string;
}

/** A schema the operator creates in an application's database (`Database.spec.schemas`). */
export interface DatabaseSchema {
  /** The schema's name. */
  readonly name: string;
  /**
   * The owning role.
   *
   * @default - the application's role
   */
  readonly owner?: string;
}
