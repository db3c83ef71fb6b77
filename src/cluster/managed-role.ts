import { Construct } from 'constructs';
import { clusterHooks } from './cluster-hooks';
import { ICnpgCluster } from './cluster-ref';
import { checkRoleName, renderRoleAttributes, RoleAttributes } from './roles';
import { crdEnum } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { validateInteger } from '../common/numbers';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import { Credentials } from '../secrets/credentials';
import { ExternalSecretSync } from '../secrets/external-secret';

/** Options of {@link CnpgSharedCluster.addRole}. */
export interface ManagedRoleOptions extends RoleAttributes {
  /**
   * Where the role's password comes from (a `kubernetes.io/basic-auth` Secret whose `username`
   * is the role's name).
   *
   * @default - no password: a group role (`inRoles` of others), or a login by certificate
   */
  readonly credentials?: Credentials;
  /**
   * Whether the role can log in.
   *
   * @default - true with credentials, false without (a group role)
   */
  readonly login?: boolean;
  /**
   * The role's connection limit on each instance (`CONNECTION LIMIT`).
   *
   * @default -1 (no limit)
   */
  readonly connectionLimit?: number;
  /**
   * A superuser (`SUPERUSER`): every check is bypassed. Prefer the predefined roles
   * (`inRoles: ['pg_read_all_data']`); the break-glass superuser is `superuserAccess`.
   *
   * @default false
   */
  readonly superuser?: boolean;
}

/** Props of {@link CnpgRole}. */
export interface CnpgRoleProps extends ManagedRoleOptions {
  /** The cluster. */
  readonly cluster: ICnpgCluster;
  /** The role's name. */
  readonly roleName: string;
}

/**
 * A PostgreSQL role the operator keeps in the cluster (`spec.managed.roles`) that is not an
 * application's: a read-only reporting user, a group role, a replication user for change data
 * capture. `cluster.addRole('reporting', { credentials: Credentials.fromSecret('reporting-db'),
 * inRoles: ['pg_read_all_data'] })`.
 */
export class CnpgRole extends Construct {
  /** The role's name. */
  public readonly roleName: string;
  /** The Secret with the role's password, when it has one. */
  public readonly secretName?: string;
  /** The ExternalSecret of the password, when it comes from the secret store. */
  public readonly credentials?: ExternalSecretSync;

  constructor(scope: Construct, id: string, props: CnpgRoleProps) {
    checkArgs('new CnpgRole', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    const hooks = clusterHooks(this, 'cluster', cluster);
    this.roleName = props.roleName;
    checkRoleName(this, 'roleName', this.roleName);
    const connectionLimit = props.connectionLimit ?? -1;
    validateInteger(this, 'connectionLimit', connectionLimit, -1, 100_000, 'give -1 (no limit) or a positive number');
    if (connectionLimit === 0) {
      throw invalidInput(this, 'connectionLimit', 0, 'lets the role open no connection at all', 'give -1 (no limit) or a positive number, or login: false');
    }
    const labels = { ...cluster.commonLabels, 'app.kubernetes.io/component': 'credentials' };
    const m = props.credentials?._materialize(this, 'Credentials', {
      field: 'credentials',
      defaultSecretName: `${this.roleName.replace(/_/g, '-')}-role-credentials`,
      namespace: cluster.namespace,
      store: () => hooks._requireSecretStore(`role "${this.roleName}"`),
      labels,
      secretLabels: { ...labels, 'cnpg.io/reload': 'true' },
      operatorGeneratedUnsupported: 'is not possible for a managed role: the operator generates no password for it',
    });
    this.secretName = m?.secretName;
    this.credentials = m?.externalSecret;
    const login = props.login ?? this.secretName !== undefined;
    hooks._addManagedRole({
      name: this.roleName,
      ensure: crdEnum<cnpg.ClusterSpecManagedRolesEnsure>('present'),
      login,
      connectionLimit,
      ...renderRoleAttributes(this, 'role', props, this.roleName, `role ${this.roleName} (cnpg-constructs)`),
      superuser: props.superuser ?? false,
      passwordSecret: this.secretName ? { name: this.secretName } : undefined,
    });
  }
}
