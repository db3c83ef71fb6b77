import { IConstruct } from 'constructs';
import { invalidInput } from './errors';
import { containsFluxVariable } from './flux';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' limit for a label-shaped name (Services, Namespaces). @internal */
export const MAX_LABEL_LENGTH = 63;

/**
 * Validates a Kubernetes name that must be a DNS-1123 label (or DNS-1035 when `startsWithLetter`),
 * including every name derived from it by appending a suffix (`-rw`, `-pooler`, ...).
 * Names holding a Flux variable are passed through.
 *
 * @internal
 */
export function validateName(
  scope: IConstruct,
  field: string,
  name: string,
  options: { readonly maxLength?: number; readonly suffixes?: string[]; readonly startsWithLetter?: boolean } = {},
): void {
  if (typeof name !== 'string') {
    throw invalidInput(scope, field, name, 'is not a string', 'give the name as a string, e.g. "shared-postgres"');
  }
  if (containsFluxVariable(name)) return;
  const maxLength = options.maxLength ?? MAX_LABEL_LENGTH;
  const pattern = options.startsWithLetter ? DNS1035_LABEL : DNS1123_LABEL;
  if (!pattern.test(name)) {
    throw invalidInput(scope, field, name,
      options.startsWithLetter
        ? 'is not a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit)'
        : 'is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)',
      `use a name such as "${suggestName(name)}"`);
  }
  if (name.length > maxLength) {
    throw invalidInput(scope, field, name, `is ${name.length} characters long, more than the ${maxLength} allowed`,
      `use a name of at most ${maxLength} characters`);
  }
  const longest = (options.suffixes ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest && name.length + longest.length > MAX_LABEL_LENGTH) {
    throw invalidInput(scope, field, name,
      `gives the derived name "${name}${longest}" of ${name.length + longest.length} characters, more than Kubernetes' ${MAX_LABEL_LENGTH}`,
      `shorten the name to at most ${MAX_LABEL_LENGTH - longest.length} characters`);
  }
}

function suggestName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return s || 'shared-postgres';
}
