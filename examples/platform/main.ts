// The reference platform as a program: writes dist/example/*.k8s.yaml (or $CNPG_EXAMPLE_OUTDIR).
// `npx projen synth:example` runs examples/main.ts, which runs this and the other examples.
import * as path from 'path';
import { App } from 'cdk8s';
import { buildPlatform } from './platform';

const outdir = process.env.CNPG_EXAMPLE_OUTDIR ?? path.resolve(__dirname, '..', '..', 'dist', 'example');
const app = new App({ outdir });
buildPlatform(app);
app.synth();
for (const chart of app.charts) {
  console.log(`wrote ${path.relative(process.cwd(), path.join(outdir, `${chart.node.id}.k8s.yaml`))}`);
}
