import * as path from 'path';

type YamlModule = typeof import('yaml');
let loaded: YamlModule | undefined;

/**
 * The `yaml` package, loaded on first use: the copy cdk8s bundles (cdk8s, a peer dependency,
 * always loads it, so this costs nothing more) when it is there, else the library's own bundled
 * copy. Settings files, the Flux delivery and the audit read YAML through it; the YAML written
 * at synth is cdk8s's own.
 *
 * @internal
 */
export function yaml(): YamlModule {
  if (!loaded) {
    try {
      const cdk8s = path.dirname(require.resolve('cdk8s/package.json'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(require.resolve('yaml', { paths: [cdk8s] })) as YamlModule;
    } catch {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('yaml') as YamlModule;
    }
  }
  return loaded;
}
