// Writes the replica example to dist/examples/replica/*.k8s.yaml (`npx projen synth:example` runs it).
import * as path from 'path';
import { App } from 'cdk8s';
import { buildReplica } from './replica';

/** Synthesizes the example into `<root>/replica/`; returns the files written. */
export function synthReplicaExample(root: string): string[] {
  const outdir = path.join(root, 'replica');
  const app = new App({ outdir });
  buildReplica(app);
  app.synth();
  return app.charts.map((c) => path.join(outdir, `${c.node.id}.k8s.yaml`));
}

if (require.main === module) {
  for (const f of synthReplicaExample(process.env.CNPG_EXAMPLES_OUTDIR ?? path.resolve(__dirname, '..', '..', 'dist', 'examples'))) {
    console.log(`wrote ${path.relative(process.cwd(), f)}`);
  }
}
