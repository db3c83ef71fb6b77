/** A TLS protocol version for `ssl_min_protocol_version`. */
export enum TlsVersion {
  /** TLS 1.2 (for clients that cannot speak 1.3). */
  TLS_1_2 = 'TLSv1.2',
  /** TLS 1.3. */
  TLS_1_3 = 'TLSv1.3',
}

/**
 * TLS of the cluster. CloudNativePG always serves TLS; these settings decide the minimum protocol
 * and whose certificates are used. Without secrets, the operator creates and rotates its own CA
 * and certificates (and the poolers trust them automatically).
 */
export interface ClusterTlsProps {
  /**
   * The oldest TLS version the server accepts.
   *
   * @default TlsVersion.TLS_1_3
   */
  readonly minProtocolVersion?: TlsVersion;

  /**
   * A `kubernetes.io/tls` Secret with the server certificate (`spec.certificates.serverTLSSecret`),
   * e.g. issued by cert-manager. Requires `serverCaSecret`.
   *
   * @default - the operator issues the server certificate
   */
  readonly serverTlsSecret?: string;

  /**
   * A Secret with the CA (`ca.crt`) that signed the server certificate.
   *
   * @default - the operator's CA
   */
  readonly serverCaSecret?: string;

  /**
   * A Secret with the CA (`ca.crt`, and `ca.key` unless `replicationTlsSecret` is given) that
   * signs client certificates (`streaming_replica`, `cnpg_pooler_pgbouncer`).
   *
   * @default - the operator's CA
   */
  readonly clientCaSecret?: string;

  /**
   * A `kubernetes.io/tls` Secret with the `streaming_replica` client certificate.
   *
   * @default - the operator issues it with the client CA
   */
  readonly replicationTlsSecret?: string;

  /**
   * Extra DNS names for the server certificate the operator issues (e.g. a LoadBalancer name).
   *
   * @default - the operator's own Service names only
   */
  readonly serverAltDnsNames?: string[];
}

/**
 * The `pg_hba` rules that make TLS mandatory. CloudNativePG appends a catch-all
 * `host all all all scram-sha-256` after the user's rules, which matches plain-text connections:
 * `hostssl` rules alone do not enforce TLS, so plain text is rejected first.
 *
 * @internal
 */
export const TLS_ONLY_PG_HBA = [
  'hostnossl all all all reject',
  'hostssl all all all scram-sha-256',
];
