#!/usr/bin/env node
// Translates the TypeScript code of the guides (docs/guides/*.md, ```ts blocks) into Python and Go
// with jsii-rosetta, type-checked against the library (lib/, compiled by scripts/docs-api.js), and
// writes the translations to .cache/docs-snippets.json. The site (docs/.vitepress/config.mts) shows
// each such block as tabs: TypeScript, Python, Go. A block whose translation rosetta cannot make
// (it reports a translation error) stays TypeScript only, and is listed here.
//
// Guide snippets are fragments: names they use without declaring them (`chart`, `settings`,
// `cluster`, the library's classes) are declared in a hidden fixture, so the translation knows
// their types (Go needs them to name structs: `&cnpgconstructs.ApplicationProps{...}`).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const rosetta = require('jsii-rosetta');
const { compilationDirectory, exportedTypes, goFixes } = require('./docs-rosetta');

const root = path.resolve(__dirname, '..');
const GUIDES = path.join(root, 'docs', 'guides');
const OUT = path.join(root, '.cache', 'docs-snippets.json');
const ASSEMBLY = '@platform/cnpg-constructs';

/** Names guide snippets use without declaring them, and their types. */
const LIB = `import('${ASSEMBLY}')`;
const FIXTURE = {
  app: "import('cdk8s').App",
  chart: "import('cdk8s').Chart",
  settings: `${LIB}.ClusterSettings`,
  cluster: `${LIB}.CnpgSharedCluster`,
  db: `${LIB}.CnpgSharedCluster`,
  keycloak: `${LIB}.CnpgApplication`,
  harbor: `${LIB}.CnpgApplication`,
  backup: `${LIB}.ClusterBackup`,
};

/** The ```ts blocks of a markdown file (the config reads them the same way). */
function tsBlocks(markdown) {
  return [...markdown.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

function fixtureFor(code, exported) {
  const declared = new Set([...code.matchAll(/\b(?:const|let|var|function|class)\s+(\w+)/g)].map((m) => m[1]));
  const imported = new Set([...code.matchAll(/^import\s*\{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop())));
  const imports = code.match(/^import .*$/gm) ?? [];
  const body = code.replace(/^import .*\n/gm, '');
  const missing = exported.filter((n) => !imported.has(n) && !declared.has(n) && new RegExp(`\\b${n}\\b`).test(body));
  const cdk8sNames = ['App', 'Chart', 'Duration', 'ApiObject', 'JsonPatch'].filter((n) => !imported.has(n) && !declared.has(n) && new RegExp(`\\b${n}\\b`).test(body));
  return [
    ...imports,
    '/// !hide',
    ...(missing.length ? [`import { ${missing.join(', ')} } from '${ASSEMBLY}';`] : []),
    ...(cdk8sNames.length ? [`import { ${cdk8sNames.join(', ')} } from 'cdk8s';`] : []),
    ...Object.entries(FIXTURE).filter(([n]) => !declared.has(n) && new RegExp(`\\b${n}\\b`).test(body)).map(([n, t]) => `declare const ${n}: ${t};`),
    '/// !show',
    body,
  ].join('\n');
}

function main() {
  const exported = exportedTypes();
  const work = compilationDirectory();
  {
    const translator = new rosetta.Translator(true);
    const snippets = {};
    const untranslated = [];
    for (const file of fs.readdirSync(GUIDES).filter((f) => f.endsWith('.md')).sort()) {
      tsBlocks(fs.readFileSync(path.join(GUIDES, file), 'utf-8')).forEach((code, i) => {
        const snippet = rosetta.typeScriptSnippetFromCompleteSource(fixtureFor(code, exported),
          { api: { api: 'file', fileName: `docs/guides/${file}` }, field: { field: 'markdown', line: i + 1 } },
          false, { [rosetta.SnippetParameters.$COMPILATION_DIRECTORY]: work });
        const t = translator.translatorFor(snippet);
        const python = t.renderUsing(new rosetta.PythonVisitor()).trim();
        const go = goFixes(t.renderUsing(new rosetta.GoVisitor()).trim(), exported);
        const failed = t.translateDiagnostics.filter((d) => d.category === 1);
        const compile = t.compileDiagnostics.filter((d) => d.category === 1);
        if (failed.length) {
          untranslated.push(`docs/guides/${file} block ${i + 1}: ${failed[0].messageText}`);
          return;
        }
        snippets[hash(code)] = { file: `guides/${file}`, python, go, typeChecked: compile.length === 0 };
        if (compile.length) console.log(`docs-snippets: docs/guides/${file} block ${i + 1} does not type-check (translated without types): ${flat(compile[0].messageText)}`);
      });
    }
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, `${JSON.stringify(snippets, null, 1)}\n`);
    console.log(`docs-snippets: ${Object.keys(snippets).length} guide blocks in TypeScript, Python and Go (.cache/docs-snippets.json)`);
    for (const u of untranslated) console.log(`docs-snippets: TypeScript only: ${u}`);
  }
}

const flat = (m) => (typeof m === 'string' ? m : m.messageText);

/** The key of a block: its TypeScript, as the markdown holds it. */
function hash(code) {
  return crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
}

module.exports = { hash, tsBlocks };
if (require.main === module) main();
