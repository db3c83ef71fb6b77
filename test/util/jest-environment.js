/**
 * The unit tests' jest environment: jest's node environment with one cache that outlives a test
 * file (`globalThis.__cnpgTestCache`, a Map kept by the worker process).
 *
 * Jest gives every test file a fresh module registry, so each file used to parse the vendored
 * CRDs and compile their JSON schemas again (test/util/conformance.ts: about 2 s per CNPG
 * release, 4 s per file, most of the suite's time). The compiled validators depend on vendor/
 * and test/util only, never on src/, so one per worker is enough. Under mutation testing
 * (stryker.config.mjs) a worker runs the tests of thousands of mutants: compiled once there too.
 *
 * Plain CommonJS, not TypeScript: Stryker's jest runner loads the environment with `require`.
 */
const { TestEnvironment } = require('jest-environment-node');

const shared = new Map();

class CachingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.defineProperty(this.global, '__cnpgTestCache', { value: shared, enumerable: false, configurable: true });
  }
}

module.exports = CachingEnvironment;
