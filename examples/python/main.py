"""``python main.py`` (in examples/python): writes the reference platform to CNPG_EXAMPLE_OUTDIR
(default dist/example-python), like ``npx projen synth:example`` does from TypeScript."""
import os

from cdk8s import App

from reference_platform import build_platform

outdir = os.environ.get("CNPG_EXAMPLE_OUTDIR", "dist/example-python")
app = App(outdir=outdir)
build_platform(app)
app.synth()
for chart in app.charts:
    print(f"wrote {outdir}/{chart.node.id}.k8s.yaml")
