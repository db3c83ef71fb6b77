// What scripts/docs-api.js and scripts/docs-snippets.js share to translate TypeScript into Python
// and Go with jsii-rosetta: a directory where the snippet compiles against this checkout, and the
// corrections rosetta's Go needs to be Go that jsii's Go bindings accept.
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');

/**
 * A directory where `@platform/cnpg-constructs` (and cdk8s, constructs, cdk8s-plus-30) resolve to
 * this checkout, so that rosetta type-checks snippets against lib/. It lies outside the repository:
 * a link back into the repository would make jsii-docgen's assembly discovery loop. Removed at exit.
 */
function compilationDirectory() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-docs-rosetta-'));
  fs.mkdirSync(path.join(work, 'node_modules', '@platform'), { recursive: true });
  fs.symlinkSync(root, path.join(work, 'node_modules', '@platform', 'cnpg-constructs'), 'dir');
  for (const dep of ['cdk8s', 'cdk8s-plus-30', 'constructs']) {
    fs.symlinkSync(path.join(root, 'node_modules', dep), path.join(work, 'node_modules', dep), 'dir');
  }
  process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
  return work;
}

/** The library's exported type names (from .jsii). */
function exportedTypes() {
  return Object.values(JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf-8')).types).map((t) => t.name);
}

/** Applies fn to the parts of Go code outside string literals and comments. */
function outsideStrings(code, fn) {
  return code.split(/("(?:[^"\\\n]|\\.)*"|`[^`]*`|\/\/[^\n]*)/).map((part, i) => (i % 2 ? part : fn(part))).join('');
}

/**
 * rosetta's Go, corrected: the library's structs with their package (`&cnpgconstructs.X{`), a
 * property read through its getter (`settings.BackupBucket()`, `cluster.ReadWriteService().Fqdn()`),
 * `jsii.Bool`, the `{ settings }` shorthand as `Settings: settings`, cdk8s' module path with its
 * major version, trailing comments on the line they belong to, empty struct literals on one line.
 */
function goFixes(code, types) {
  const known = new Set(types);
  let s = outsideStrings(code, (part) => part
    .replace(/&(\w+)\{/g, (all, name) => (known.has(name) ? `&cnpgconstructs.${name}{` : all))
    .replace(/(?<![.\w])(?!cnpgconstructs\b|jsii\b|cdk8s\b|cdk8splus30\b|constructs\b)([a-z]\w*)((?:\.\w+)+)(\(?)/g, (all, head, chain, call) => {
      const segments = chain.slice(1).split('.').map((m) => m.charAt(0).toUpperCase() + m.slice(1));
      return `${head}.${segments.map((m, k) => (k === segments.length - 1 && call ? `${m}(` : `${m}()`)).join('.')}`;
    })
    .replace(/\bjsii\.Boolean\(/g, 'jsii.Bool(')
    .replace(/\b([A-Z])(\w*): \1\2\b/g, (all, a, b) => `${a}${b}: ${a.toLowerCase()}${b}`));
  s = s.replace(/^import "github.com\/cdk8s-team\/cdk8s-core-go\/cdk8s"$/m, 'import "github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"');
  s = s.replace(/\n\t* (\/\/[^\n]*)/g, (all, comment, offset) => {
    // rosetta puts a trailing comment at the start of the next line, after the indent and a space.
    const before = s.slice(0, offset);
    const previous = before.slice(before.lastIndexOf('\n') + 1);
    return /,\s*$/.test(previous) ? ` ${comment}` : all;
  });
  return s.replace(/\{\n\s*\}/g, '{}');
}

module.exports = { compilationDirectory, exportedTypes, goFixes, outsideStrings };
