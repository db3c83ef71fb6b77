/**
 * The dashboards' JSON is written by hand (src/monitoring/dashboards.ts) as Grafana's foundation
 * SDK builds it; the SDK is not a runtime dependency any more (docs/development/performance.md).
 * This test drives the SDK (a devDependency, pinned to the version the hand-written JSON copies)
 * and the hand-written builders with the same calls, random ones included, and compares the JSON
 * byte for byte: key order, defaults and grid layout.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder, DashboardCursorSync, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder,
  ThresholdsConfigBuilder, ThresholdsMode, VariableRefresh, VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as fc from 'fast-check';
import { BackupMethod } from '../src';
import {
  clusterDashboard, Dashboard, DashboardContext, DashboardHeader, datasourceVariable, labelVariable, Panels, poolerDashboard, Steps,
} from '../src/monitoring/dashboards';

const DS = { type: 'prometheus', uid: '$datasource' };

/** The SDK calls the dashboards made with version 0.0.21 (before the JSON was written by hand). */
class SdkPanels {
  private id = 1;

  public row(title: string): RowBuilder {
    return new RowBuilder(title).id(this.id++);
  }

  public timeseries(title: string, description: string, unit: string, targets: Array<[string, string]>): timeseries.PanelBuilder {
    return new timeseries.PanelBuilder()
      .id(this.id++)
      .title(title)
      .description(description)
      .datasource(DS)
      .unit(unit)
      .height(8)
      .span(12)
      .fillOpacity(10)
      .legend(new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom))
      .targets(targets.map(([expr, legend], i) => sdkQuery(expr, legend, i)));
  }

  public stat(title: string, description: string, unit: string, expr: string, legend: string, thresholds?: Steps): stat.PanelBuilder {
    const builder = new stat.PanelBuilder()
      .id(this.id++)
      .title(title)
      .description(description)
      .datasource(DS)
      .unit(unit)
      .height(4)
      .span(4)
      .colorMode(common.BigValueColorMode.Value)
      .graphMode(common.BigValueGraphMode.None)
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
      .withTarget(sdkQuery(expr, legend, 0));
    if (thresholds) {
      builder.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(thresholds.map(([value, color]) => ({ value, color }))));
    }
    return builder;
  }

  public text(title: string, content: string): text.PanelBuilder {
    return new text.PanelBuilder().id(this.id++).title(title).mode(text.TextMode.Markdown).content(content).height(4).span(24);
  }
}

function sdkQuery(expr: string, legend: string, index: number): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DS).expr(expr).legendFormat(legend).refId(String.fromCharCode(65 + index));
}

type Header = Omit<DashboardHeader, 'variables'>;

function sdkDashboard(header: Header, label: [string, string, string]): DashboardBuilder {
  return new DashboardBuilder(header.title)
    .uid(header.uid)
    .description(header.description)
    .tags(header.tags)
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(new QueryVariableBuilder(label[0])
      .label(label[1])
      .datasource(DS)
      .query(label[2])
      .definition(label[2])
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*'));
}

/** One call of the dashboards' vocabulary. */
type Op =
  | { kind: 'row'; title: string }
  | { kind: 'timeseries'; title: string; description: string; unit: string; targets: Array<[string, string]> }
  | { kind: 'stat'; title: string; description: string; unit: string; expr: string; legend: string; thresholds?: Steps }
  | { kind: 'text'; title: string; content: string };

const str = fc.string({ maxLength: 20 });
const steps: fc.Arbitrary<Steps> = fc.array(fc.tuple(fc.option(fc.integer({ min: -5, max: 100_000 }), { nil: null }), fc.constantFrom('green', 'red', 'orange')), { minLength: 1, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('row' as const), title: str }),
  fc.record({ kind: fc.constant('timeseries' as const), title: str, description: str, unit: fc.constantFrom('none', 's', 'ops', 'bytes', 'percentunit'), targets: fc.array(fc.tuple(str, str), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('stat' as const), title: str, description: str, unit: fc.constantFrom('none', 's', 'dateTimeFromNow'), expr: str, legend: str, thresholds: fc.option(steps, { nil: undefined }) }),
  fc.record({ kind: fc.constant('text' as const), title: str, content: str }),
);
const header = fc.record({ title: str, uid: str, description: str, tags: fc.array(str, { maxLength: 3 }) });
const labelArgs = fc.tuple(fc.constantFrom('pod', 'pooler'), str, str);

const json = (x: unknown) => JSON.stringify(x, null, 1);

function byHand(h: Header, label: [string, string, string], ops: Op[]): object {
  const p = new Panels();
  const d = new Dashboard({ ...h, variables: [datasourceVariable(), labelVariable(...label)] });
  for (const o of ops) {
    switch (o.kind) {
      case 'row': d.withRow(p.row(o.title)); break;
      case 'timeseries': d.withPanel(p.timeseries(o.title, o.description, o.unit, o.targets)); break;
      case 'stat': d.withPanel(p.stat(o.title, o.description, o.unit, o.expr, o.legend, o.thresholds)); break;
      case 'text': d.withPanel(p.text(o.title, o.content)); break;
    }
  }
  return d.build();
}

function withSdk(h: Header, label: [string, string, string], ops: Op[]): object {
  const p = new SdkPanels();
  const d = sdkDashboard(h, label);
  for (const o of ops) {
    switch (o.kind) {
      case 'row': d.withRow(p.row(o.title)); break;
      case 'timeseries': d.withPanel(p.timeseries(o.title, o.description, o.unit, o.targets)); break;
      case 'stat': d.withPanel(p.stat(o.title, o.description, o.unit, o.expr, o.legend, o.thresholds)); break;
      case 'text': d.withPanel(p.text(o.title, o.content)); break;
    }
  }
  return d.build();
}

describe('the dashboards write the JSON of Grafana\'s foundation SDK 0.0.21', () => {
  test('the SDK installed is the version the JSON copies', () => {
    // package.json is not among the package's exports: read it beside dist/.
    const manifest = path.resolve(path.dirname(require.resolve('@grafana/grafana-foundation-sdk/dashboard')), '..', '..', 'package.json');
    expect(JSON.parse(fs.readFileSync(manifest, 'utf-8')).version.replace(/^v/, '')).toBe('0.0.21');
  });

  test.each([
    ['a row', [{ kind: 'row', title: 'Instances' }]],
    ['six stats in a row, then two time series', [
      { kind: 'row', title: 'r' },
      ...[1, 2, 3, 4, 5, 6].map((i) => ({ kind: 'stat', title: `s${i}`, description: 'd', unit: 'none', expr: 'up', legend: '{{pod}}', thresholds: i % 2 ? [[null, 'green'], [1, 'red']] : undefined })),
      { kind: 'timeseries', title: 't1', description: 'd', unit: 's', targets: [['up', 'a'], ['down', 'b']] },
      { kind: 'timeseries', title: 't2', description: 'd', unit: 'ops', targets: [] },
    ]],
    ['an odd number of half-width panels before a row', [
      { kind: 'timeseries', title: 't', description: 'd', unit: 's', targets: [['up', 'a']] },
      { kind: 'row', title: 'next' },
      { kind: 'text', title: 'x', content: 'y' },
    ]],
  ] as Array<[string, Op[]]>)('%s', (_, ops) => {
    const h = { title: 'T', uid: 'u', description: 'D', tags: ['a'] };
    const label: [string, string, string] = ['pod', 'Instance', 'label_values(up, pod)'];
    expect(json(byHand(h, label, ops))).toBe(json(withSdk(h, label, ops)));
  });

  test('any sequence of rows and panels, any text', () => {
    fc.assert(fc.property(header, labelArgs, fc.array(op, { maxLength: 25 }), (h, label, ops) => {
      expect(json(byHand(h, label, ops))).toBe(json(withSdk(h, label, ops)));
    }), { numRuns: 300 });
  });

  test('the cluster and pooler dashboards are made of these calls only', () => {
    // Each panel of the real dashboards has one of the shapes compared above (the same keys, in order).
    const shapes = new Set<string>();
    const ctx: DashboardContext = {
      namespace: 'databases',
      clusterName: 'pg',
      instances: 3,
      backup: { method: BackupMethod.PLUGIN, maxIntervalSeconds: 86400 } as DashboardContext['backup'],
      poolers: [{ poolerName: 'a-pooler', instances: 2 } as DashboardContext['poolers'][number]],
    };
    const shapeOf = (panel: any) => `${panel.type}:${Object.keys(panel).join(',')}:${Object.keys(panel.fieldConfig?.defaults ?? {}).join(',')}`;
    const real = [
      clusterDashboard(ctx), poolerDashboard(ctx), clusterDashboard({ ...ctx, backup: undefined }), poolerDashboard({ ...ctx, poolers: [] }),
    ];
    for (const d of real as any[]) {
      for (const panel of d.panels) shapes.add(shapeOf(panel));
    }
    const reference = new Set<string>();
    const ops: Op[] = [
      { kind: 'row', title: 'r' },
      { kind: 'stat', title: 's', description: 'd', unit: 'none', expr: 'e', legend: 'l', thresholds: [[null, 'green']] },
      { kind: 'stat', title: 's', description: 'd', unit: 'none', expr: 'e', legend: 'l' },
      { kind: 'timeseries', title: 't', description: 'd', unit: 'none', targets: [['e', 'l']] },
      { kind: 'text', title: 't', content: 'c' },
    ];
    const sdk = withSdk({ title: 'T', uid: 'u', description: 'D', tags: [] }, ['pod', 'p', 'q'], ops) as any;
    for (const panel of sdk.panels) reference.add(shapeOf(panel));
    expect([...shapes].sort()).toEqual([...reference].sort());
  });
});
