/**
 * What the generated CRD imports' `toJson_*` converters do to a field, as data (src/imports/json-names.ts,
 * written by scripts/gen-json-names.js from the converters themselves):
 *   i   written as it is (under its JSON name)      s    a struct: walked with the child table
 *   as  an array of structs                         v    an int-or-string or quantity: its `.value`
 *   mv  a map of those                              d    a date: ISO 8601
 * (No table needs a map of structs: scripts/gen-json-names.js fails if one ever does.)
 *
 * @internal
 */
export type CrdJsonKind = 'i' | 's' | 'as' | 'v' | 'mv' | 'd';

/**
 * The fields of one type that the converters rename or convert, or that lead to one that does,
 * by TypeScript name: [JSON name, kind, child table].
 *
 * @internal
 */
export interface CrdJsonNode {
  readonly [tsName: string]: readonly [string, CrdJsonKind, CrdJsonNode?];
}

/**
 * The table of one spec type `T` (the type is only there to pair a spec with its table at compile
 * time).
 *
 * @internal
 */
export interface CrdJsonTable<T> {
  readonly root: CrdJsonNode;
  /** Never set: pairs the table with its type. */
  readonly _type?: T;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A spec built with the imports' types (TypeScript names), as the CRD's JSON: what the imports'
 * `toJson_*` converters write, without their code at run time (half of the bundle). Fields not in
 * the table are written as they are; undefined and null fields are left out (cdk8s leaves them
 * out of what the converters write too). test/crd-json.test.ts holds it to the converters.
 *
 * @internal
 */
export function toCrdJson<T>(value: NoInfer<T> | undefined, table: CrdJsonTable<T>): any {
  return walk(value, table.root);
}

function walk(value: unknown, node: CrdJsonNode): any {
  if (value === undefined || value === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    const field = hasOwn.call(node, key) ? node[key] : undefined;
    if (field === undefined) {
      out[key] = v;
      continue;
    }
    const [name, kind, child] = field;
    out[name] = convert(v, kind, child);
  }
  return out;
}

function convert(v: unknown, kind: CrdJsonKind, child: CrdJsonNode | undefined): unknown {
  switch (kind) {
    case 'i': return v;
    case 's': return walk(v, child!);
    case 'as': return (v as unknown[]).map((x) => walk(x, child!));
    case 'v': return unwrap(v);
    case 'mv': return mapEntries(v, unwrap);
    case 'd': return v instanceof Date ? v.toISOString() : v;
  }
}

function mapEntries(v: unknown, f: (x: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x !== undefined && x !== null) out[k] = f(x);
  }
  return out;
}

/** An int-or-string or quantity of the imports (`{ value }`), or the plain value itself (never null here). */
function unwrap(v: unknown): unknown {
  return typeof v === 'object' && 'value' in (v as object) ? (v as { value: unknown }).value : v;
}

/**
 * An int-or-string or quantity value of one of the imports' types (their classes wrap it in
 * `value`), made without loading the imports' code.
 *
 * @internal
 */
export function crdValue<T>(value: string | number): T {
  return { value } as unknown as T;
}

/**
 * One of an import's enum values, checked against the enum's values at compile time, without
 * loading the imports' code: `crdEnum<cnpg.ClusterSpecManagedRolesEnsure>('present')`.
 *
 * @internal
 */
export function crdEnum<E extends string>(value: `${E}`): E {
  return value as E;
}

/**
 * A map of int-or-string or quantity values (resource requests and limits), as `crdValue` makes
 * each.
 *
 * @internal
 */
export function crdValues<T>(values: Record<string, string> | undefined): Record<string, T> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, crdValue<T>(v)]));
}
