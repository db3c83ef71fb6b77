#!/usr/bin/env node
// Generates the docs site's API reference, one page per language, with jsii-docgen from the
// compiled assembly (.jsii): docs/api/typescript.md, python.md, go.md. The files are generated
// at every `npx projen docs` and are not committed (docs/api/ is git-ignored).
//
// On a fresh clone the assembly does not exist yet: the library is compiled first (`projen
// compile`) when .jsii is missing or older than a source file.
//
// What is corrected in jsii-docgen's output (10.x), so that each page shows its language:
// - Go: numbers are `*float64` (docgen writes `*f64`); structs are passed and held as pointers
//   (`props *CnpgSharedClusterProps`, `Storage *ClusterStorage`, `*[]*DatabaseExtension`); static
//   properties are package functions named as jsii-pacmak names them
//   (`cnpgconstructs.ApplicationProfile_KEYCLOAK()`, not `func Keycloak()`); member names keep
//   their case after the first letter (`FromSecretStore`); a struct's literal names its field types
//   by their short names.
// - Every language: `{@link X}` in descriptions becomes a link to X's entry, named as the language
//   names it.
// - Python and Go: code in descriptions (`ApplicationProfile.custom()`,
//   `cluster.addApplication('harbor', ...)`, `{ release: 'kube-prometheus-stack' }`) is translated
//   by jsii-rosetta, type-checked against the library; a prop or method named alone
//   (`maxConnections`) is spelled as the language spells it (`max_connections`, `MaxConnections`).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { compilationDirectory, goFixes } = require('./docs-rosetta');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'docs', 'api');
const ASSEMBLY = '@platform/cnpg-constructs';
const languages = [
  { id: 'typescript', title: 'TypeScript', install: 'npm install @platform/cnpg-constructs' },
  { id: 'python', title: 'Python', install: 'pip install platform-cnpg-constructs' },
  { id: 'go', title: 'Go', install: 'go get github.com/platform/cnpg-constructs-go/cnpgconstructs' },
];
process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ??= '20';

/** Compiles the library when its assembly is missing or older than a source file. */
function ensureCompiled() {
  const jsii = path.join(root, '.jsii');
  const built = fs.existsSync(jsii) ? fs.statSync(jsii).mtimeMs : 0;
  const newer = (dir) => fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? newer(p) : e.name.endsWith('.ts') && fs.statSync(p).mtimeMs > built;
  });
  if (built && !newer(path.join(root, 'src'))) return;
  console.log(built ? 'docs-api: src/ changed since the last compile: compiling' : 'docs-api: no .jsii yet: compiling the library first');
  execFileSync(path.join(root, 'node_modules', '.bin', 'projen'), ['compile'], { cwd: root, stdio: 'inherit' });
}

// ---------------------------------------------------------------------------------------------
// Go: corrections to jsii-docgen's Go transpiler.
// ---------------------------------------------------------------------------------------------
function patchGo() {
  const { GoTranspile } = require('jsii-docgen/lib/docgen/transpile/go');
  const transpile = require('jsii-docgen/lib/docgen/transpile/transpile');
  const reflect = require('jsii-reflect');
  const isGo = (t) => t.transpile.language === transpile.Language.GO;
  const isStruct = (ref) => ref.type?.source?.isDataType?.() === true;
  /** jsii-pacmak's Go names: the first letter upper-cased, the rest as it is. */
  const goName = (name) => name.charAt(0).toUpperCase() + name.slice(1);

  const TypeRef = transpile.TranspiledTypeReference.prototype;
  const toString = TypeRef.toString;
  TypeRef.toString = function (options) {
    const s = toString.call(this, options);
    return isGo(this) && isStruct(this) ? `*${s}` : s;
  };
  const toJson = TypeRef.toJson;
  TypeRef.toJson = function () {
    const j = toJson.call(this);
    return isGo(this) && isStruct(this) ? { ...j, formattingPattern: `*${j.formattingPattern}` } : j;
  };

  GoTranspile.prototype.number = () => '*float64';

  const callable = GoTranspile.prototype.callable;
  GoTranspile.prototype.callable = function (c) {
    const result = callable.call(this, c);
    if (reflect.Initializer.isInitializer(c)) return result;
    const wrong = result.name;
    const name = goName(c.name);
    const fix = (s) => s.replace(new RegExp(`(^func |[._])${wrong}\\(`), `$1${name}(`);
    return { ...result, name, signatures: result.signatures.map(fix), invocations: result.invocations.map(fix) };
  };

  const property = GoTranspile.prototype.property;
  GoTranspile.prototype.property = function (p) {
    const result = property.call(this, p);
    const tf = result.typeReference.toString({ typeFormatter: (t) => t.name });
    if (p.static) {
      // A static property is a package function: cnpgconstructs.ApplicationProfile_KEYCLOAK().
      const name = `${p.parentType.name}_${goName(p.name)}`;
      return { ...result, name: `${name}()`, declaration: `func ${name}() ${tf}` };
    }
    const name = goName(p.name);
    return { ...result, name, declaration: p.parentType.isDataType() ? `${name} ${tf}` : `func ${name}() ${tf}` };
  };

  GoTranspile.prototype.struct = function (struct) {
    const type = this.type(struct);
    const own = type.module;
    const short = (t) => (t.module === own ? t.name : `${this.packageName(t)}.${t.name}`);
    const fields = struct.allProperties.map((p) => `\t${goName(p.name)}: ${this.typeReference(p.type).toString({ typeFormatter: short })},`);
    return {
      type,
      name: struct.name,
      import: `import "${type.module}${type.submodule ? `/${type.submodule}` : ''}"`,
      initialization: [`&${this.packageName(type)}.${type.name} {`, ...fields, '}'].join('\n'),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Descriptions: {@link}, and code translated into Python and Go.
// ---------------------------------------------------------------------------------------------

/** Every entry of a docgen JSON schema with an id, by id. */
function entries(apiReference) {
  const byId = new Map();
  const visit = (node) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      if (typeof node.id === 'string' && typeof node.displayName === 'string' && !node.formattingPattern) byId.set(node.id, node);
      Object.values(node).forEach(visit);
    }
  };
  visit(apiReference);
  return byId;
}

/** Applies fn to every description text (summary, remarks, default) of the schema. */
function mapDescriptions(node, fn) {
  if (Array.isArray(node)) return node.forEach((n) => mapDescriptions(n, fn));
  if (!node || typeof node !== 'object') return;
  if (node.docs) for (const k of ['summary', 'remarks', 'returns', 'deprecationReason']) if (typeof node.docs[k] === 'string') node.docs[k] = fn(node.docs[k]);
  if (typeof node.default === 'string') node.default = fn(node.default);
  for (const [k, v] of Object.entries(node)) if (k !== 'docs') mapDescriptions(v, fn);
}

/**
 * Placeholders in prose (`<name>`, `<cluster>-rw` outside a code span) read as HTML tags: the
 * site's Vue compiler refuses an unclosed one ("Element is missing end tag"). Escaped outside code
 * spans and fences, in every language's page.
 */
function escapePlaceholders(text) {
  return text.split(/(```[\s\S]*?```|`[^`\n]*`)/).map((part, i) => (i % 2 === 1 ? part
    : part.replace(/<(\/?[A-Za-z][\w-]*)>/g, '&lt;$1&gt;'))).join('');
}

/** `{@link Type}`, `{@link Type.member}`, `{@link Type.member text}` → a link to the entry. */
function linkResolver(byId, language) {
  return (text) => text.replace(/\{@link\s+([\w.]+)(?:\s*\|?\s*([^}]*))?\}/g, (all, target, label) => {
    const [typeName, member] = target.split('.');
    const typeId = `${ASSEMBLY}.${typeName}`;
    const candidates = member ? [`${typeId}.${member}`, `${typeId}.property.${member}`] : [typeId];
    const id = candidates.find((c) => byId.has(c));
    if (!id) return label?.trim() || `\`${target}\``;
    const entry = byId.get(id);
    const type = byId.get(typeId);
    let name = entry.displayName;
    if (member) name = language === 'go' && /_/.test(entry.displayName) ? entry.displayName : `${type.displayName}.${entry.displayName}`;
    return `[${label?.trim() || `\`${name}\``}](#${id})`;
  });
}

/**
 * A type in a table or a "Type:" line: a link to its entry when it is the library's; another
 * package's type by its short, qualified name (Go: `constructs.Construct`, not the module path).
 */
function linkFormatter(language) {
  const { defaultLinkFormatter } = require('jsii-docgen/lib/docgen/render/markdown-render');
  return (type, metadata) => {
    if (type.packageName === metadata.packageName || language !== 'go') return defaultLinkFormatter(type, metadata);
    const [module, name] = [type.fqn.slice(0, type.fqn.lastIndexOf('.')), type.fqn.slice(type.fqn.lastIndexOf('.') + 1)];
    const segments = module.split('/');
    const pkg = /^v\d+$/.test(segments[segments.length - 1]) ? segments[segments.length - 2] : segments[segments.length - 1];
    return `${pkg}.${name}`;
  };
}

/** The library's API names (from the assembly): types, and member names of its types. */
function apiNames() {
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf-8'));
  const types = new Set();
  const members = new Set();
  for (const t of Object.values(assembly.types)) {
    types.add(t.name);
    for (const m of [...(t.properties ?? []), ...(t.methods ?? [])]) members.add(m.name);
    for (const m of t.methods ?? []) for (const p of m.parameters ?? []) members.add(p.name);
  }
  return { types, members };
}

/** Field names of the vendored CRDs: a code span naming one of them is a YAML field, not a prop. */
function crdFields() {
  const names = new Set();
  const dir = path.join(root, 'src', 'imports');
  if (!fs.existsSync(dir)) return names;
  for (const f of fs.readdirSync(dir)) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf-8').matchAll(/'([a-z][A-Za-z0-9]*)': /g)) names.add(m[1]);
  }
  return names;
}

/** The names the translation fixture declares (see translateSpans). */
const FIXTURE_NAMES = ['chart', 'cluster', 'settings', 'endpoint'];

/** Python's spelling of a jsii member name (jsii's rule: camelCase → snake_case). */
const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();

/**
 * Translates code spans of descriptions with jsii-rosetta, all in one type-checked snippet per
 * language: each span is an expression statement between markers, in a fixture that declares the
 * names descriptions use (`cluster`, `chart`, `settings`, ...).
 */
function translateSpans(spans) {
  const rosetta = require('jsii-rosetta');
  const work = compilationDirectory();
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf-8'));
  const exported = Object.values(assembly.types).map((t) => t.name).sort();
  const source = [
    '/// !hide',
    "import * as cdk8s from 'cdk8s';",
    `import { ${exported.join(', ')} } from '${ASSEMBLY}';`,
    'declare const chart: cdk8s.Chart;',
    'declare const cluster: CnpgSharedCluster;',
    'declare const settings: ClusterSettings;',
    'declare const endpoint: ServiceEndpoint;',
    'declare const db: string;',
    'declare const cm: any;',
    'declare const x: any;',
    // `const` keeps an object literal from reading as a block; its name is taken off below.
    // `{...}` (props left out) is not TypeScript: it is translated as a literal with one prop, ELIDED.
    ...spans.flatMap((s, i) => [`/// !show`, `// SPAN ${i}`, `const span${i} = ${s.replace(/\{\.\.\.\}/g, '{ ELIDED: 0 }')};`, '/// !hide']),
    'export {};',
  ].join('\n');
  const snippet = rosetta.typeScriptSnippetFromCompleteSource(source,
    { api: { api: 'file', fileName: 'docs-api-descriptions.ts' }, field: { field: 'markdown', line: 1 } },
    false, { [rosetta.SnippetParameters.$COMPILATION_DIRECTORY]: work });
  const translator = new rosetta.Translator(true).translatorFor(snippet);
  const result = {};
  for (const [language, Visitor, comment] of [['python', rosetta.PythonVisitor, '#'], ['go', rosetta.GoVisitor, '//']]) {
    const text = translator.renderUsing(new Visitor());
    const parts = text.split(new RegExp(`^${comment} SPAN (\\d+)\\s*$`, 'm'));
    const translated = new Map();
    for (let i = 1; i < parts.length; i += 2) {
      translated.set(spans[Number(parts[i])], parts[i + 1].trim().replace(new RegExp(`^span${parts[i]} :?= `), '')
        .replace(/\{\s*["']?ELIDED["']?: (?:jsii\.Number\()?0\)?,?\s*\}/g, '{...}').replace(/\bELIDED=0\b/g, '...').replace(/\bELIDED: (?:jsii\.Number\()?0\)?/g, '...'));
    }
    result[language] = translated;
  }
  const errors = translator.compileDiagnostics.filter((d) => d.category === 1);
  return { result, errors };
}

/** Makes rosetta's output one line of the language, or undefined when it is no better than the TypeScript. */
function oneLine(code, language, types) {
  let s = code.trim().replace(/;$/, '');
  if (!s || /TODO|\bMISSING\b|\bany\b\(|import /.test(s)) return undefined;
  if (language === 'go') {
    s = goFixes(s, [...types]);
    // A map prop is a pointer.
    s = s.replace(/^map\[/, '&map[');
  }
  s = s.replace(/\s*\n\s*/g, ' ').replace(/,\s*([}\])])/g, '$1').replace(/\(\s+/g, '(').replace(/\{\s+/g, '{').replace(/\s+\)/g, ')');
  return s.includes('`') ? undefined : s;
}

/** Rewrites the code spans of Python and Go descriptions. */
function codeTranslator(json, language, translations, names, fields) {
  return (text) => text.replace(/(?<!`)`([^`\n]+)`(?!`)/g, (all, code) => {
    const t = translations[language]?.get(code);
    if (t !== undefined) {
      const line = oneLine(t, language, names.types);
      if (line !== undefined) return `\`${line}\``;
    }
    // A prop or method named alone: its spelling in the language (not a CRD's YAML field).
    const bare = /^([a-z][A-Za-z0-9]*)(\(\))?$/.exec(code);
    if (bare && names.members.has(bare[1]) && /[A-Z]/.test(bare[1]) && !fields.has(bare[1])) {
      const name = language === 'python' ? snake(bare[1]) : bare[1].charAt(0).toUpperCase() + bare[1].slice(1);
      return `\`${name}${bare[2] ?? ''}\``;
    }
    return all;
  });
}

/** The code spans worth translating: expressions that use the library's API. */
function codeSpans(json, names) {
  const spans = new Set();
  mapDescriptions(json.apiReference, (text) => {
    for (const [, code] of text.matchAll(/(?<!`)`([^`\n]+)`(?!`)/g)) {
      // `Type.member...`, `new Type(...)`, `cluster.x(...)` (a name the fixture declares), `{ key: 'value' }`.
      const head = /^(?:new )?([A-Za-z_]\w*)[.(]/.exec(code)?.[1];
      const api = head !== undefined && (names.types.has(head) || FIXTURE_NAMES.includes(head));
      const literal = /^\{ \w+: '[^']*'(, \w+: '[^']*')* \}$/.test(code);
      if ((api || literal) && !/\.\.\.(?!\})/.test(code.replace(/\{\.\.\.\}/g, ''))) spans.add(code);
    }
    return text;
  });
  return [...spans];
}

async function main() {
  ensureCompiled();
  patchGo();
  const { Documentation, Language } = require('jsii-docgen');
  const { MarkdownRenderer } = require('jsii-docgen/lib/docgen/render/markdown-render');

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const docs = await Documentation.forProject(root);
  // docgen would transliterate the whole assembly (its README included) with rosetta for each
  // language, which takes minutes and translates nothing of the API reference (its doc comments
  // hold no examples): the descriptions' code is translated below instead.
  const { LANGUAGE_SPECIFIC } = require('jsii-docgen/lib/docgen/view/documentation');
  docs.languageSpecific = async (language, options) => ({
    assembly: await docs.createAssembly(undefined, options),
    transpile: LANGUAGE_SPECIFIC[language.toString()].transpile,
  });
  const names = apiNames();
  const fields = crdFields();
  const schemas = {};
  for (const l of languages) schemas[l.id] = (await docs.toJson({ language: Language.fromString(l.id), loose: true })).content;
  await docs.cleanup?.();

  // One rosetta run for the code spans of every description (they are the same in each schema).
  const spans = codeSpans(schemas.typescript, names);
  const { result: translations, errors } = translateSpans(spans);
  if (process.env.DOCS_API_DEBUG) for (const [l, t] of Object.entries(translations)) for (const [k, v] of t) console.log(l, JSON.stringify(k), "=>", JSON.stringify(v));
  if (errors.length) console.log(`docs-api: ${errors.length} of the descriptions' code spans do not type-check (translated as written)`);

  languages.forEach((l, i) => {
    const json = schemas[l.id];
    const links = linkResolver(entries(json.apiReference), l.id);
    const code = l.id === 'typescript' ? (s) => s : codeTranslator(json, l.id, translations, names, fields);
    // Code first (it reads TypeScript spans), then links (whose names are the language's).
    mapDescriptions(json.apiReference, (s) => links(escapePlaceholders(code(s))));
    const body = MarkdownRenderer.fromSchema(json, { linkFormatter: linkFormatter(l.id) }).render().replace(/^# API Reference.*$/m, '');
    const page = [
      '---',
      `title: API reference (${l.title})`,
      `order: ${i + 1}`,
      'outline: [2, 3]',
      'editLink: false',
      `apiLanguage: ${l.id}`,
      '---',
      '',
      `# API reference (${l.title})`,
      '',
      `Generated by jsii-docgen from the library's jsii assembly; names, types and the code in descriptions are ${l.title}'s. Install: \`${l.install}\`.`,
      '',
      body.trim(),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(out, `${l.id}.md`), page);
  });
  console.log(`wrote ${languages.map((l) => `docs/api/${l.id}.md`).join(', ')} (${spans.length} code spans of descriptions translated)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
