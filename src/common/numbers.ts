import { IConstruct } from 'constructs';
import { invalidInput } from './errors';

/** Throws unless `value` is an integer within [min, max]. @internal */
export function validateInteger(scope: IConstruct, field: string, value: number, min: number, max: number, fix: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw invalidInput(scope, field, value, `is not valid: it must be an integer ${range}`, fix);
  }
}
