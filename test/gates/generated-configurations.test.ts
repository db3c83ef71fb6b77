/**
 * Gate 1, quick sample in the unit suite: generated configurations (see test/util/generated.ts).
 * The 1,000 configurations run in test/integ/generated-configurations.test.ts.
 */
import { runGeneratedConfigurations, seed } from '../util/generated';

const RUNS = Number(process.env.FC_RUNS ?? 100);

test(`${RUNS} random valid configurations synthesize to valid, secure, deterministic YAML`, () => {
  const c = runGeneratedConfigurations(seed(20261125), RUNS);
  expect(c.replication).toEqual(new Set(['async', 'any', 'first']));
  expect(c.backups).toBeGreaterThan(0);
  expect(c.apps.size).toBeGreaterThan(2);
});
