import { checkArgs } from '../core/prop-check';
import { Credentials, CredentialsSource } from '../secrets/credentials';

/**
 * Break-glass access for the `postgres` superuser. Off by default: applications get their own
 * roles, and the operator works without it.
 */
export class SuperuserAccess {
  /** No superuser password: `postgres` can only be used through the pod's local socket. */
  public static disabled(): SuperuserAccess {
    return new SuperuserAccess(false);
  }

  /** The operator generates the password into the Secret `<cluster>-superuser`. */
  public static operatorGenerated(): SuperuserAccess {
    return new SuperuserAccess(true, Credentials.operatorGenerated());
  }

  /**
   * The password comes from the platform's secret store through an ExternalSecret, into a
   * `kubernetes.io/basic-auth` Secret that the Cluster names as `superuserSecret`.
   *
   * @param remoteKey the item path in the store, e.g. `kubernetes/infra/cloudnative-pg/superuser`
   * @param secretName the Kubernetes Secret to create; default `<cluster>-superuser`
   */
  public static fromSecretStore(remoteKey: string, secretName?: string): SuperuserAccess {
    checkArgs('SuperuserAccess.fromSecretStore', [remoteKey, secretName]);
    return new SuperuserAccess(true, Credentials.fromSecretStore(remoteKey, { secretName }));
  }

  /**
   * The password comes from anywhere a credential can (`superuserSecret`): the secret store
   * (`Credentials.fromSecretStore`), an existing `kubernetes.io/basic-auth` Secret whose
   * `username` is `postgres` (`Credentials.fromSecret`: SOPS, Sealed Secrets, a plain Secret), or
   * the operator (`Credentials.operatorGenerated()`).
   *
   * @param credentials where the superuser's user name and password come from
   */
  public static withCredentials(credentials: Credentials): SuperuserAccess {
    checkArgs('SuperuserAccess.withCredentials', [credentials]);
    return new SuperuserAccess(true, credentials);
  }

  /** Whether the superuser can log in with a password. */
  public readonly enabled: boolean;
  /** Where the password comes from, when enabled. */
  public readonly credentials?: Credentials;
  /** The store path of the credentials, when they come from the secret store. */
  public readonly remoteKey?: string;
  /** The Secret name, when chosen explicitly. */
  public readonly secretName?: string;

  private constructor(enabled: boolean, credentials?: Credentials) {
    this.enabled = enabled;
    this.credentials = credentials;
    this.remoteKey = credentials?.source === CredentialsSource.SECRET_STORE ? credentials.remoteKey : undefined;
    this.secretName = credentials?.secretName;
  }
}
