import { Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FluxHealthCheck, FluxHealthCheckExpression } from './health-checks';
import { invalidInput } from '../common/errors';
import { validateName } from '../common/names';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import { goDuration } from '../secrets/external-secret';

/** The Flux source a Kustomization builds from (`spec.sourceRef`). */
export interface FluxSourceReference {
  /**
   * The source's kind: `GitRepository`, `OCIRepository` or `Bucket`.
   *
   * @default 'GitRepository'
   */
  readonly kind?: string;
  /** The source's name, e.g. `flux-system` (the repository `flux bootstrap` created). */
  readonly name: string;
  /**
   * The source's namespace.
   *
   * @default - the Kustomization's namespace
   */
  readonly namespace?: string;
}

/** Another Flux Kustomization this one waits for (`spec.dependsOn`). */
export interface FluxDependency {
  /** Its name, e.g. the operator's Kustomization `cnpg-operator`. */
  readonly name: string;
  /**
   * Its namespace.
   *
   * @default - the Kustomization's namespace
   */
  readonly namespace?: string;
}

/** Where post-build variables come from (`spec.postBuild.substituteFrom`). */
export class FluxSubstituteFrom {
  /**
   * The data of a ConfigMap, e.g. the platform's `cluster-settings`.
   *
   * @param name the ConfigMap, in the Kustomization's namespace
   * @param optional whether a missing ConfigMap is tolerated (default false: Flux fails)
   */
  public static configMap(name: string, optional?: boolean): FluxSubstituteFrom {
    checkArgs('FluxSubstituteFrom.configMap', [name, optional]);
    return new FluxSubstituteFrom('ConfigMap', name, optional);
  }

  /**
   * The data of a Secret.
   *
   * @param name the Secret, in the Kustomization's namespace
   * @param optional whether a missing Secret is tolerated (default false)
   */
  public static secret(name: string, optional?: boolean): FluxSubstituteFrom {
    checkArgs('FluxSubstituteFrom.secret', [name, optional]);
    return new FluxSubstituteFrom('Secret', name, optional);
  }

  /** `ConfigMap` or `Secret`. */
  public readonly kind: string;
  /** The object's name. */
  public readonly name: string;
  /** Whether it may be missing. */
  public readonly optional?: boolean;

  private constructor(kind: string, name: string, optional?: boolean) {
    this.kind = kind;
    this.name = name;
    this.optional = optional;
  }
}

/** Props of {@link FluxKustomization}. */
export interface FluxKustomizationProps {
  /**
   * The Kustomization's name.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Its namespace (where Flux runs and where `substituteFrom` objects are read).
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /** The directory Flux builds, relative to the source's root, e.g. `./kubernetes/workloads/databases`. */
  readonly path: string;
  /**
   * The source.
   *
   * @default - the GitRepository `flux-system`
   */
  readonly sourceRef?: FluxSourceReference;
  /**
   * How often Flux reconciles.
   *
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
  /**
   * How long Flux waits after a failed reconciliation.
   *
   * @default - `interval`
   */
  readonly retryInterval?: Duration;
  /**
   * How long applying and health checks may take.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Whether Flux deletes the objects that leave the directory.
   *
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Whether Flux waits for every applied object to be ready (`spec.wait`; `healthChecks` is then
   * ignored by Flux).
   *
   * @default false
   */
  readonly wait?: boolean;
  /**
   * The Kustomizations to wait for.
   *
   * @default - none
   */
  readonly dependsOn?: FluxDependency[];
  /**
   * Where post-build variables come from.
   *
   * @default - none
   */
  readonly substituteFrom?: FluxSubstituteFrom[];
  /**
   * Objects whose readiness Flux waits for.
   *
   * @default - none
   */
  readonly healthChecks?: FluxHealthCheck[];
  /**
   * CEL health checks of kinds Flux's generic readiness does not understand (Flux 2.5 or newer).
   *
   * @default - none
   */
  readonly healthCheckExprs?: FluxHealthCheckExpression[];
}

/**
 * A Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1): builds a directory of the Git
 * repository, substitutes the platform's variables, applies it, and reports ready once its health
 * checks pass. Checked at synth against the kustomize-controller CRD (vendor/crds/flux-*), like
 * every object the library writes.
 */
export class FluxKustomization extends Construct {
  /** The Kustomization's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** The object as written (escape hatches: `addOverride('spec.force', true)`). */
  public readonly apiObject: CheckedApiObject;
  private readonly healthChecks: FluxHealthCheck[];
  private readonly healthCheckExprs: FluxHealthCheckExpression[];
  private readonly producers: Array<() => { checks: FluxHealthCheck[]; exprs: FluxHealthCheckExpression[] }> = [];

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    checkArgs('new FluxKustomization', [scope, id, props]);
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? 'flux-system';
    validateName(this, 'name', this.name);
    validateName(this, 'namespace', this.namespace);
    if (props.path.startsWith('/') || props.path.split('/').includes('..')) {
      throw invalidInput(this, 'path', props.path, 'is not a directory inside the source',
        'give the path from the repository root, e.g. "./kubernetes/workloads/databases"');
    }
    for (const [field, d] of [['interval', props.interval], ['retryInterval', props.retryInterval], ['timeout', props.timeout]] as const) {
      if (d !== undefined && !(d.toSeconds() >= 1)) throw invalidInput(this, field, d.toHumanString(), 'is shorter than a second', 'give a duration of a second or more, e.g. Duration.minutes(10)');
    }
    const ref = (r: { name: string; namespace?: string }) => ({ name: r.name, namespace: r.namespace });
    this.healthChecks = [...(props.healthChecks ?? [])];
    this.healthCheckExprs = [...(props.healthCheckExprs ?? [])];
    this.apiObject = checkedObject(this, 'Resource', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: this.name, namespace: this.namespace },
      fields: {
        spec: Lazy.any({ produce: () => this.renderSpec(props, ref) }),
      },
    });
  }

  /** Adds an object whose readiness Flux waits for. */
  public addHealthCheck(check: FluxHealthCheck): void {
    checkArgs('FluxKustomization.addHealthCheck', [check], this);
    this.healthChecks.push({ ...check });
  }

  /** Adds the CEL health check of a kind (Flux 2.5 or newer). */
  public addHealthCheckExpression(expression: FluxHealthCheckExpression): void {
    checkArgs('FluxKustomization.addHealthCheckExpression', [expression], this);
    this.healthCheckExprs.push({ ...expression });
  }

  /**
   * Adds health checks computed at synth (FluxDelivery reads the delivered charts then).
   * @internal
   */
  public _addHealthChecksAtSynth(producer: () => { checks: FluxHealthCheck[]; exprs: FluxHealthCheckExpression[] }): void {
    this.producers.push(producer);
  }

  private renderSpec(props: FluxKustomizationProps, ref: (r: { name: string; namespace?: string }) => unknown): any {
    const checks = [...this.healthChecks];
    const exprs = [...this.healthCheckExprs];
    for (const p of this.producers) {
      const more = p();
      checks.push(...more.checks);
      exprs.push(...more.exprs);
    }
    const key = (h: FluxHealthCheck) => `${h.apiVersion}/${h.kind}/${h.namespace ?? ''}/${h.name}`;
    const uniqueChecks = checks.filter((h, i) => checks.findIndex((x) => key(x) === key(h)) === i);
    const uniqueExprs = exprs.filter((h, i) => exprs.findIndex((x) => x.apiVersion === h.apiVersion && x.kind === h.kind) === i);
    return {
      interval: goDuration(props.interval ?? Duration.minutes(10)),
      retryInterval: props.retryInterval ? goDuration(props.retryInterval) : undefined,
      timeout: goDuration(props.timeout ?? Duration.minutes(10)),
      path: props.path,
      prune: props.prune ?? true,
      wait: props.wait ?? false,
      sourceRef: { kind: props.sourceRef?.kind ?? 'GitRepository', name: props.sourceRef?.name ?? 'flux-system', namespace: props.sourceRef?.namespace },
      dependsOn: props.dependsOn?.length ? props.dependsOn.map(ref) : undefined,
      postBuild: props.substituteFrom?.length
        ? { substituteFrom: props.substituteFrom.map((s) => ({ kind: s.kind, name: s.name, optional: s.optional })) }
        : undefined,
      healthChecks: uniqueChecks.length ? uniqueChecks.map((h) => ({ ...h })) : undefined,
      healthCheckExprs: uniqueExprs.length ? uniqueExprs.map((h) => ({ ...h })) : undefined,
    };
  }
}
