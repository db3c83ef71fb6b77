import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/**
 * An operation CloudNativePG runs when its annotation is on the Cluster (the documented
 * `cnpg.io/*` annotations, labels_annotations.md), typed so that its value is one the operator
 * reads and its caveat is in the docs. Each is meant to be added for a while, then removed.
 */
export class ClusterAnnotation {
  /**
   * Declarative hibernation (`cnpg.io/hibernation: on`): the operator shuts every instance down
   * and deletes the pods, keeping the volumes; removing the annotation (or `off`) starts the
   * cluster again from them. Caveats: the cluster serves nothing while hibernated, the poolers
   * return errors, backups and WAL archiving stop, and a hibernated cluster is not upgraded.
   */
  public static hibernate(): ClusterAnnotation {
    return new ClusterAnnotation('cnpg.io/hibernation', 'on');
  }

  /**
   * Pauses the operator's reconciliation of the cluster (`cnpg.io/reconciliationLoop: disabled`),
   * e.g. for a manual intervention on an instance. Caveats: no failover, no switchover, no
   * configuration change and no certificate renewal happen while it is paused; remove it as soon
   * as the intervention is over.
   */
  public static pauseReconciliation(): ClusterAnnotation {
    return new ClusterAnnotation('cnpg.io/reconciliationLoop', 'disabled');
  }

  /**
   * Lets the cluster archive WAL into a location that already holds WAL
   * (`cnpg.io/skipEmptyWalArchiveCheck: enabled`), e.g. a cluster restored from a backup that
   * archives into its source's path. Caveat: two clusters archiving into one path overwrite each
   * other's WAL and make both unrecoverable; prefer a new path (serverName) for the restored
   * cluster, and remove the annotation once it archives.
   */
  public static skipEmptyWalArchiveCheck(): ClusterAnnotation {
    return new ClusterAnnotation('cnpg.io/skipEmptyWalArchiveCheck', 'enabled');
  }

  /**
   * Turns WAL archiving off (`cnpg.io/skipWalArchiving: enabled`; `archive_mode` becomes `off`
   * and every instance restarts), e.g. during a bulk load. Caveat: no point-in-time recovery is
   * possible for the time it is set; take a full backup after removing it.
   */
  public static skipWalArchiving(): ClusterAnnotation {
    return new ClusterAnnotation('cnpg.io/skipWalArchiving', 'enabled');
  }

  /**
   * Fences instances (`cnpg.io/fencedInstances`): PostgreSQL stops on them but the pods stay, for
   * an investigation. Caveat: a fenced primary is not failed over; the cluster serves no writes
   * while its primary is fenced.
   *
   * @param instances the instances' pod names (`<cluster>-1`), or `['*']` for every instance
   */
  public static fenceInstances(instances: string[]): ClusterAnnotation {
    checkArgs('ClusterAnnotation.fenceInstances', [instances]);
    return new ClusterAnnotation('cnpg.io/fencedInstances', JSON.stringify(instances), instances);
  }

  /**
   * Stops the operator from restarting instances for pod spec changes (affinity, scheduler,
   * volumes, containers: `cnpg.io/reconcilePodSpec: disabled`). Caveat: such changes land only
   * at the next restart of each instance.
   */
  public static freezePodSpec(): ClusterAnnotation {
    return new ClusterAnnotation('cnpg.io/reconcilePodSpec', 'disabled');
  }

  /** The annotation's key. */
  public readonly key: string;
  /** The annotation's value. */
  public readonly value: string;

  private readonly instances?: string[];

  private constructor(key: string, value: string, instances?: string[]) {
    this.key = key;
    this.value = value;
    this.instances = instances;
  }

  /** @internal */
  public _validate(scope: IConstruct, field: string): void {
    if (this.instances === undefined) return;
    if (!this.instances.length) {
      throw invalidInput(scope, field, this.instances, 'lists no instance', 'name the pods to fence (e.g. "shared-postgres-1"), or ["*"] for all');
    }
    for (const i of this.instances) {
      if (i !== '*' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(i)) {
        throw invalidInput(scope, field, i, 'is not an instance\'s pod name', 'name the pod, e.g. "shared-postgres-1", or "*" for every instance');
      }
    }
  }
}

/** Labels and annotations the operator copies onto every object it creates for the cluster. */
export interface InheritedMetadata {
  /**
   * Labels of the instances' pods, volumes, Services, Secrets, ...
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the same objects (e.g. a backup tool's volume annotation).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** The metadata props of the cluster, as `spec()` renders them. @internal */
export interface MetadataInput {
  readonly annotations?: { [key: string]: string };
  readonly operatorAnnotations?: ClusterAnnotation[];
  readonly inheritedMetadata?: InheritedMetadata;
}

/** Kubernetes' qualified name, optionally with a DNS subdomain prefix. */
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkMap(scope: IConstruct, field: string, map: { [key: string]: string } | undefined, values: 'label' | 'any'): void {
  for (const [k, v] of Object.entries(map ?? {})) {
    if (!QUALIFIED_NAME.test(k)) {
      throw invalidInput(scope, `${field}["${k}"]`, v, 'has a key that is not a Kubernetes qualified name', 'use e.g. "team" or "example.com/team"');
    }
    if (values === 'label' && !containsFluxVariable(v) && (v.length > 63 || !LABEL_VALUE.test(v))) {
      throw invalidInput(scope, `${field}["${k}"]`, v, 'is not a label value (at most 63 letters, digits, "-", "_", "."; starting and ending with a letter or digit)', 'shorten or simplify the value');
    }
  }
}

/**
 * The Cluster's own annotations (raw and typed) and the inherited metadata.
 * @internal
 */
export function renderMetadata(scope: IConstruct, props: MetadataInput): {
  annotations?: { [key: string]: string };
  spec: Partial<cnpg.ClusterSpec>;
} {
  checkMap(scope, 'annotations', props.annotations, 'any');
  checkMap(scope, 'inheritedMetadata.labels', props.inheritedMetadata?.labels, 'label');
  checkMap(scope, 'inheritedMetadata.annotations', props.inheritedMetadata?.annotations, 'any');
  const typedKeys: Record<string, string> = {
    'cnpg.io/hibernation': 'ClusterAnnotation.hibernate()',
    'cnpg.io/reconciliationLoop': 'ClusterAnnotation.pauseReconciliation()',
    'cnpg.io/skipEmptyWalArchiveCheck': 'ClusterAnnotation.skipEmptyWalArchiveCheck()',
    'cnpg.io/skipWalArchiving': 'ClusterAnnotation.skipWalArchiving()',
    'cnpg.io/fencedInstances': 'ClusterAnnotation.fenceInstances([...])',
    'cnpg.io/reconcilePodSpec': 'ClusterAnnotation.freezePodSpec()',
  };
  const annotations: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(props.annotations ?? {})) {
    if (typedKeys[k]) {
      throw invalidInput(scope, `annotations["${k}"]`, v, 'is an operator annotation with a typed option (its value is checked there)', `use operatorAnnotations: [${typedKeys[k]}]`);
    }
    annotations[k] = v;
  }
  (props.operatorAnnotations ?? []).forEach((a, i) => {
    if (!(a instanceof ClusterAnnotation)) {
      throw invalidInput(scope, `operatorAnnotations[${i}]`, a, 'is not a ClusterAnnotation', 'use a factory such as ClusterAnnotation.hibernate()');
    }
    a._validate(scope, `operatorAnnotations[${i}]`);
    if (annotations[a.key] !== undefined) {
      throw invalidInput(scope, `operatorAnnotations[${i}]`, a.key, 'is given twice', 'give each operator annotation once');
    }
    annotations[a.key] = a.value;
  });
  const inherited = props.inheritedMetadata;
  return {
    annotations: Object.keys(annotations).length ? annotations : undefined,
    spec: {
      inheritedMetadata: inherited && (inherited.labels || inherited.annotations)
        ? { labels: inherited.labels, annotations: inherited.annotations } : undefined,
    },
  };
}
