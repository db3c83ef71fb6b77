import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Names, YamlOutputType } from 'cdk8s';
import { CnpgHealthChecks, FluxHealthCheck, FluxHealthCheckExpression } from './health-checks';
import { FluxDependency, FluxKustomization, FluxSourceReference, FluxSubstituteFrom } from './kustomization';
import { substituteObject, substituteText } from './substitution';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { yaml } from '../common/yaml';
import { checkArgs } from '../core/prop-check';
import { ClusterSettings } from '../settings/cluster-settings';

/** Props of {@link FluxDelivery}. */
export interface FluxDeliveryProps {
  /**
   * Where the app's output directory sits in the Git repository Flux reads, from its root, e.g.
   * `./kubernetes/workloads/databases`: the Flux Kustomization's `path`.
   */
  readonly path: string;
  /**
   * The Flux Kustomization's name.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The Flux Kustomization's namespace (where the cluster-settings ConfigMap lives).
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * The Flux source.
   *
   * @default - the GitRepository `flux-system`
   */
  readonly sourceRef?: FluxSourceReference;
  /**
   * The Flux Kustomizations to wait for: at least the one that installs the CloudNativePG operator
   * (and its CRDs), and the external-secrets and Barman Cloud plugin ones, named as the platform
   * names them.
   *
   * @default - none
   */
  readonly dependsOn?: FluxDependency[];
  /**
   * The ConfigMap (in the Kustomization's namespace) whose data Flux substitutes for `${VAR}`.
   *
   * @default 'cluster-settings'
   */
  readonly settingsConfigMap?: string;
  /**
   * The settings the constructs were built from: every `${VAR}` in the delivered objects must be
   * one of their keys, or Flux would write an empty string in its place.
   *
   * @default - the variable names are not checked
   */
  readonly settings?: ClusterSettings;
  /**
   * How often Flux reconciles.
   *
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
  /**
   * How long applying and waiting for the health checks may take (a new cluster's first backup
   * and initdb included).
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * Wait for every applied object to be ready (`spec.wait`, which makes Flux ignore the explicit
   * `healthChecks`; the CEL expressions of CloudNativePG kinds still apply).
   *
   * @default false - explicit health checks of the Clusters, the Poolers (and their Deployments)
   * and the ScheduledBackups
   */
  readonly wait?: boolean;
  /**
   * Whether Flux deletes objects that leave the output.
   *
   * @default true
   */
  readonly prune?: boolean;
  /**
   * The charts delivered.
   *
   * @default - every other chart of the app
   */
  readonly charts?: Chart[];
}

/** The health of the CloudNativePG objects of the delivered charts. */
function cnpgHealthChecks(charts: Chart[], wait: boolean): { checks: FluxHealthCheck[]; exprs: FluxHealthCheckExpression[] } {
  const checks: FluxHealthCheck[] = [];
  const kinds = new Set<string>();
  for (const chart of charts) {
    for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      if (!obj.apiVersion.startsWith('postgresql.cnpg.io/')) continue;
      const at = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name, namespace: obj.metadata.namespace };
      if (obj.kind === 'Cluster' || obj.kind === 'ScheduledBackup') {
        checks.push(at);
        kinds.add(obj.kind);
      } else if (obj.kind === 'Pooler') {
        checks.push(at);
        // The Pooler's Deployment (same name): Flux's own readiness of a rollout.
        checks.push({ apiVersion: 'apps/v1', kind: 'Deployment', name: obj.name, namespace: obj.metadata.namespace });
        kinds.add(obj.kind);
      }
    }
  }
  const exprs = CnpgHealthChecks.all().filter((e) => kinds.has(e.kind));
  return { checks: wait ? [] : checks, exprs };
}

/**
 * The app delivered through Flux, the cdk8s way: a chart holding the Flux `Kustomization`
 * (kustomize.toolkit.fluxcd.io/v1) that builds the app's output directory from Git, after the
 * operator's Kustomization (`dependsOn`), with the platform's `cluster-settings` substituted
 * (`postBuild.substituteFrom`), health checks of the Clusters, Poolers (and their Deployments)
 * and ScheduledBackups (CEL `healthCheckExprs`: Flux 2.5 or newer), and `timeout`; and, in
 * `synth()`, the app written one file per object (cdk8s'
 * `YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE`) with a `kustomization.yaml` per chart
 * folder and one at the top listing them.
 *
 * ```ts
 * const app = new App({ outdir: 'kubernetes/workloads/databases', yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
 * buildPlatform(app);
 * const delivery = new FluxDelivery(app, 'flux-system', { path: './kubernetes/workloads/databases', dependsOn: [{ name: 'cnpg-operator' }] });
 * delivery.synth();
 * ```
 *
 * Objects keep their namespaces (Grafana's dashboards stay where its sidecar looks). The Flux
 * Kustomization itself is written into this chart's folder, outside the built directory's
 * `kustomization.yaml`: apply it from the cluster's own Flux tree.
 */
export class FluxDelivery extends Chart {
  /** The Flux Kustomization. */
  public readonly kustomization: FluxKustomization;
  private readonly deliveryProps: FluxDeliveryProps;

  constructor(scope: App, id: string, props: FluxDeliveryProps) {
    checkArgs('new FluxDelivery', [scope, id, props]);
    super(scope, id);
    this.deliveryProps = props;
    const wait = props.wait ?? false;
    this.kustomization = new FluxKustomization(this, 'Kustomization', {
      name: props.name ?? id,
      namespace: props.namespace,
      path: props.path,
      sourceRef: props.sourceRef,
      dependsOn: props.dependsOn,
      interval: props.interval,
      timeout: props.timeout ?? Duration.minutes(15),
      prune: props.prune,
      wait,
      substituteFrom: [FluxSubstituteFrom.configMap(props.settingsConfigMap ?? 'cluster-settings')],
    });
    this.kustomization._addHealthChecksAtSynth(() => {
      const found = cnpgHealthChecks(this.deliveredCharts(), wait);
      return { checks: found.checks.map((c) => this.resolved(c)), exprs: found.exprs };
    });
  }

  /** The charts delivered (every other chart of the app unless `charts` was given). */
  public deliveredCharts(): Chart[] {
    return this.deliveryProps.charts ?? App.of(this).charts.filter((c) => c !== this);
  }

  /**
   * Synthesizes the app (`app.synth()`: validation, one file per object, a folder per chart),
   * then writes the `kustomization.yaml` files. Returns the files written, relative to the app's
   * output directory.
   */
  public synth(): string[] {
    const app = App.of(this);
    if (app.yamlOutputType !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
      throw invalidInput(this, 'app.yamlOutputType', YamlOutputType[app.yamlOutputType], 'does not write a folder per chart and a file per object, which the delivery lists in kustomization.yaml',
        'create the App with yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE');
    }
    const charts = this.deliveredCharts();
    const names = new Map<Chart, string[]>();
    for (const chart of charts) {
      const files = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
        .map((o) => `${`${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '')}${app.outputFileExtension}`);
      const dup = files.find((f, i) => files.indexOf(f) !== i);
      if (dup) {
        throw invalidInput(this, 'charts', chart.node.id, `has two objects written to the file ${dup} (same kind and name in two namespaces): cdk8s would keep only one`,
          'put objects of the same kind and name into different charts');
      }
      names.set(chart, files);
    }
    app.synth();
    const written: string[] = [];
    const folders: string[] = [];
    const dirs = fs.readdirSync(app.outdir).filter((d) => fs.statSync(path.join(app.outdir, d)).isDirectory());
    for (const chart of charts) {
      const label = Names.toDnsLabel(chart);
      const folder = dirs.find((d) => d === label) ?? dirs.find((d) => /^\d{4}-/.test(d) && d.slice(5) === label);
      if (!folder) throw new Error(`FluxDelivery: the folder of chart ${chart.node.path} was not written under ${app.outdir}`);
      const files = [...names.get(chart)!].sort();
      this.checkVariables(app.outdir, folder, files);
      fs.writeFileSync(path.join(app.outdir, folder, 'kustomization.yaml'), kustomizationYaml(files, `the ${chart.node.id} chart`));
      written.push(`${folder}/kustomization.yaml`);
      folders.push(folder);
    }
    fs.writeFileSync(path.join(app.outdir, 'kustomization.yaml'), kustomizationYaml(folders.sort(), 'the delivered charts; the Flux Kustomization itself is applied from the cluster\'s Flux tree'));
    written.push('kustomization.yaml');
    return written;
  }

  /**
   * A health check names the object as the cluster knows it: the Flux Kustomization is not
   * substituted by its own postBuild, so variables in names are resolved from the settings here.
   */
  private resolved(check: FluxHealthCheck): FluxHealthCheck {
    const settings = this.deliveryProps.settings;
    const resolve = (field: string, v: string | undefined): string | undefined => {
      if (v === undefined || !containsFluxVariable(v)) return v;
      const vars: Record<string, string> = {};
      for (const k of settings?.keys ?? []) vars[k] = settings!.value(k)!;
      try {
        const out = substituteText(v, vars, true);
        if (!containsFluxVariable(out)) return out;
      } catch {
        // undefined variable: reported below
      }
      throw invalidInput(this, `healthChecks ${check.kind} ${field}`, v,
        'is a Flux variable, which the Flux Kustomization\'s own health checks cannot name (its postBuild substitutes the built objects, not itself)',
        'give FluxDelivery the settings (settings: ClusterSettings.fromFile(...)) that define it');
    };
    return { ...check, name: resolve('name', check.name)!, namespace: resolve('namespace', check.namespace) };
  }

  /** Every `${VAR}` of the delivered objects is a key of the settings (when given), and Flux can parse every expression. */
  private checkVariables(outdir: string, folder: string, files: string[]): void {
    const settings = this.deliveryProps.settings;
    if (!settings) return;
    const known = new Set(settings.keys);
    for (const file of files) {
      const text = fs.readFileSync(path.join(outdir, folder, file), 'utf-8');
      // One object a file (cdk8s writes each ApiObject to its own file), with metadata.name.
      for (const obj of yaml().parseAllDocuments(text).map((d) => d.toJS())) {
        const r = substituteObject(obj, {}, false);
        const refused = r.unsupported.find((u) => u.refused !== undefined);
        if (refused) {
          throw invalidInput(this, `${obj.kind} ${obj.metadata.name} ${refused.path}`, refused.expression,
            `is an expression Flux's envsubst cannot parse (${refused.refused}): Flux would fail the whole Kustomization`,
            'write ${VAR}, ${VAR:=default} or ${VAR:-default} (with a colon), or escape a literal "${" as "$${"');
        }
        const refs = r.references.filter((ref) => !ref.hasDefault && !known.has(ref.name));
        const unknown = [...new Set(refs.map((ref) => ref.name))];
        if (unknown.length) {
          throw invalidInput(this, `${obj.kind} ${obj.metadata.name} ${refs[0].path}`, unknown.map((n) => '${' + n + '}').join(' '),
            'names variables the cluster-settings do not define: Flux would write an empty string in their place',
            'define them in the cluster-settings, or escape a literal "${" as "$${"');
        }
      }
    }
  }
}

function kustomizationYaml(resources: string[], what: string): string {
  return `# Generated by @platform/cnpg-constructs (FluxDelivery): ${what}.\n`
    + yaml().stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}
