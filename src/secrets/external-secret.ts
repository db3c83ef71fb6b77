import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { crdEnum, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as eso from '../imports/eso-externalsecret-external-secrets.io';
import { EXTERNAL_SECRET_SPEC } from '../imports/json-names';

/** The kind of external-secrets store an ExternalSecret reads from. */
export enum SecretStoreKind {
  /** A cluster-wide `ClusterSecretStore` (the platform's `onepassword` store is one). */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
  /** A namespaced `SecretStore` in the same namespace as the ExternalSecret. */
  SECRET_STORE = 'SecretStore',
}

/** Which external-secrets store to read credentials from. */
export interface SecretStoreReference {
  /**
   * The store's name, e.g. `onepassword`, or a Flux variable such as `${EXTERNAL_SECRET_STORE}`.
   */
  readonly name: string;

  /**
   * The store's kind.
   *
   * @default SecretStoreKind.CLUSTER_SECRET_STORE
   */
  readonly kind?: SecretStoreKind;

  /**
   * How often the operator re-reads the store.
   *
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
}

/** One key of the synced Secret and where its value comes from. */
export interface ExternalSecretEntry {
  /** The key in the Kubernetes Secret, e.g. `password`. */
  readonly secretKey: string;
  /** The item's key (path) in the store, e.g. `kubernetes/infra/cloudnative-pg/harbor`. */
  readonly remoteKey: string;
  /**
   * The field of the item to read, e.g. `password`.
   *
   * @default - the whole item
   */
  readonly property?: string;
}

/** Props of {@link ExternalSecretSync}. */
export interface ExternalSecretSyncProps {
  /** The store to read from. */
  readonly store: SecretStoreReference;
  /** The name of the Kubernetes Secret to create (and of the ExternalSecret). */
  readonly secretName: string;
  /** The namespace of the Secret. */
  readonly namespace: string;
  /** The keys of the Secret. At least one. */
  readonly entries: ExternalSecretEntry[];
  /**
   * The `type` of the created Secret, e.g. `kubernetes.io/basic-auth`.
   *
   * @default - `Opaque`
   */
  readonly secretType?: string;
  /**
   * Labels on the created Secret (for example `cnpg.io/reload: "true"`, which makes CNPG pick up
   * a rotated password).
   *
   * @default - none
   */
  readonly secretLabels?: { [key: string]: string };
  /**
   * Labels on the ExternalSecret object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** external-secrets' pattern of `secretStoreRef.name`. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Kubernetes Secret kept in sync from an external secret store by the external-secrets
 * operator (an `ExternalSecret`, `external-secrets.io/v1`). The Secret is owned by the
 * ExternalSecret (`creationPolicy: Owner`), so it is never written by hand.
 */
export class ExternalSecretSync extends Construct {
  /** The name of the synced Kubernetes Secret. */
  public readonly secretName: string;
  /** The namespace of the synced Secret. */
  public readonly namespace: string;
  /**
   * The ExternalSecret as written, for escape hatches in the CRD's field names
   * (`addOverride('spec.refreshInterval', '15m')`); checked at synth against the external-secrets CRD.
   */
  public readonly apiObject: CheckedApiObject;

  constructor(scope: Construct, id: string, props: ExternalSecretSyncProps) {
    checkArgs('new ExternalSecretSync', [scope, id, props]);
    super(scope, id);
    validateName(this, 'secretName', props.secretName, { maxLength: 253 });
    const storeName = props.store.name;
    if (!storeName || (!containsFluxVariable(storeName) && (storeName.length > 253 || !DNS1123_SUBDOMAIN.test(storeName)))) {
      throw invalidInput(this, 'store.name', storeName, storeName ? 'is not a store name (a DNS-1123 subdomain, as external-secrets requires)' : 'is empty',
        'name the external-secrets store, e.g. "onepassword" or "${EXTERNAL_SECRET_STORE}"');
    }
    if (!props.entries.length) {
      throw invalidInput(this, 'entries', props.entries, 'is empty', 'list at least one key to sync');
    }
    const seen = new Set<string>();
    for (const [i, entry] of props.entries.entries()) {
      if (!/^[-._a-zA-Z0-9]+$/.test(entry.secretKey)) {
        throw invalidInput(this, `entries[${i}].secretKey`, entry.secretKey, 'is not a valid Secret key',
          'use letters, digits, "-", "_" and "."');
      }
      if (seen.has(entry.secretKey)) {
        throw invalidInput(this, `entries[${i}].secretKey`, entry.secretKey, 'appears twice', 'give each key once');
      }
      seen.add(entry.secretKey);
      if (!entry.remoteKey || (!containsFluxVariable(entry.remoteKey) && /\s/.test(entry.remoteKey))) {
        throw invalidInput(this, `entries[${i}].remoteKey`, entry.remoteKey, 'is empty or contains white space',
          'give the item path in the store, e.g. "kubernetes/infra/cloudnative-pg/harbor"');
      }
    }
    this.secretName = props.secretName;
    this.namespace = props.namespace;

    const template = props.secretType || props.secretLabels
      ? {
        type: props.secretType,
        metadata: props.secretLabels ? { labels: { ...props.secretLabels } } : undefined,
      }
      : undefined;
    const metadata: ApiObjectMetadata = { name: props.secretName, namespace: props.namespace, labels: props.labels };
    this.apiObject = checkedObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata,
      fields: {
        spec: toCrdJson({
          secretStoreRef: {
            name: props.store.name,
            kind: (props.store.kind ?? SecretStoreKind.CLUSTER_SECRET_STORE) as string as eso.ExternalSecretSpecSecretStoreRefKind,
          },
          refreshInterval: goDuration(props.store.refreshInterval ?? Duration.hours(1)),
          target: {
            name: props.secretName,
            creationPolicy: crdEnum<eso.ExternalSecretSpecTargetCreationPolicy>('Owner'),
            template,
          },
          data: props.entries.map((e) => ({
            secretKey: e.secretKey,
            remoteRef: { key: e.remoteKey, property: e.property },
          })),
        }, EXTERNAL_SECRET_SPEC),
      },
    });
  }
}

/** A Go duration string (`1h`, `90s`) for a cdk8s Duration. @internal */
export function goDuration(d: Duration): string {
  const seconds = d.toSeconds();
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
