import { IConstruct } from 'constructs';
import { languageHint } from './language-names';

/**
 * Builds the library's error for an invalid input, in one shape everywhere:
 * which construct (its path), which field, the value, what is wrong, and the fix. A prop path
 * whose Python or Go name differs (`maxDbConnections`) is also named in those forms
 * (`max_db_connections`, `MaxDbConnections`).
 *
 * @internal
 */
export function invalidInput(scope: IConstruct | string, field: string, value: unknown, problem: string, fix: string,
  options: { readonly languageHint?: boolean } = {}): Error {
  const where = typeof scope === 'string' ? scope : `${scope.constructor.name} at '${scope.node.path}'`;
  const hint = options.languageHint ?? true ? languageHint(field) : '';
  return new Error(`${where}: ${field} = ${show(value)} ${problem}. Fix: ${fix}${hint}`);
}

/** Renders a value for an error message. @internal */
export function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    if (typeof (value as any).toString === 'function' && (value as any).toString !== Object.prototype.toString) {
      return String(value);
    }
    try {
      return JSON.stringify(value);
    } catch {
      // A circular object: String() below.
    }
  }
  return String(value);
}
