import { Construct, IConstruct } from 'constructs';
import { ExternalSecretSync, SecretStoreReference } from './external-secret';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';

/** Where a credential comes from. */
export enum CredentialsSource {
  /** An external-secrets store, through an ExternalSecret the library writes. */
  SECRET_STORE = 'secret-store',
  /**
   * A Secret that exists in the namespace already (a plain Secret, SOPS, Sealed Secrets, one the
   * operator generated): the library references it and writes nothing.
   */
  EXISTING_SECRET = 'existing-secret',
  /** A Secret the operator generates (where it can). */
  OPERATOR_GENERATED = 'operator-generated',
}

/** Options of {@link Credentials.fromSecretStore}. */
export interface SecretStoreCredentialsOptions {
  /**
   * The item's field holding the user name. Its value must be the role's name (CloudNativePG
   * checks it).
   *
   * @default 'username'
   */
  readonly usernameProperty?: string;
  /**
   * The item's field holding the password.
   *
   * @default 'password'
   */
  readonly passwordProperty?: string;
  /**
   * The Kubernetes Secret the ExternalSecret creates (`kubernetes.io/basic-auth`).
   *
   * @default - named by what uses it (`<app>-db-credentials`, `<cluster>-superuser`, ...)
   */
  readonly secretName?: string;
}

/**
 * Where a user name and password come from: for an application's role, a pooler's auth query
 * user, or the superuser. Every credential the library uses takes one:
 *
 * - `Credentials.fromSecretStore('kubernetes/infra/cloudnative-pg/harbor')`: the library writes an
 *   ExternalSecret (external-secrets) that fills a `kubernetes.io/basic-auth` Secret;
 * - `Credentials.fromSecret('harbor-db')`: a Secret that already exists in the cluster's namespace
 *   (a plain Secret, one decrypted by SOPS or unsealed by Sealed Secrets, or one the operator
 *   generated), with the keys `username` and `password`; the library references it and writes
 *   nothing. Label it `cnpg.io/reload: "true"` so that a rotated password reaches PostgreSQL;
 * - `Credentials.operatorGenerated()`: where the operator generates the Secret itself (the
 *   superuser's `<cluster>-superuser`; a pooler's automated integration).
 */
export class Credentials {
  /**
   * From the platform's external-secrets store: an ExternalSecret syncs the item's user name and
   * password into a `kubernetes.io/basic-auth` Secret.
   *
   * @param remoteKey the item's path in the store, e.g. `kubernetes/infra/cloudnative-pg/harbor`
   */
  public static fromSecretStore(remoteKey: string, options: SecretStoreCredentialsOptions = {}): Credentials {
    checkArgs('Credentials.fromSecretStore', [remoteKey, options]);
    return new Credentials(CredentialsSource.SECRET_STORE, options.secretName, remoteKey, options);
  }

  /**
   * From a Secret that exists in the cluster's namespace (plain, SOPS, Sealed Secrets, or the
   * operator's), with the keys `username` and `password` (type `kubernetes.io/basic-auth`). The
   * library writes nothing: the Secret must be there before the operator needs it.
   *
   * @param secretName the Secret's name
   */
  public static fromSecret(secretName: string): Credentials {
    checkArgs('Credentials.fromSecret', [secretName]);
    return new Credentials(CredentialsSource.EXISTING_SECRET, secretName);
  }

  /** The operator generates the Secret (only where it can: the superuser, a pooler's integration). */
  public static operatorGenerated(): Credentials {
    return new Credentials(CredentialsSource.OPERATOR_GENERATED);
  }

  /** Where the credential comes from. */
  public readonly source: CredentialsSource;
  /** The Secret's name, when chosen (always for an existing Secret). */
  public readonly secretName?: string;
  /** The item's path in the store, for `SECRET_STORE`. */
  public readonly remoteKey?: string;
  /** The item's field of the user name, for `SECRET_STORE`. */
  public readonly usernameProperty?: string;
  /** The item's field of the password, for `SECRET_STORE`. */
  public readonly passwordProperty?: string;

  private constructor(source: CredentialsSource, secretName?: string, remoteKey?: string, options: SecretStoreCredentialsOptions = {}) {
    this.source = source;
    this.secretName = secretName;
    this.remoteKey = remoteKey;
    this.usernameProperty = options.usernameProperty;
    this.passwordProperty = options.passwordProperty;
  }

  /**
   * Writes what the credential needs (an ExternalSecret for the store) and returns the Secret's
   * name, or undefined for an operator-generated one.
   * @internal
   */
  public _materialize(scope: Construct, id: string, context: CredentialsContext): MaterializedCredentials {
    const field = context.field;
    if (!(this instanceof Credentials)) {
      throw invalidInput(scope, field, this, 'is not a Credentials', 'use Credentials.fromSecretStore(...), fromSecret(...) or operatorGenerated()');
    }
    switch (this.source) {
      case CredentialsSource.OPERATOR_GENERATED:
        if (context.operatorGenerated === undefined) {
          throw invalidInput(scope, field, 'Credentials.operatorGenerated()', context.operatorGeneratedUnsupported ?? 'cannot be generated by the operator here',
            'use Credentials.fromSecret("<existing basic-auth Secret>") or Credentials.fromSecretStore("<path>")');
        }
        return { secretName: context.operatorGenerated };
      case CredentialsSource.EXISTING_SECRET:
        checkSecretName(scope, field, this.secretName);
        return { secretName: this.secretName };
      case CredentialsSource.SECRET_STORE: {
        if (typeof this.remoteKey !== 'string' || !this.remoteKey) {
          throw invalidInput(scope, `${field}.remoteKey`, this.remoteKey, 'is empty', 'give the item\'s path in the store, e.g. "kubernetes/infra/cloudnative-pg/harbor"');
        }
        const secretName = this.secretName ?? context.defaultSecretName;
        checkSecretName(scope, field, secretName);
        const sync = new ExternalSecretSync(scope, id, {
          store: context.store(),
          secretName,
          namespace: context.namespace,
          secretType: 'kubernetes.io/basic-auth',
          secretLabels: context.secretLabels,
          labels: context.labels,
          entries: [
            { secretKey: 'username', remoteKey: this.remoteKey, property: this.usernameProperty ?? 'username' },
            { secretKey: 'password', remoteKey: this.remoteKey, property: this.passwordProperty ?? 'password' },
          ],
        });
        return { secretName, externalSecret: sync };
      }
      default:
        throw invalidInput(scope, field, this.source, 'is not a credentials source', 'use a Credentials factory');
    }
  }
}

/** What a credential is for, to materialize it. @internal */
export interface CredentialsContext {
  /** The prop, for errors (`login`, `superuserAccess`). */
  readonly field: string;
  /** The Secret's name when the credential does not choose one. */
  readonly defaultSecretName: string;
  /** The namespace of the Secret. */
  readonly namespace: string;
  /** The external-secrets store (an error when there is none). */
  readonly store: () => SecretStoreReference;
  /** Labels of the ExternalSecret. */
  readonly labels?: { [key: string]: string };
  /** Labels of the synced Secret. */
  readonly secretLabels?: { [key: string]: string };
  /** The operator's Secret, where the operator can generate it. */
  readonly operatorGenerated?: string;
  /** Why it cannot, otherwise. */
  readonly operatorGeneratedUnsupported?: string;
}

/** The outcome of {@link Credentials._materialize}. @internal */
export interface MaterializedCredentials {
  /** The Secret's name (undefined: the operator's, unnamed). */
  readonly secretName?: string;
  /** The ExternalSecret, for a store credential. */
  readonly externalSecret?: ExternalSecretSync;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkSecretName(scope: IConstruct, field: string, name: unknown): void {
  if (typeof name !== 'string' || (!containsFluxVariable(name) && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)))) {
    throw invalidInput(scope, `${field}.secretName`, name, 'is not a Secret name (a DNS-1123 subdomain)', 'give the Secret\'s name, e.g. "harbor-db-credentials"');
  }
}
