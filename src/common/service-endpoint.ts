import { checkArgs } from '../core/prop-check';

/**
 * The libpq `sslmode` a client uses. Only modes that refuse plain text are offered.
 */
export enum SslMode {
  /** Encrypt, but do not check the server certificate. */
  REQUIRE = 'require',
  /** Encrypt and check that the server certificate is signed by a trusted CA. */
  VERIFY_CA = 'verify-ca',
  /** Encrypt, check the CA and that the certificate names the host (recommended). */
  VERIFY_FULL = 'verify-full',
}

/**
 * Where applications reach a database Service: its name, namespace, DNS name and port.
 *
 * Use these values instead of writing host names by hand: they are derived in one place from the
 * names the operator really gives its Services.
 */
export class ServiceEndpoint {
  /** The Service name, e.g. `shared-postgres-rw`. */
  public readonly serviceName: string;
  /** The namespace of the Service. */
  public readonly namespace: string;
  /** The TCP port (5432 for PostgreSQL and PgBouncer). */
  public readonly port: number;
  /** The cluster DNS domain used for `fqdn`. */
  public readonly clusterDomain: string;

  /** @internal */
  constructor(serviceName: string, namespace: string, port: number, clusterDomain: string) {
    checkArgs('new ServiceEndpoint', [serviceName, namespace, port, clusterDomain]);
    this.serviceName = serviceName;
    this.namespace = namespace;
    this.port = port;
    this.clusterDomain = clusterDomain;
  }

  /** The fully qualified DNS name, e.g. `shared-postgres-rw.databases.svc.cluster.local`. */
  public get fqdn(): string {
    return `${this.serviceName}.${this.namespace}.svc.${this.clusterDomain}`;
  }

  /** `fqdn:port`. */
  public get hostPort(): string {
    return `${this.fqdn}:${this.port}`;
  }

  /**
   * A libpq connection URI without credentials, e.g.
   * `postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/harbor?sslmode=verify-full`.
   * Credentials come from the application's Secret, never from this string.
   *
   * @param database the database name
   * @param sslMode the client's sslmode; default `verify-full`
   */
  public libpqUri(database: string, sslMode?: SslMode): string {
    checkArgs('ServiceEndpoint.libpqUri', [database, sslMode], this);
    return `postgresql://${this.hostPort}/${encodeURIComponent(database)}?sslmode=${sslMode ?? SslMode.VERIFY_FULL}`;
  }

  /**
   * A JDBC URL without credentials, e.g.
   * `jdbc:postgresql://shared-postgres-rw.databases.svc.cluster.local:5432/keycloak?sslmode=verify-full`.
   *
   * @param database the database name
   * @param sslMode the client's sslmode; default `verify-full`
   */
  public jdbcUrl(database: string, sslMode?: SslMode): string {
    checkArgs('ServiceEndpoint.jdbcUrl', [database, sslMode], this);
    return `jdbc:postgresql://${this.hostPort}/${encodeURIComponent(database)}?sslmode=${sslMode ?? SslMode.VERIFY_FULL}`;
  }
}
