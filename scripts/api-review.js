#!/usr/bin/env node
// Reads the jsii assembly (.jsii) and prints what reads awkwardly in Python or Go, per type and
// member, so API changes can be judged before they are published. Prints; asserts nothing.
//   node scripts/api-review.js
const fs = require('fs');
const path = require('path');

const asm = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.jsii'), 'utf-8'));
const PY_KEYWORDS = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'self']);
const PY_BUILTINS = new Set(['type', 'id', 'format', 'hash', 'input', 'list', 'dict', 'map', 'filter', 'min', 'max', 'range', 'set',
  'str', 'int', 'float', 'bool', 'object', 'property', 'any', 'all', 'iter', 'next', 'open', 'vars', 'len', 'sum', 'callable']);
const GO_KEYWORDS = new Set(['break', 'default', 'func', 'interface', 'select', 'case', 'defer', 'go', 'map', 'struct', 'chan',
  'else', 'goto', 'package', 'switch', 'const', 'fallthrough', 'if', 'range', 'type', 'continue', 'for', 'import', 'return', 'var']);
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const pascal = (s) => s[0].toUpperCase() + s.slice(1);

const findings = [];
const note = (where, lang, problem) => findings.push({ where, lang, problem });
const isStruct = (ref) => ref && ref.fqn && asm.types[ref.fqn]?.datatype;
const typeName = (t) => (t?.primitive ?? t?.fqn?.split('.').pop() ?? (t?.collection ? `${t.collection.kind}<${typeName(t.collection.elementtype)}>` : JSON.stringify(t)));

for (const [fqn, type] of Object.entries(asm.types)) {
  const name = fqn.split('.').pop();
  const members = [...(type.properties ?? []).map((p) => ({ ...p, kind: 'property' })), ...(type.methods ?? []).map((m) => ({ ...m, kind: 'method' }))];
  if (type.initializer) members.push({ ...type.initializer, name: '<init>', kind: 'initializer' });
  for (const m of members) {
    const where = `${name}.${m.name}`;
    if (m.kind !== 'initializer') {
      if (PY_KEYWORDS.has(snake(m.name))) note(where, 'python', `'${snake(m.name)}' is a keyword: jsii renames it '${snake(m.name)}_'`);
      else if (PY_BUILTINS.has(snake(m.name)) && m.kind === 'property' && type.datatype) note(where, 'python', `keyword argument '${snake(m.name)}' shadows a builtin (readable, but linters flag it)`);
    }
    const t = m.type ?? m.returns?.type;
    if (t?.primitive === 'any') note(where, 'both', `typed 'any': Python typing.Any, Go interface{} (no type checking)`);
    if (t?.collection?.elementtype?.primitive === 'any') note(where, 'both', `${t.collection.kind} of 'any': Go *map[string]interface{}`);
    if (m.static && m.kind === 'property' && type.kind === 'class') note(where, 'go', `a static property is a function in Go: ${name}_${m.name}() (fine for constants)`);
    const params = m.parameters ?? [];
    params.forEach((p, i) => {
      if (GO_KEYWORDS.has(p.name)) note(`${where}(${p.name})`, 'go', `parameter '${p.name}' is a Go keyword (renamed '${p.name}_')`);
      if (PY_KEYWORDS.has(snake(p.name))) note(`${where}(${p.name})`, 'python', `parameter '${snake(p.name)}' is a Python keyword`);
      if (isStruct(p.type) && i < params.length - 1) {
        note(`${where}(${p.name})`, 'python', `struct parameter '${p.name}' (${typeName(p.type)}) is not last, so Python cannot take its fields as keyword arguments: write ${typeName(p.type)}(...) explicitly`);
      }
      if (p.optional && i < params.length - 1 && !params.slice(i + 1).every((q) => q.optional)) {
        note(`${where}(${p.name})`, 'both', `optional '${p.name}' before a required parameter`);
      }
    });
    if (params.length > 3 && !params.some((p) => isStruct(p.type))) {
      note(where, 'both', `${params.length} positional parameters: Go callers pass ${params.length} pointers in order (${params.map((p) => p.name).join(', ')}); a props struct reads better`);
    }
  }
  if (type.kind === 'enum') {
    for (const mem of type.members ?? []) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(mem.name)) note(`${name}.${mem.name}`, 'both', 'enum member not UPPER_CASE');
    }
  }
  // Go: a struct field and a method of the same name, or a type whose Go name collides.
  if (type.kind === 'class') {
    const goNames = members.filter((m) => m.kind !== 'initializer').map((m) => pascal(m.name));
    const dup = goNames.filter((n, i) => goNames.indexOf(n) !== i);
    for (const d of new Set(dup)) note(`${name}.${d}`, 'go', `two members map to Go '${d}'`);
  }
}

console.log(`${asm.name}: ${Object.keys(asm.types).length} types, ${findings.length} findings`);
for (const f of findings.sort((a, b) => a.where.localeCompare(b.where))) console.log(`- [${f.lang}] ${f.where}: ${f.problem}`);
