// Writes the restore example to dist/examples/restore/*.k8s.yaml (`npx projen synth:example` runs it).
import * as path from 'path';
import { App } from 'cdk8s';
import { buildRestore } from './restore';

/** Synthesizes the example into `<root>/restore/`; returns the files written. */
export function synthRestoreExample(root: string): string[] {
  const outdir = path.join(root, 'restore');
  const app = new App({ outdir });
  buildRestore(app);
  app.synth();
  return app.charts.map((c) => path.join(outdir, `${c.node.id}.k8s.yaml`));
}

if (require.main === module) {
  for (const f of synthRestoreExample(process.env.CNPG_EXAMPLES_OUTDIR ?? path.resolve(__dirname, '..', '..', 'dist', 'examples'))) {
    console.log(`wrote ${path.relative(process.cwd(), f)}`);
  }
}
