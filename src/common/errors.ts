import { IConstruct } from 'constructs';

/**
 * Builds the library's error for an invalid input, in one shape everywhere:
 * which construct (its path), which field, the value, what is wrong, and the fix.
 *
 * @internal
 */
export function invalidInput(scope: IConstruct | string, field: string, value: unknown, problem: string, fix: string): Error {
  const where = typeof scope === 'string' ? scope : `${scope.constructor.name} at '${scope.node.path}'`;
  return new Error(`${where}: ${field} = ${show(value)} ${problem}. Fix: ${fix}`);
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
      return String(value);
    }
  }
  return String(value);
}
