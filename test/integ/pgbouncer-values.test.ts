/**
 * The real PgBouncer judges the library's value checks of `spec.pgbouncer.parameters`.
 *
 * test/util/pgbouncer-values.ts gives every key of the CloudNativePG 1.30 allow-list its PgBouncer
 * type, and each type the values the library accepts and refuses (test/pgbouncer-parameters.test.ts
 * holds the library to that table). Here each value goes, key by key, into the reference platform's
 * Keycloak Pooler as the library synthesizes it, rendered as the 1.30 operator writes it
 * (support/pgbouncer-config.ts), and PgBouncer 1.24.1 (the lab's, .ci/install/pgbouncer.sh) runs it
 * in front of the lab's PostgreSQL:
 * - an accepted value: PgBouncer starts, logs no warning or error, and `SHOW CONFIG` reports it;
 * - a value both refuse: PgBouncer refuses to start and names the key;
 * - a value only the library refuses: PgBouncer starts but reads it as the table says (octal,
 *   wrapped, ...), which is the reason the library gives (a socket option read as negative: exits);
 * - one past a key's own limit (VALUE_LIMITS): PgBouncer exits, or refuses the simple queries the
 *   operator's instance manager sends to its admin console.
 *
 * Needs the tools of `bash .ci/deps.sh`; without them every test fails, saying so.
 */
import { KEYCLOAK } from './pgbouncer/fixtures';
import { Lab } from './pgbouncer/lab';
import { DEFAULT_PGBOUNCER_PARAMETERS, PoolerManifest } from './support/pgbouncer-config';
import { acceptedValues, PGBOUNCER_VALUE_TYPES, pgbouncerBehaviour, stricterCases, VALUE_CASES, VALUE_LIMITS } from '../util/pgbouncer-values';
import { escapeRegExp } from '../util/regexp';

jest.setTimeout(300_000);

/** Keys PgBouncer 1.24.1 does not know: added in PgBouncer 1.25.0, the default image of CloudNativePG 1.28 and later. */
const PGBOUNCER_1_25_KEYS = ['client_tls13_ciphers', 'server_tls13_ciphers'];
const KEYS = Object.keys(PGBOUNCER_VALUE_TYPES).sort();
const JUDGED = KEYS.filter((k) => !PGBOUNCER_1_25_KEYS.includes(k));

let lab: Lab | undefined;
let runs = 0;
/** What PgBouncer made of each value, printed at the end for the record. */
const observed: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  lab = new Lab();
  await lab.start([KEYCLOAK.app]);
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  console.info(`PgBouncer value judge: ${runs} PgBouncer runs\n${JSON.stringify(observed, null, 1)}`);
}, 60_000);

type Outcome = { started: true; shows: string | undefined; problems: string[] } | { started: false; log: string };

/**
 * Runs PgBouncer with the Keycloak Pooler, one parameter changed (and `extra`); stops it again.
 * `notReadyWithin` turns an admin console that never answers into an outcome instead of an error.
 */
async function run(key: string, value: string, extra: Readonly<Record<string, string>> = {}, notReadyWithin?: number): Promise<Outcome> {
  if (!lab) throw new Error('the lab did not start (see the beforeAll error)');
  const pooler = JSON.parse(JSON.stringify(KEYCLOAK.pooler)) as PoolerManifest;
  Object.assign(pooler.spec.pgbouncer.parameters as Record<string, string>, extra, { [key]: value });
  runs += 1;
  let instance;
  try {
    instance = await lab.startPgBouncer(`v${runs}`, pooler, { readyTimeoutMs: notReadyWithin });
  } catch (e) {
    const message = (e as Error).message;
    if (!/exited during startup/.test(message) && !(notReadyWithin && /did not become ready/.test(message))) throw e;
    (observed[key] ??= {})[JSON.stringify(value)] = message.split('\n').find((l) => /ERROR/.test(l))?.replace(/^.*ERROR /, 'refused: ') ?? message;
    return { started: false, log: message };
  }
  try {
    const config = Object.fromEntries((await lab.admin(instance, 'SHOW CONFIG')).map((r) => [r.key, r.value]));
    const problems = instance.log().split('\n').filter((l) => /\b(WARNING|ERROR|FATAL)\b/.test(l));
    (observed[key] ??= {})[JSON.stringify(value)] = `reads ${JSON.stringify(config[key])}`;
    return { started: true, shows: config[key], problems };
  } finally {
    await instance.process.stop('SIGTERM', 5_000);
  }
}

/** SHOW CONFIG of ignore_startup_parameters has the operator's two in front. */
function shown(key: string, value: string): string {
  return key === 'ignore_startup_parameters' ? `${DEFAULT_PGBOUNCER_PARAMETERS[key]},${value}` : value;
}

function refusedMessage(key: string, value: string): RegExp {
  const escaped = escapeRegExp(value);
  return key === 'server_tls_protocols'
    ? new RegExp(`ERROR invalid server_tls_protocols: ${escaped}\\n[^]*FATAL TLS setup failed`)
    : new RegExp(`ERROR invalid value "${escaped}" for parameter ${key} in configuration[^]*FATAL cannot load config file`);
}

describe.each(JUDGED)('%s', (key) => {
  const type = PGBOUNCER_VALUE_TYPES[key].type;

  test(`every value the library accepts (${type}): PgBouncer starts cleanly and SHOW CONFIG reports it`, async () => {
    for (const { value, shows, with: extra } of acceptedValues(key)) {
      const outcome = await run(key, value, extra);
      if (key === 'auth_type' && value === 'pam' && !outcome.started) {
        // PgBouncer knows "pam" only when built with PAM; the lab's build (.ci/install/pgbouncer.sh,
        // without libpam) is not. The library cannot know the image's build, so it accepts it.
        expect(outcome.log).toMatch(/ERROR invalid value "pam" for parameter auth_type in configuration/);
        continue;
      }
      expect({ key, value, outcome }).toEqual({ key, value, outcome: { started: true, shows: shown(key, shows ?? value), problems: [] } });
    }
  });

  const cases = VALUE_CASES[type];
  const stricter = stricterCases(key);

  if (cases.refusedByBoth.length > 0) {
    test(`values both refuse: PgBouncer does not start, and names ${key}`, async () => {
      for (const value of cases.refusedByBoth) {
        const outcome = await run(key, value);
        expect({ key, value, started: outcome.started }).toEqual({ key, value, started: false });
        if (!outcome.started) expect(outcome.log).toMatch(refusedMessage(key, value));
      }
    });
  }

  if (stricter.length > 0) {
    test('values only the library refuses: PgBouncer reads them otherwise, or fails with what it reads', async () => {
      for (const { value, reads } of stricter) {
        await expectBehaviour(key, value, pgbouncerBehaviour(key, reads), reads);
      }
    });
  }

  const limit = VALUE_LIMITS[key];
  if (limit) {
    const value = String(limit.max + 1);
    test(`one past the library's limit (${value}): ${limit.beyond === 'exits' ? 'PgBouncer exits' : 'the operator\'s admin connection is refused'}`, async () => {
      expect(pgbouncerBehaviour(key, value)).toBe(limit.beyond);
      await expectBehaviour(key, value, limit.beyond);
    });
  }
});

/** Runs `key = value` and checks what PgBouncer does, as {@link pgbouncerBehaviour} predicts. */
async function expectBehaviour(key: string, value: string, behaviour: ReturnType<typeof pgbouncerBehaviour>, reads?: string): Promise<void> {
  if (behaviour === 'reads') {
    const outcome = await run(key, value);
    expect({ key, value, started: outcome.started, shows: outcome.started ? outcome.shows : undefined })
      .toEqual({ key, value, started: true, shows: shown(key, reads!) });
  } else if (behaviour === 'exits') {
    const outcome = await run(key, value);
    expect({ key, value, started: outcome.started }).toEqual({ key, value, started: false });
    if (!outcome.started) expect(outcome.log).toMatch(/WARNING (socket_set_keepalive|setsockopt\/TCP_USER_TIMEOUT)\(\d+\) failed: Invalid argument[^]*FATAL failed to listen on any address/);
  } else {
    // The lab reaches the admin console as the instance manager does: simple queries over the socket.
    const outcome = await run(key, value, {}, 5_000);
    expect({ key, value, started: outcome.started }).toEqual({ key, value, started: false });
    if (!outcome.started) expect(outcome.log).toMatch(/did not become ready[^]*pooler error: PQexec disallowed/);
  }
}

describe('keys PgBouncer 1.24.1 does not know', () => {
  test.each(PGBOUNCER_1_25_KEYS)('%s (PgBouncer 1.25): 1.24.1 refuses to start with it, whatever the value', async (key) => {
    const outcome = await run(key, acceptedValues(key)[0].value);
    expect(outcome.started).toBe(false);
    if (!outcome.started) expect(outcome.log).toMatch(new RegExp(`ERROR unknown parameter: pgbouncer/${key}`));
  });
});
