import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkArgs } from './prop-check';
import { checkObjectSchema, SchemaProblem } from '../checks/schema';
import { ambiguousPlainStrings } from '../checks/yaml-plain';
import { invalidInput } from '../common/errors';

/**
 * A check of an object as it is written (after overrides and patches), beyond its schema: the
 * rules of the operator's webhooks that the library knows. Returns the problems found.
 *
 * @internal
 */
export type ObjectRule = (json: any) => SchemaProblem[];

/** Props of a {@link CheckedApiObject}. */
export interface CheckedApiObjectProps {
  /** The object's apiVersion, e.g. `postgresql.cnpg.io/v1`. */
  readonly apiVersion: string;
  /** The object's kind, e.g. `Cluster`. */
  readonly kind: string;
  /**
   * The object's metadata.
   *
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The object's top-level fields besides apiVersion, kind and metadata (`spec`, `data`, ...), in
   * the CRD's own field names (as in YAML). A value may be a cdk8s `Lazy`, produced at synth.
   *
   * @default - none
   */
  readonly fields?: { [key: string]: any };
  /**
   * The release of the kind's schema to check against (a CloudNativePG release such as `1.27.1`
   * for CloudNativePG kinds).
   *
   * @default - the newest release whose schema the library carries
   */
  readonly release?: string;
}

/**
 * An object the library writes (a Cluster, Pooler, Database, ScheduledBackup, ObjectStore,
 * ExternalSecret, PodMonitor, PrometheusRule, NetworkPolicy, PodDisruptionBudget, CronJob,
 * ConfigMap, Namespace): a cdk8s `ApiObject` whose JSON is produced once at synth, in the CRD's
 * own field names, and then checked, escape hatches included.
 *
 * Escape hatches write the CRD's field names, exactly as in YAML, and nothing is dropped:
 * `addOverride('spec.postgresql.shared_preload_libraries', ['pg_stat_statements'])`,
 * `addDeletionOverride('spec.enablePDB')` or cdk8s' `addJsonPatch(JsonPatch.add(...))`. At synth
 * the object as written is checked against the schema of its kind for the targeted release
 * (`operatorVersion` for CloudNativePG kinds): an unknown or misspelt field, a field of a newer
 * release, a wrong type or a value outside an enum fails with the path, the value and the nearest
 * known field; and against the operator's webhook rules the library knows.
 */
export class CheckedApiObject extends ApiObject {
  private readonly overrides: Array<{ path: string[]; value: unknown; remove: boolean }> = [];
  private release: () => string | undefined;
  private readonly rules: ObjectRule[] = [];

  constructor(scope: Construct, id: string, props: CheckedApiObjectProps) {
    checkArgs('new CheckedApiObject', [scope, id, props]);
    super(scope, id, { ...(props.fields ?? {}), apiVersion: props.apiVersion, kind: props.kind, metadata: props.metadata });
    const release = props.release;
    this.release = () => release;
  }

  /**
   * Reads the release to check against at synth (the cluster's `operatorVersion`).
   * @internal
   */
  public _releaseFrom(release: () => string | undefined): void {
    this.release = release;
  }

  /**
   * Sets a field of the object as written, in the CRD's own field names (as in YAML), creating the
   * objects on the way: `addOverride('spec.postgresql.shared_preload_libraries', ['pgaudit'])`.
   * Separate the path's parts with dots; a dot inside a key is written `\.`
   * (`metadata.annotations.cnpg\.io/hibernation`); a number indexes an existing list. Checked at
   * synth against the kind's schema for the targeted release.
   *
   * @param path the field's path, e.g. `spec.postgresql.parameters.pg_stat_statements.max`
   * @param value the value (a JSON-like value: string, number, boolean, list or map)
   */
  public addOverride(path: string, value: any): void {
    checkArgs('CheckedApiObject.addOverride', [path, value], this);
    this.overrides.push({ path: splitPath(this, path), value, remove: false });
  }

  /**
   * Removes a field of the object as written (no error when it is not there):
   * `addDeletionOverride('spec.affinity.topologyKey')`.
   *
   * @param path the field's path, as for `addOverride`
   */
  public addDeletionOverride(path: string): void {
    checkArgs('CheckedApiObject.addDeletionOverride', [path], this);
    this.overrides.push({ path: splitPath(this, path), value: undefined, remove: true });
  }

  /**
   * Adds a check of the object as written (after overrides and patches).
   * @internal
   */
  public _addRule(rule: ObjectRule): void {
    this.rules.push(rule);
  }

  /**
   * The object as written: the construct's fields (resolved once), the JSON patches, then the
   * overrides; checked against the kind's schema for the targeted release and the known webhook
   * rules.
   */
  /**
   * Two objects of one kind, namespace and name in one chart: the one applied last would replace
   * the other (two clusters in one namespace, an application on two clusters, ...).
   */
  private clash(json: any): Error | undefined {
    const name = json?.metadata?.name;
    if (typeof name !== 'string') return undefined;
    const namespace = typeof json.metadata.namespace === 'string' ? json.metadata.namespace : '';
    const group = String(json.apiVersion).split('/').slice(0, -1).join('/');
    const key = `${group}|${json.kind}|${namespace}|${name}`;
    const chart = Chart.of(this);
    let seen = WRITTEN.get(chart);
    if (!seen) WRITTEN.set(chart, seen = new Map());
    const other = seen.get(key);
    if (other === undefined || other === this.node.path) {
      seen.set(key, this.node.path);
      return undefined;
    }
    return invalidInput(this, `${json.kind} metadata.name`, name,
      `is also the name of the ${json.kind} written at '${other}'${namespace ? ` in namespace ${namespace}` : ''}: applied together, one would replace the other (and Flux's kustomize build refuses the duplicate)`,
      json.kind === 'Namespace'
        ? 'let one construct write the Namespace: set createNamespace: false on the others'
        : 'give one of them another name (e.g. another clusterName or application name), or put it in another namespace');
  }

  public toJson(): any {
    const json = super.toJson();
    for (const o of this.overrides) applyOverride(json, o.path, o.value, o.remove);
    const problems = [
      ...checkObjectSchema(json, this.release()), ...metadataProblems(json), ...ambiguousPlainStrings(json), ...this.rules.flatMap((r) => r(json)),
    ];
    const clash = this.clash(json);
    if (clash) throw clash;
    if (problems.length) {
      throw new Error(problems.map((p) => invalidInput(this, `${json.kind} ${p.path}`, p.value, p.problem, p.fix).message).join('\n'));
    }
    return json;
  }
}

/** Kubernetes' qualified name (label and annotation keys), with an optional DNS subdomain prefix. */
const QUALIFIED_KEY = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/)?([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const FLUX_VARIABLE = /\$\{[^}]+\}/;

/**
 * The API server's rules for label and annotation keys and values (apimachinery's
 * IsQualifiedName, IsValidLabelValue), for every object as written, overrides included.
 */
function metadataProblems(json: any): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const kind of ['labels', 'annotations'] as const) {
    const map = json?.metadata?.[kind];
    if (!map || typeof map !== 'object') continue;
    for (const [k, v] of Object.entries(map)) {
      const path = `metadata.${kind}[${JSON.stringify(k)}]`;
      const m = QUALIFIED_KEY.exec(k);
      if (!FLUX_VARIABLE.test(k) && (!m || (m[1] ?? '').length > 253 || m[5].length > 63)) {
        problems.push({ path, value: k, problem: 'is not a Kubernetes key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)', fix: 'use a key such as "team" or "example.com/team"' });
      } else if (typeof v !== 'string') {
        problems.push({ path, value: v, problem: 'is not a string', fix: 'quote the value' });
      } else if (kind === 'labels' && !FLUX_VARIABLE.test(v) && (v.length > 63 || !LABEL_VALUE.test(v))) {
        problems.push({ path, value: v, problem: 'is not a label value (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)', fix: 'shorten or simplify the value, or put it in an annotation' });
      }
    }
  }
  return problems;
}

/** The objects of each chart by kind, namespace and name, for the name-clash check. */
const WRITTEN = new WeakMap<object, Map<string, string>>();

function splitPath(scope: Construct, path: string): string[] {
  if (!path.trim()) {
    throw invalidInput(scope, 'override path', path, 'is not a field path', 'write the path with dots in the CRD\'s field names, e.g. "spec.postgresql.parameters.work_mem"');
  }
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      parts.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  parts.push(cur);
  if (parts.some((p) => p === '')) {
    throw invalidInput(scope, 'override path', path, 'has an empty part', 'separate the fields with single dots, e.g. "spec.postgresql.parameters"');
  }
  return parts;
}

function applyOverride(json: any, path: string[], value: unknown, remove: boolean): void {
  let node = json;
  for (let i = 0; i < path.length - 1; i++) {
    // A list's items are read by the index as a string too (`list['1']` is `list[1]`).
    const key = path[i];
    if (node[key] === null || typeof node[key] !== 'object') {
      if (remove) return;
      node[key] = {};
    }
    node = node[key];
  }
  const last = Array.isArray(node) && /^\d+$/.test(path[path.length - 1]) ? Number(path[path.length - 1]) : path[path.length - 1];
  if (remove) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else {
    node[last] = JSON.parse(JSON.stringify(value));
  }
}

/**
 * Creates a {@link CheckedApiObject}, with the release read at synth and the webhook rules the
 * library knows for its kind.
 *
 * @internal
 */
export function checkedObject(scope: Construct, id: string, props: Omit<CheckedApiObjectProps, 'release'> & {
  readonly release?: () => string | undefined;
  readonly rules?: ObjectRule[];
}): CheckedApiObject {
  const { release, rules, ...rest } = props;
  const obj = new CheckedApiObject(scope, id, rest);
  if (release) obj._releaseFrom(release);
  for (const rule of rules ?? []) obj._addRule(rule);
  return obj;
}
