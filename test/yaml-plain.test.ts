import { App, Chart, Yaml } from 'cdk8s';
import { parse } from 'yaml';
import { CnpgSharedCluster } from '../src';

describe('strings cdk8s writes unquoted that YAML 1.2 reads as numbers', () => {
  test('cdk8s writes 0o17 plainly and a YAML 1.2 reader takes the number 15 (why the check exists)', () => {
    const text = Yaml.stringify({ name: '0o17', quoted: '017' });
    expect(text).toContain('name: 0o17\n');
    expect(text).toContain('quoted: "017"\n');
    expect(parse(text)).toEqual({ name: 15, quoted: '017' });
  });

  test('the forms the check reports are written plainly and read as numbers by YAML 1.2; the YAML 1.1 forms are quoted', () => {
    const reported = ['0O17', '0B101', '0X1F', '0o1_7', '0_x1f', '+_0x1f'];
    const quoted = ['0x1f', '0b101', '0x1_f', '-0b1'];
    const text = Yaml.stringify(Object.fromEntries([...reported, ...quoted].map((v, i) => [`k${i}`, v])));
    reported.forEach((v, i) => expect(text).toContain(`k${i}: ${v}\n`));
    quoted.forEach((v, i) => expect(text).toContain(`k${reported.length + i}: "${v}"\n`));
  });

  test('a cluster whose TLS client CA secret is named 0o17 is refused at synth, naming the field and the fix', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new CnpgSharedCluster(chart, 'pg', { tls: { clientCaSecret: '0o17' } } as any);
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Cluster spec\.certificates\.clientCASecret = "0o17" is a value that cdk8s writes unquoted/);
    expect(message).toMatch(/read as the number 15/);
    expect(message).toMatch(/Fix: use a name or text that Go's YAML packages do not read as a number \(e\.g\. "x0o17"\)/);
  });

  test('near misses are written and read back as themselves', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new CnpgSharedCluster(chart, 'pg', { tls: { clientCaSecret: '0o18' } } as any);
    const docs = app.synthYaml().split(/^---$/m).map((d) => parse(d)).filter(Boolean);
    const cluster = docs.find((d: any) => d.kind === 'Cluster');
    expect(cluster.spec.certificates.clientCASecret).toBe('0o18');
  });
});
