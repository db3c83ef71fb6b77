import * as path from 'path';

type YamlModule = typeof import('yaml');
let loaded: YamlModule | undefined;

/**
 * The `yaml` package, loaded on first use: the copy cdk8s bundles (cdk8s, a peer dependency,
 * always loads it, so this costs nothing more) when it is there, else the library's own bundled
 * copy. Reading settings files is the only use, so a program without one never loads either.
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
