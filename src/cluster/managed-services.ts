import { IConstruct } from 'constructs';
import { isCidr } from '../common/cidr';
import { crdEnum } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/** The instances a cluster Service sends connections to. */
export enum ServiceSelector {
  /** The primary (as `<cluster>-rw`). */
  READ_WRITE = 'rw',
  /** The standbys (as `<cluster>-ro`). */
  READ_ONLY = 'ro',
  /** Any instance (as `<cluster>-r`). */
  ANY_INSTANCE = 'r',
}

/** The type of a Kubernetes Service. */
export enum ClusterServiceType {
  /** Inside the Kubernetes cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through a load balancer (cloud, MetalLB, Cilium). */
  LOAD_BALANCER = 'LoadBalancer',
}

/** How the operator applies changes of an additional Service. */
export enum ServiceUpdateStrategy {
  /** Patch the existing Service (CloudNativePG's default). */
  PATCH = 'patch',
  /** Delete and recreate it (e.g. to change its type). */
  REPLACE = 'replace',
}

/**
 * An extra Service the operator creates and keeps for the cluster (`spec.managed.services.additional`),
 * e.g. a LoadBalancer for clients outside Kubernetes, instead of a hand-written Service whose
 * selector would have to track the operator's labels. TLS is still required (the cluster's
 * pg_hba); the construct adds the Service's in-cluster names to the operator's server
 * certificate, and an external DNS name goes into `tls.serverAltDnsNames`.
 */
export interface AdditionalService {
  /** The Service's name (not `<cluster>-rw`/`-ro`/`-r`/`-any`). */
  readonly name: string;
  /** The instances it sends connections to. */
  readonly selector: ServiceSelector;
  /**
   * The Service's type.
   *
   * @default ClusterServiceType.CLUSTER_IP
   */
  readonly serviceType?: ClusterServiceType;
  /**
   * Annotations (e.g. a load balancer's address pool).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Labels.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The client address ranges a load balancer accepts. Recommended with a LoadBalancer: the
   * database is otherwise reachable from everywhere the load balancer is.
   *
   * @default - every address the load balancer is reachable from
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * The load balancer implementation (`loadBalancerClass`).
   *
   * @default - the cluster's default
   */
  readonly loadBalancerClass?: string;
  /**
   * How the operator applies changes.
   *
   * @default ServiceUpdateStrategy.PATCH
   */
  readonly updateStrategy?: ServiceUpdateStrategy;
}

/** The cluster's Services beyond `-rw` (`spec.managed.services`). */
export interface ManagedServices {
  /**
   * Do not create `<cluster>-ro` (the standbys). A pooler of type `ro` then has nothing to
   * forward to, which is an error at synth.
   *
   * @default false
   */
  readonly disableReadOnlyService?: boolean;
  /**
   * Do not create `<cluster>-r` (any instance).
   *
   * @default false
   */
  readonly disableReadService?: boolean;
  /**
   * Extra Services.
   *
   * @default - none
   */
  readonly additional?: AdditionalService[];
}


/**
 * `spec.managed.services`, validated as the webhook does (the `-rw` Service stays; names not the
 * operator's, unique).
 * @internal
 */
export function renderManagedServices(scope: IConstruct, services: ManagedServices | undefined,
  clusterName: string): cnpg.ClusterSpecManagedServices | undefined {
  if (!services) return undefined;
  const disabled: cnpg.ClusterSpecManagedServicesDisabledDefaultServices[] = [];
  if (services.disableReadOnlyService) disabled.push(crdEnum<cnpg.ClusterSpecManagedServicesDisabledDefaultServices>('ro'));
  if (services.disableReadService) disabled.push(crdEnum<cnpg.ClusterSpecManagedServicesDisabledDefaultServices>('r'));
  const reserved = ['rw', 'ro', 'r', 'any'].map((s) => `${clusterName}-${s}`);
  const names = new Set<string>();
  const additional = (services.additional ?? []).map((s, i) => {
    const field = `managedServices.additional[${i}]`;
    validateName(scope, `${field}.name`, s.name, { startsWithLetter: true });
    if (reserved.includes(s.name) || names.has(s.name)) {
      throw invalidInput(scope, `${field}.name`, s.name, reserved.includes(s.name) ? 'is the name of one of the operator\'s own Services' : 'is used twice',
        `give the Service a name of its own, e.g. "${clusterName}-external"`);
    }
    names.add(s.name);
    const type = s.serviceType ?? ClusterServiceType.CLUSTER_IP;
    const lb = type === ClusterServiceType.LOAD_BALANCER;
    for (const [prop, v] of [['loadBalancerSourceRanges', s.loadBalancerSourceRanges], ['loadBalancerClass', s.loadBalancerClass]] as const) {
      if (v !== undefined && !lb) {
        throw invalidInput(scope, `${field}.${prop}`, v, 'only applies to a LoadBalancer Service', 'set serviceType: ClusterServiceType.LOAD_BALANCER, or drop it');
      }
    }
    (s.loadBalancerSourceRanges ?? []).forEach((cidr, j) => {
      if (!containsFluxVariable(String(cidr)) && !isCidr(cidr)) {
        throw invalidInput(scope, `${field}.loadBalancerSourceRanges[${j}]`, cidr, 'is not an IPv4 or IPv6 CIDR', 'give the clients\' range, e.g. "10.0.0.0/8"');
      }
    });
    return {
      selectorType: s.selector as string as cnpg.ClusterSpecManagedServicesAdditionalSelectorType,
      updateStrategy: s.updateStrategy as string as cnpg.ClusterSpecManagedServicesAdditionalUpdateStrategy | undefined,
      serviceTemplate: {
        metadata: { name: s.name, labels: s.labels, annotations: s.annotations },
        spec: {
          type,
          loadBalancerSourceRanges: s.loadBalancerSourceRanges,
          loadBalancerClass: s.loadBalancerClass,
        },
      },
    };
  });
  if (!disabled.length && !additional.length) return undefined;
  return {
    disabledDefaultServices: disabled.length ? disabled : undefined,
    additional: additional.length ? additional : undefined,
  };
}
