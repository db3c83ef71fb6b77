/**
 * The shape of the library's errors (src/common/errors.ts `invalidInput`):
 *
 *   <Construct> at '<path>': <field> = <value> <what is wrong>. Fix: <what to do>
 *
 * or, for inputs that are not constructs (settings, static factories), `<Source>: <field> = ...`
 * (`ClusterSettings(<file>)`, `CnpgVersion.of`, `ApplicationProfile.custom("billing")`).
 * Errors raised by `node.addValidation` reach the user wrapped by cdk8s
 * ("Validation failed with the following errors:\n  [<path>] <message>"): each wrapped message
 * must have the shape too.
 */

/** The parts of one library error message. */
export interface LibraryError {
  readonly where: string;
  readonly field: string;
  readonly value: string;
  readonly problem: string;
  readonly fix: string;
}

const SHAPE = /^(?<where>[A-Z][A-Za-z0-9]*(?:\.[A-Za-z]+)?(?: at '[^']*'|\([^)]*\))?): (?<field>[^\s=]+(?: [^\s=]+)*?) = (?<rest>.+)\. Fix: (?<fix>\S[\s\S]*)$/s;
const CDK8S_WRAPPER = /^Validation failed with the following errors:\n/;

/** The messages inside an error (one, or each of a cdk8s validation wrapper). */
export function messagesOf(e: unknown): string[] {
  const msg = e instanceof Error ? e.message : String(e);
  if (!CDK8S_WRAPPER.test(msg)) return [msg];
  return msg.replace(CDK8S_WRAPPER, '').split(/\n  (?=\[)/).map((l) => l.trim().replace(/^\[[^\]]*\] /, ''));
}

/** Parses one message; undefined when it does not have the library's shape. */
export function parseLibraryError(message: string): { where: string; field: string; rest: string; fix: string } | undefined {
  const m = SHAPE.exec(message);
  if (!m?.groups) return undefined;
  return { where: m.groups.where, field: m.groups.field, rest: m.groups.rest, fix: m.groups.fix };
}

/**
 * Why an error is NOT an acceptable library error (undefined when it is): a TypeError /
 * RangeError from inside, or a message without the library's shape.
 */
export function unacceptableError(e: unknown): string | undefined {
  if (!(e instanceof Error)) return `threw a non-Error: ${String(e)}`;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError || e instanceof ReferenceError) {
    return `threw a raw ${e.constructor.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}`;
  }
  for (const m of messagesOf(e)) {
    if (!parseLibraryError(m)) return `message without the library's shape: ${m}`;
  }
  return undefined;
}

/** Runs `fn`, which must throw; returns the error. */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but it synthesized');
}

/** The message a function throws, or `(nothing thrown)`: a whole message to compare. */
export function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(nothing thrown)';
}
