import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
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
    this.overrides.push({ path: splitPath(this, path), value, remove: false });
  }

  /**
   * Removes a field of the object as written (no error when it is not there):
   * `addDeletionOverride('spec.affinity.topologyKey')`.
   *
   * @param path the field's path, as for `addOverride`
   */
  public addDeletionOverride(path: string): void {
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
  public toJson(): any {
    const json = super.toJson();
    for (const o of this.overrides) applyOverride(json, o.path, o.value, o.remove);
    const problems = [...checkObjectSchema(json, this.release()), ...ambiguousPlainStrings(json), ...this.rules.flatMap((r) => r(json))];
    if (problems.length) {
      throw new Error(problems.map((p) => invalidInput(this, `${json.kind} ${p.path}`, p.value, p.problem, p.fix).message).join('\n'));
    }
    return json;
  }
}

function splitPath(scope: Construct, path: string): string[] {
  if (typeof path !== 'string' || !path.trim()) {
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
    const key = Array.isArray(node) && /^\d+$/.test(path[i]) ? Number(path[i]) : path[i];
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') {
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
