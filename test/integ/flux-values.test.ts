/**
 * What a Flux-mode setting may hold: ClusterSettings accepts a value in SettingsMode.FLUX_VARIABLES
 * only when Flux's own post-build substitution (tools/flux-substitute: github.com/fluxcd/pkg/kustomize
 * SubstituteVariables, built by .ci/install/flux-substitute.sh) gives that very string back. Every
 * value the library accepts must come back unchanged; the values it refuses are shown with what
 * Flux makes of them (a boolean, a number, null, or a YAML error).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterSettings, SettingsMode } from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(process.env.CNPG_CACHE_DIR ?? path.join(ROOT, '.cache'), 'bin', 'flux-substitute');

/** Candidate values: words, YAML 1.1 and 1.2 scalars, numbers in every notation, punctuation. */
const VALUES = [
  'databases', 'openebs-local-nvme', 'fast-0', 'nvme', '_x', '/path/x', 'a.b', 'a#b', 'a #b', '12e', '0.1.2', '1,2', 'yes-please',
  'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'false', 'null', 'Null', '~',
  '0', '007', '42', '-1', '+1', '1.0', '.5', '1e3', '0x1F', '0o17', '0b101', '1_000', '.inf', '-.inf', '.nan', '1:20', '2001-01-01',
  '@daily', '[a]', '{a: b}', "'quoted'", '"quoted"', '*ref', '&anchor', '!tag', '%x', '`x`', 'a: b', '- a',
];

/** Refused though Flux keeps them (src/settings/cluster-settings.ts readsAsSomethingElse says why). */
const CONSERVATIVE = ['1:20', '2001-01-01'];

function fluxReads(value: string): unknown {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-values-'));
  const settings = path.join(dir, 'settings.yaml');
  fs.writeFileSync(settings, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  V: ${JSON.stringify(value)}\n`);
  const r = spawnSync(BIN, ['-settings', settings], {
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\n  namespace: x\ndata:\n  k: ${V}\n', encoding: 'utf-8',
  });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) return { error: r.stderr.trim() };
  const out = JSON.parse(r.stdout)[0];
  return out.error ? { error: out.error } : out.data?.k;
}

function libraryAccepts(value: string): boolean {
  try {
    // A free-text setting (the secret store path of the backup keys): only the Flux reading limits it.
    void ClusterSettings.fromData({ CNPG_MINIO_SECRET_PATH: value }, { mode: SettingsMode.FLUX_VARIABLES }).backupCredentialsPath;
    return true;
  } catch {
    return false;
  }
}

describe('Flux-mode settings: the library accepts a value only when Flux substitutes it back as the same string', () => {
  beforeAll(() => {
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run bash .ci/install/flux-substitute.sh (or .ci/deps.sh)`);
  });

  test.each(VALUES)('%j', (value) => {
    const flux = fluxReads(value);
    if (libraryAccepts(value)) {
      expect(flux).toBe(value);
    } else if (CONSERVATIVE.includes(value)) {
      // Refused on purpose although go-yaml v2 keeps it: YAML 1.1 reads it as a number or a date.
      expect(flux).toBe(value);
    } else {
      // Refused because Flux would not give the string back.
      expect(flux).not.toEqual(value);
    }
  });

  test('the YAML 1.1 words are refused: Flux turns them into booleans', () => {
    for (const v of ['yes', 'on', 'y', 'n', 'off', 'No']) {
      expect(libraryAccepts(v)).toBe(false);
      expect(typeof fluxReads(v)).toBe('boolean');
    }
  });
});
