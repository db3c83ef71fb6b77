/**
 * The names a Python or Go caller writes for a prop the TypeScript API calls `maxDbConnections`:
 * jsii gives Python snake_case (`max_db_connections`, with a trailing `_` after a Python keyword)
 * and Go PascalCase (`MaxDbConnections`). Error messages name a field in all three forms where
 * they differ, so a caller of every language can find it (test/gates/language-names.test.ts compares
 * these with jsii-pacmak's own case conversion for every name of the assembly).
 */

// Only the lower-case keywords: the snake_case name is lower-case (jsii-pacmak's list also has
// False, None and True, which a snake_case name never is).
const PYTHON_KEYWORDS = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass',
  'raise', 'return', 'try', 'while', 'with', 'yield']);

/** `maxDbConnections` → `max_db_connections` (jsii-pacmak's Python names). @internal */
export function pythonName(name: string): string {
  const snake = name
    // jsii-pacmak keeps these abbreviations whole (codemaker's COMMON_ABBREVIATIONS).
    .replace(/(^|[^A-Z])(KiB|MiB|GiB)($|[^a-z])/g, (_m, b: string, a: string, c: string) => `${b}${a.charAt(0)}${a.slice(1).toLowerCase()}${c}`)
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, '$1_$2')
    .toLowerCase();
  return PYTHON_KEYWORDS.has(snake) ? `${snake}_` : snake;
}

/** `maxDbConnections` → `MaxDbConnections` (jsii-pacmak's Go field and method names). @internal */
export function goName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const SEGMENT = '[a-z][A-Za-z0-9]*(?:\\[(?:\\d+|"[^"]*")\\])*';
const PROP_PATH = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})*$`);

/**
 * ` (the field is pooler.parameters.max_db_connections in Python, Pooler.Parameters.MaxDbConnections in Go)` for a
 * prop path whose Python name differs from the TypeScript one; '' for other fields (a settings
 * key, a CRD path, a one-word prop every language spells alike but for Go's capital).
 *
 * @internal
 */
export function languageHint(field: string): string {
  if (!PROP_PATH.test(field)) return '';
  const convert = (f: (s: string) => string) => field.replace(/(^|\.)([a-z][A-Za-z0-9]*)/g, (_m, dot: string, id: string) => `${dot}${f(id)}`);
  const python = convert(pythonName);
  if (python === field) return '';
  return ` (the field is ${python} in Python, ${convert(goName)} in Go)`;
}
