#!/usr/bin/env node
/**
 * Writes assets/prop-types.json: the public API's types as the run-time argument check
 * (src/core/prop-check.ts) reads them, generated from the jsii assembly (.jsii) after `jsii`
 * compiles, so a new prop or method is checked without anyone editing a list.
 *
 *   structs     every struct's fields (inherited ones included): name -> [type, 1] when optional,
 *               [type, 0, summary] when required (the first sentence of its docs, for the fix)
 *   enums       every enum's members and their values (read from lib/index.js: the assembly has
 *               the names only)
 *   classes     every class's static factories (signatures) and the examples its docs give
 *               (`Quantity.gibibytes(80)`), the methods elsewhere that return one, and whether
 *               it has a public constructor: the "expected form" of a message
 *   interfaces  every behavioural interface's required properties and the classes implementing it
 *   callables   every public constructor, method and static method that takes arguments:
 *               its parameters [name, type, optional]
 *   external    the static factories of the external classes the API takes (cdk8s.Duration, ...)
 *
 * A type is a string: `string`, `number`, `boolean`, `date`, `any`, `json`, `S:<struct>`,
 * `E:<enum>`, `C:<class>`, `I:<interface>`, `X:<external class or interface fqn>`,
 * `XS:<external struct fqn>`, `A:<type>` (a list) or `M:<type>` (a map of strings to type).
 *
 * `node scripts/gen-prop-types.js` (the post-compile step of `npx projen compile`);
 * `--check` fails when the committed file differs from what the assembly gives (CI drift).
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'assets', 'prop-types.json');

function readAssembly(file) {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

function generate() {
  const asm = readAssembly(path.join(ROOT, '.jsii'));
  const prefix = `${asm.name}.`;
  const types = asm.types;
  const local = (fqn) => fqn.startsWith(prefix);
  const short = (fqn) => fqn.slice(prefix.length);
  const lib = require(path.join(ROOT, 'lib', 'index.js'));

  // External assemblies the API refers to (cdk8s, constructs): their types' kinds and factories.
  const externalAssemblies = {};
  const externalType = (fqn) => {
    const name = fqn.split('.')[0];
    if (!(name in externalAssemblies)) {
      const file = path.join(ROOT, 'node_modules', name, '.jsii');
      externalAssemblies[name] = fs.existsSync(file) ? readAssembly(file) : null;
    }
    return externalAssemblies[name]?.types?.[fqn];
  };

  const typeOf = (ref) => {
    if (ref.primitive) return ref.primitive;
    if (ref.collection) return `${ref.collection.kind === 'array' ? 'A' : 'M'}:${typeOf(ref.collection.elementtype)}`;
    if (ref.union) throw new Error(`union types are not part of the public API: ${JSON.stringify(ref)}`);
    if (ref.fqn) {
      if (local(ref.fqn)) {
        const t = types[ref.fqn];
        const n = short(ref.fqn);
        if (t.kind === 'enum') return `E:${n}`;
        if (t.kind === 'class') return `C:${n}`;
        return t.datatype ? `S:${n}` : `I:${n}`;
      }
      const ext = externalType(ref.fqn);
      return ext?.kind === 'interface' && ext.datatype ? `XS:${ref.fqn}` : `X:${ref.fqn}`;
    }
    throw new Error(`unknown type reference ${JSON.stringify(ref)}`);
  };

  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  // Structs (inherited fields flattened) and behavioural interfaces.
  const ownProps = (fqn) => (types[fqn]?.properties ?? []);
  const allProps = (fqn, seen = new Set()) => {
    if (seen.has(fqn) || !local(fqn)) return [];
    seen.add(fqn);
    const t = types[fqn];
    return [...(t.interfaces ?? []).flatMap((i) => allProps(i, seen)), ...ownProps(fqn)];
  };
  const structs = {};
  const interfaces = {};
  const enums = {};
  const classes = {};
  for (const [fqn, t] of Object.entries(types)) {
    const name = short(fqn);
    if (t.kind === 'interface' && t.datatype) {
      const fields = {};
      // A required field keeps the first sentence of its documentation: the fix of a missing one.
      for (const p of allProps(fqn)) fields[p.name] = p.optional ? [typeOf(p.type), 1] : summaryOf(p) ? [typeOf(p.type), 0, summaryOf(p)] : [typeOf(p.type)];
      structs[name] = sorted(fields);
    } else if (t.kind === 'interface') {
      interfaces[name] = { required: [...new Set(allProps(fqn).filter((p) => !p.optional).map((p) => p.name))].sort(), implementedBy: [] };
    } else if (t.kind === 'enum') {
      const runtime = lib[name];
      if (!runtime) throw new Error(`enum ${name} is not exported by lib/index.js`);
      enums[name] = Object.fromEntries(t.members.map((m) => {
        if (!(m.name in runtime)) throw new Error(`enum ${name} has no member ${m.name} at run time`);
        return [m.name, runtime[m.name]];
      }));
    }
  }

  // Classes: factories, examples from their docs, producers elsewhere, implemented interfaces.
  const signature = (owner, m) => `${owner}.${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`;
  const examplesIn = (className, ...docs) => {
    const out = [];
    const re = new RegExp(`\`((?:new )?${className}\\.[a-zA-Z]+\\([^\`]*\\))\``, 'g');
    for (const d of docs) {
      for (const text of [d?.summary, d?.remarks, d?.example]) {
        if (typeof text !== 'string') continue;
        for (const m of text.matchAll(re)) if (!out.includes(m[1])) out.push(m[1]);
      }
    }
    return out;
  };
  const implemented = (fqn) => {
    const out = new Set();
    for (let t = types[fqn]; t; t = t.base && local(t.base) ? types[t.base] : undefined) {
      for (const i of t.interfaces ?? []) if (local(i)) out.add(short(i));
    }
    return [...out];
  };
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== 'class') continue;
    const name = short(fqn);
    const statics = (t.methods ?? []).filter((m) => m.static && m.returns?.type?.fqn === fqn);
    // An example must call a factory with the arguments it requires (`custom()` is not one).
    const requiredArgs = Object.fromEntries(statics.map((m) => [m.name, (m.parameters ?? []).filter((p) => !p.optional).length]));
    const examples = examplesIn(name, t.docs, ...statics.map((m) => m.docs))
      .filter((e) => {
        const m = /\.([a-zA-Z]+)\((.*)\)$/.exec(e);
        return m && m[1] in requiredArgs && (m[2].trim() !== '' || requiredArgs[m[1]] === 0);
      });
    classes[name] = {
      factories: statics.map((m) => signature(name, m)),
      constants: (t.properties ?? []).filter((p) => p.static && p.type?.fqn === fqn).map((p) => `${name}.${p.name}`),
      examples: examples.slice(0, 3),
      constructible: !!t.initializer && !t.abstract,
      producers: [],
    };
    for (const i of implemented(fqn)) interfaces[i]?.implementedBy.push(name);
  }
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== 'class' && t.kind !== 'interface') continue;
    for (const m of t.methods ?? []) {
      const r = m.returns?.type?.fqn;
      if (!r || !local(r) || r === fqn || !classes[short(r)]) continue;
      classes[short(r)].producers.push(`${m.static ? short(fqn) : lowerFirst(short(fqn))}.${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`);
    }
  }

  // Callables: constructors, methods and static methods with parameters.
  const callables = {};
  const params = (ps) => ps.map((p) => (p.optional ? [p.name, typeOf(p.type), 1] : [p.name, typeOf(p.type)]));
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== 'class') continue;
    const name = short(fqn);
    if (t.initializer?.parameters?.length) callables[`new ${name}`] = params(t.initializer.parameters);
    for (const m of t.methods ?? []) {
      if (m.protected || !m.parameters?.length) continue;
      if (m.parameters.some((p) => p.variadic)) throw new Error(`${name}.${m.name}: variadic parameters are not supported by the argument check`);
      callables[`${name}.${m.name}`] = params(m.parameters);
    }
  }

  // External classes the API takes: their static factories, for messages.
  const external = {};
  const collect = (type) => {
    const m = /^(?:A:|M:)*(X):(.+)$/.exec(type);
    if (!m) return;
    const fqn = m[2];
    const t = externalType(fqn);
    if (!t || external[fqn]) return;
    const simple = fqn.split('.').pop();
    const statics = (t.methods ?? []).filter((x) => x.static && x.returns?.type?.fqn === fqn);
    external[fqn] = { kind: t.kind, factories: statics.map((x) => signature(simple, x)) };
  };
  for (const fields of Object.values(structs)) for (const [type] of Object.values(fields)) collect(type);
  for (const ps of Object.values(callables)) for (const [, type] of ps) collect(type);

  return {
    assembly: asm.name,
    structs: sorted(structs),
    enums: sorted(enums),
    classes: sorted(classes),
    interfaces: sorted(interfaces),
    callables: sorted(callables),
    external: sorted(external),
  };
}

function summaryOf(p) {
  const text = (p.docs?.summary ?? '').replace(/\s+/g, ' ').trim();
  const first = /^(.*?[.:])(\s|$)/.exec(text);
  return (first ? first[1] : text).replace(/[.:]$/, '').replace(/\s*\(`[^`]*`\)$/, '').replace(/`/g, '');
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function main() {
  // One entry a line: small diffs, still compact.
  const table = generate();
  const text = `{\n${Object.entries(table).map(([section, value]) => (typeof value === 'object'
    ? `${JSON.stringify(section)}: {\n${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}`
    : `${JSON.stringify(section)}: ${JSON.stringify(value)}`)).join(',\n')}\n}\n`;
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf-8') : '';
    if (current !== text) {
      console.error('assets/prop-types.json is out of date: run `npx projen compile` and commit it');
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(OUT, text);
}

main();
