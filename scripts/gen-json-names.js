#!/usr/bin/env node
/**
 * Generates src/imports/json-names.ts: what the generated CRD imports' `toJson_*` converters do to
 * an object, as data, for the specs the library writes. The library builds each spec with the
 * imports' types (TypeScript names: `clientTlsSecret`, `pgHba`) and writes it through
 * src/common/crd-json.ts, which walks these tables: a field whose JSON name differs is renamed
 * (`clientTLSSecret`, `pg_hba`), an int-or-string or quantity is unwrapped (`.value`), a date is
 * written as ISO 8601, and everything else is written as it is.
 *
 * Why: the converters are 0.67 MB of code (half the bundle) that every program loading the library
 * paid to parse and initialize, although only their renames and unwraps do anything
 * (docs/development/performance.md). With these tables the imports are types only at run time.
 *
 * Tables are sparse: a type appears only if it, or a type below it, renames or converts a field.
 * test/crd-json.test.ts checks every table against the converters it is read from, by running them.
 *
 * Input: the converters' source, src/imports/*.ts (regular, one field a line, written by
 * `cdk8s import`). Run by `npx projen import`; never edit the output by hand.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const IMPORTS = path.join(ROOT, 'src', 'imports');
const OUT = path.join(IMPORTS, 'json-names.ts');

/** The specs the library writes: [import module, root type, exported table name]. */
const ROOTS = [
  ['cnpg-cluster-postgresql.cnpg.io', 'ClusterSpec', 'CLUSTER_SPEC'],
  ['cnpg-pooler-postgresql.cnpg.io', 'PoolerSpec', 'POOLER_SPEC'],
  ['cnpg-database-postgresql.cnpg.io', 'DatabaseSpec', 'DATABASE_SPEC'],
  ['cnpg-scheduledbackup-postgresql.cnpg.io', 'ScheduledBackupSpec', 'SCHEDULED_BACKUP_SPEC'],
  ['barman-objectstore-barmancloud.cnpg.io', 'ObjectStoreSpec', 'OBJECT_STORE_SPEC'],
  ['eso-externalsecret-external-secrets.io', 'ExternalSecretSpec', 'EXTERNAL_SECRET_SPEC'],
  ['monitoring-podmonitor-monitoring.coreos.com', 'PodMonitorSpec', 'POD_MONITOR_SPEC'],
  ['monitoring-prometheusrule-monitoring.coreos.com', 'PrometheusRuleSpec', 'PROMETHEUS_RULE_SPEC'],
];

const MAP = (inner) => `((O) === undefined) ? undefined : (Object.entries(O).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: ${inner} }), {})),`;
/** Each shape of field line the converters have, and its kind in the tables (see src/common/crd-json.ts). */
const SHAPES = new Map([
  ['O,', 'i'],
  ['O?.map(y => y),', 'i'],
  [MAP('i[1]'), 'i'],
  [MAP('i[1]?.map(y => y)'), 'i'],
  ['F(O),', 's'],
  ['O?.map(y => F(y)),', 'as'],
  [MAP('F(i[1])'), 'ms'],
  [MAP('i[1]?.map(y => F(y))'), 'mas'],
  ['O?.value,', 'v'],
  [MAP('i[1]?.value'), 'mv'],
  ['O?.toISOString(),', 'd'],
]);

/** Every converter of one module: type -> [[jsonName, tsName, kind, childType]]. */
function parseModule(file) {
  const text = fs.readFileSync(file, 'utf-8');
  const types = new Map();
  const fn = /^export function toJson_(\w+)\(obj: (\w+) \| undefined\): Record<string, any> \| undefined \{\n  if \(obj === undefined\) \{ return undefined; \}\n  const result = \{\n([\s\S]*?)\n  \};\n/gm;
  let m;
  while ((m = fn.exec(text)) !== null) {
    if (m[1] !== m[2]) throw new Error(`${file}: toJson_${m[1]} converts ${m[2]}`);
    const fields = [];
    for (const line of m[3].split('\n')) {
      const f = /^ {4}'([^']+)': (.*)$/.exec(line);
      if (!f) throw new Error(`${file}: toJson_${m[1]}: unexpected line ${JSON.stringify(line)}`);
      const [, jsonName, rhs] = f;
      const props = [...rhs.matchAll(/obj\.(\w+)/g)].map((x) => x[1]);
      const children = [...rhs.matchAll(/toJson_(\w+)/g)].map((x) => x[1]);
      const shape = rhs.replace(/obj\.\w+/g, 'O').replace(/toJson_\w+/g, 'F');
      const kind = SHAPES.get(shape);
      if (!kind || new Set(props).size !== 1 || new Set(children).size > 1) {
        throw new Error(`${file}: toJson_${m[1]}: field '${jsonName}' has a conversion this script does not know: ${rhs}`);
      }
      fields.push([jsonName, props[0], kind, children[0]]);
    }
    types.set(m[1], fields);
  }
  const count = (text.match(/^export function toJson_/gm) ?? []).length;
  if (count !== types.size) throw new Error(`${file}: read ${types.size} of its ${count} converters`);
  return types;
}

const IN_PROGRESS = Symbol('in progress');

/** The sparse table of `type`: its fields that rename or convert, or lead to one that does. */
function table(types, type, memo) {
  if (memo.has(type)) {
    if (memo.get(type) === IN_PROGRESS) throw new Error(`${type} contains itself: the tables cannot describe it`);
    return memo.get(type);
  }
  memo.set(type, IN_PROGRESS);
  const fields = types.get(type);
  if (!fields) throw new Error(`no converter for ${type}`);
  const node = {};
  for (const [jsonName, tsName, kind, child] of fields) {
    const sub = child ? table(types, child, memo) : null;
    if (sub && (kind === 'ms' || kind === 'mas')) {
      throw new Error(`${type}.${tsName}: a map of structs that rename or convert a field; src/common/crd-json.ts does not walk maps of structs yet (add the kind there and here)`);
    }
    const converts = kind === 'v' || kind === 'mv' || kind === 'd';
    if (jsonName === tsName && !converts && !sub) continue;
    // A struct, list or map with nothing to convert below it is written as it is.
    node[tsName] = sub ? [jsonName, kind, sub] : [jsonName, child ? 'i' : kind];
  }
  const result = Object.keys(node).length ? node : null;
  memo.set(type, result);
  return result;
}

/** The text of src/imports/json-names.ts, from the imports as they are. */
function render() {
  const out = [
    '// Generated by scripts/gen-json-names.js from the converters of the CRD imports beside it',
    '// (`npx projen import`). Never edit by hand. Read by src/common/crd-json.ts.',
    '/* eslint-disable */',
    '',
    'import type { CrdJsonTable } from \'../common/crd-json\';',
    ...ROOTS.map(([module, root]) => `import type { ${root} } from './${module}';`),
    '',
  ];
  for (const [module, root, name] of ROOTS) {
    const types = parseModule(path.join(IMPORTS, `${module}.ts`));
    const node = table(types, root, new Map()) ?? {};
    out.push(`/** What \`toJson_${root}\` (${module}) renames and converts. */`);
    out.push(`export const ${name}: CrdJsonTable<${root}> = { root: ${JSON.stringify(node)} };`);
    out.push('');
  }
  return out.join('\n');
}

function main() {
  fs.writeFileSync(OUT, render());
  console.log(`gen-json-names: ${path.relative(ROOT, OUT)} (${(fs.statSync(OUT).size / 1024).toFixed(1)} KiB, ${ROOTS.length} specs)`);
}

if (require.main === module) main();
module.exports = { render };
