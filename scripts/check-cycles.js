#!/usr/bin/env node
/**
 * Fails when src/ has an import cycle. The graph comes from the TypeScript compiler itself
 * (`ts.preProcessFile`: every import, `import type` and `export ... from`, as the compiler reads
 * them); cycles are the strongly connected components of more than one file (Tarjan), plus files
 * that import themselves. Generated code in src/imports/ is part of the graph (it imports nothing
 * of ours).
 *
 *   node scripts/check-cycles.js [dir]      # default: src
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'src'));

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolve(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

const graph = new Map();
for (const f of files(root)) {
  const info = ts.preProcessFile(fs.readFileSync(f, 'utf-8'), true, true);
  graph.set(f, [...new Set(info.importedFiles.map((i) => resolve(f, i.fileName)).filter(Boolean))]);
}

// Tarjan's strongly connected components.
let index = 0;
const stack = [];
const on = new Set();
const idx = new Map();
const low = new Map();
const cycles = [];
function connect(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  on.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) {
      low.set(v, Math.min(low.get(v), idx.get(w)));
    }
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) connect(v);

const rel = (f) => path.relative(path.dirname(root), f);
if (cycles.length) {
  console.error(`check-cycles: ${cycles.length} import cycle(s) in ${rel(root)}/:`);
  for (const c of cycles) {
    const set = new Set(c);
    console.error(`  ${c.length} files: ${c.map(rel).sort().join(', ')}`);
    for (const f of [...c].sort()) {
      const inCycle = graph.get(f).filter((t) => set.has(t));
      console.error(`    ${rel(f)} -> ${inCycle.map(rel).join(', ')}`);
    }
  }
  console.error('Fix: make the feature depend on an interface of the core (e.g. src/cluster/cluster-ref.ts) instead of the construct that imports it.');
  process.exit(1);
}
console.log(`check-cycles: ${graph.size} files in ${rel(root)}/, no import cycle`);
