/**
 * Gate 1: 1,000 generated configurations of the whole public surface (test/util/generated.ts):
 * synth succeeds, every object passes the schemas, the invariants and Pod Security Admission
 * `restricted` hold, and two synths are byte-identical. Here rather than in the unit suite for
 * its run time (about 2 minutes on 2 cores); the seed is fixed in CI and printed.
 */
import { runGeneratedConfigurations, seed } from '../util/generated';

const RUNS = Number(process.env.FC_RUNS ?? 1000);

test(`${RUNS} random valid configurations synthesize to valid, secure, deterministic YAML`, () => {
  const c = runGeneratedConfigurations(seed(7_000_001), RUNS);
  // The generator reaches the whole surface, not one corner of it.
  expect(c.replication).toEqual(new Set(['async', 'any', 'first']));
  expect(c.superuser).toEqual(new Set(['disabled', 'operator', 'store']));
  expect(c.instances.size).toBeGreaterThan(8);
  expect(c.apps).toEqual(new Set([0, 1, 2, 3, 4]));
  expect(c.backups).toBeGreaterThan(RUNS / 4);
  expect(c.monitoring).toBeGreaterThan(RUNS / 4);
}, 1_800_000);
