// Data downloads against a local HTTP server on 127.0.0.1 (never the internet): progress and
// checksums, refusals that leave nothing behind, interrupted transfers, skipping verified files,
// and the conversions that turn public formats into the layout the project reads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { CATALOG, findDataset, type CatalogDataset, type CatalogFile } from '../src/core/data/catalog';
import {
  MANIFEST_FILE, appendMatbenchFolds, convertMatbenchJson, downloadDatasets, magpiePreset22Csv, matbenchFolds, mirrorFrom, pythonFloat, selectColumns, selectDatasets, sourceUrl,
  type DownloadProgress,
} from '../src/core/data/download';
import { sharedData } from './helpers/cli';

const ORIGIN = 'https://origin.example';
const BODY = Buffer.from('H 1\nHe 2\n'.repeat(5000));
const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let server: http.Server;
let mirror: string;

before(async () => {
  server = http.createServer((req, res) => {
    const route = (req.url ?? '').replace(/^\/origin\.example/, '');
    hits.set(route, (hits.get(route) ?? 0) + 1);
    const handler = routes.get(route);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

function serve(route: string, body: Buffer): void {
  routes.set(route, (_req, res) => res.writeHead(200, { 'content-length': body.length }).end(body));
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cg-download-'));
}

function dataset(name: string, ...files: CatalogFile[]): CatalogDataset {
  return { name, description: name, licence: 'test', availability: 'exact', files };
}

/** Every file under dir except the manifest, relative and sorted (to prove nothing partial is left). */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== MANIFEST_FILE) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('downloadDatasets', () => {
  it('downloads through the mirror with progress, verifies the checksum and records it', async () => {
    serve('/good.txt', BODY);
    const dir = tempDir();
    const events: DownloadProgress[] = [];
    const set = dataset('good', { path: 'elements/good.txt', url: `${ORIGIN}/good.txt`, sha256: sha(BODY) });
    const [outcome] = await downloadDatasets(['good'], { dir, mirror, catalog: [set], onProgress: (p) => events.push(p) });
    assert.equal(outcome.files[0].status, 'downloaded', outcome.files[0].error);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'elements', 'good.txt')), BODY);
    const downloads = events.filter((e) => e.phase === 'download');
    assert.ok(downloads.length >= 1);
    assert.equal(downloads.at(-1)?.bytes, BODY.length);
    assert.equal(downloads[0].total, BODY.length);
    assert.equal(events.at(-1)?.phase, 'done');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Record<string, { sha256: string }>;
    assert.equal(manifest['elements/good.txt'].sha256, sha(BODY));
  });

  it('refuses a checksum mismatch and leaves no file behind', async () => {
    serve('/tampered.txt', Buffer.from('not what you expected'));
    const dir = tempDir();
    const set = dataset('tampered', { path: 'smact/tampered.txt', url: `${ORIGIN}/tampered.txt`, sha256: sha(BODY) });
    const [outcome] = await downloadDatasets([], { dir, mirror, catalog: [set] });
    assert.equal(outcome.files[0].status, 'failed');
    assert.match(outcome.files[0].error ?? '', /checksum mismatch.*tampered\.txt|tampered\.txt.*checksum mismatch/);
    assert.deepEqual(listFiles(dir), []);
  });

  for (const status of [404, 500]) {
    it(`reports HTTP ${status} with the URL`, async () => {
      routes.set(`/status-${status}`, (_req, res) => res.writeHead(status).end('no'));
      const dir = tempDir();
      const set = dataset('status', { path: 'x/y.csv', url: `${ORIGIN}/status-${status}`, sha256: null });
      const [outcome] = await downloadDatasets([], { dir, mirror, catalog: [set] });
      assert.equal(outcome.files[0].status, 'failed');
      assert.match(outcome.files[0].error ?? '', new RegExp(`127\\.0\\.0\\.1:\\d+/origin\\.example/status-${status}: HTTP ${status}`));
      assert.deepEqual(listFiles(dir), []);
    });
  }

  it('keeps the good file when a transfer is cut mid-body', async () => {
    routes.set('/cut.txt', (_req, res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      res.write(BODY.subarray(0, 1000), () => res.socket?.destroy());
    });
    const dir = tempDir();
    const good = Buffer.from('the good copy\n');
    fs.mkdirSync(path.join(dir, 'nbo'));
    fs.writeFileSync(path.join(dir, 'nbo', 'cut.txt'), good);
    const set = dataset('cut', { path: 'nbo/cut.txt', url: `${ORIGIN}/cut.txt`, sha256: sha(BODY) });
    const [outcome] = await downloadDatasets([], { dir, mirror, catalog: [set] });
    assert.equal(outcome.files[0].status, 'failed');
    assert.match(outcome.files[0].error ?? '', /cut\.txt: (transfer interrupted|transfer failed)/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'nbo', 'cut.txt')), good);
    assert.deepEqual(listFiles(dir), [path.join('nbo', 'cut.txt')]);
  });

  it('skips a file already present with the right checksum without asking the server', async () => {
    serve('/present.txt', BODY);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'present.txt'), BODY);
    const set = dataset('present', { path: 'present.txt', url: `${ORIGIN}/present.txt`, sha256: sha(BODY) });
    const before = hits.get('/present.txt') ?? 0;
    const [outcome] = await downloadDatasets([], { dir, mirror, catalog: [set] });
    assert.equal(outcome.files[0].status, 'skipped');
    assert.equal(hits.get('/present.txt') ?? 0, before);
    const [forced] = await downloadDatasets([], { dir, mirror, catalog: [set], force: true });
    assert.equal(forced.files[0].status, 'downloaded');
  });

  it('replaces a present file whose checksum is wrong', async () => {
    serve('/stale.txt', BODY);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'stale.txt'), 'stale');
    const set = dataset('stale', { path: 'stale.txt', url: `${ORIGIN}/stale.txt`, sha256: sha(BODY) });
    const [outcome] = await downloadDatasets([], { dir, mirror, catalog: [set] });
    assert.equal(outcome.files[0].status, 'downloaded');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'stale.txt')), BODY);
  });

  it('converts a matbench-style json.gz into formula,target,fold', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => [`Fe${i + 1}O`, i === 0 ? 0 : i / 4]);
    serve('/matbench_small.json.gz', zlib.gzipSync(JSON.stringify({ index: rows.map((_, i) => i), columns: ['composition', 'gap expt'], data: rows })));
    const dir = tempDir();
    const set = dataset('small', { path: 'composition/small/expt_gap.csv', url: `${ORIGIN}/matbench_small.json.gz`, sha256: null, conversion: { kind: 'matbench-json-gz' } });
    const [outcome] = await downloadDatasets([], { dir, mirror, catalog: [set] });
    assert.equal(outcome.files[0].status, 'downloaded', outcome.files[0].error);
    const lines = fs.readFileSync(path.join(dir, 'composition', 'small', 'expt_gap.csv'), 'utf8').trimEnd().split('\n');
    const folds = matbenchFolds(12);
    assert.equal(lines[0], 'formula,target,fold');
    assert.equal(lines[1], `Fe1O,0.0,${folds[0]}`);
    assert.equal(lines[3], `Fe3O,0.5,${folds[2]}`);
    assert.deepEqual([0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length), [3, 3, 2, 2, 2]);
    assert.deepEqual(listFiles(dir), [path.join('composition', 'small', 'expt_gap.csv')]);
  });

  it('says "no network" when nothing answers', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = tempDir();
    const set = dataset('offline', { path: 'a.txt', url: `${ORIGIN}/a.txt`, sha256: null });
    const [outcome] = await downloadDatasets([], { dir, mirror: `http://127.0.0.1:${port}`, catalog: [set] });
    assert.match(outcome.files[0].error ?? '', /no network.*CRYSTAL_GAN_DATA/);
  });

  it('offline, stops after the first file instead of waiting on every one', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let attempts = 0;
    const sets = [
      dataset('first', { path: 'a.txt', url: `${ORIGIN}/a.txt`, sha256: null }, { path: 'b.txt', url: `${ORIGIN}/b.txt`, sha256: null }),
      dataset('second', { path: 'c.txt', url: `${ORIGIN}/c.txt`, sha256: null }),
    ];
    const outcomes = await downloadDatasets([], {
      dir: tempDir(), mirror: `http://127.0.0.1:${port}`, catalog: sets,
      onProgress: (p) => { if (p.phase === 'failed') attempts++; },
    });
    const files = outcomes.flatMap((o) => o.files);
    assert.equal(files.length, 3);
    assert.equal(attempts, 1);
    assert.ok(files.every((f) => f.status === 'failed' && f.noNetwork));
    assert.match(files[2].error ?? '', /^not tried: no network/);
    assert.match(files[2].url, /c\.txt$/);
  });
});

describe('catalogue and helpers', () => {
  it('maps origins into a wget -x style mirror and reads the mirror from the environment', () => {
    assert.equal(sourceUrl('https://raw.githubusercontent.com/a/b/c.csv', 'http://m.local/data/'), 'http://m.local/data/raw.githubusercontent.com/a/b/c.csv');
    assert.equal(sourceUrl('https://x.org/a', undefined), 'https://x.org/a');
    assert.equal(mirrorFrom(undefined, { CRYSTAL_GAN_DATA_MIRROR: 'http://m' }), 'http://m');
    assert.equal(mirrorFrom('http://opt', { CRYSTAL_GAN_DATA_MIRROR: 'http://m' }), 'http://opt');
  });

  it('has unique names and paths, https/http origins and well-formed checksums', () => {
    const names = CATALOG.map((d) => d.name);
    assert.equal(new Set(names).size, names.length);
    const paths = CATALOG.flatMap((d) => d.files.map((f) => f.path));
    assert.equal(new Set(paths).size, paths.length);
    for (const d of CATALOG) {
      assert.ok(d.licence && d.description, d.name);
      if (d.availability === 'manual') assert.ok(d.note && d.files.length === 0, d.name);
      for (const f of d.files) {
        assert.match(f.url, /^https?:\/\//);
        assert.ok(f.sha256 === null || /^[0-9a-f]{64}$/.test(f.sha256), f.path);
      }
    }
    assert.throws(() => selectDatasets(['nope']), /unknown data set "nope"; known: magpie/);
  });

  it('writes numbers the way Python does', () => {
    assert.deepEqual([0, 1, 0.1, 1e-5, 1.5e16, 0.0001, -4.612, -0].map(pythonFloat), ['0.0', '1.0', '0.1', '1e-05', '1.5e+16', '0.0001', '-4.612', '-0.0']);
  });

  it('renames and drops columns (pandas index included), quoting where needed', () => {
    const out = selectColumns(',formulas,bandgap\n0,"Fe2O3",1.5\n1,"A,B",2\n', [['formulas', 'formula'], ['bandgap', 'target']], 'x.csv');
    assert.equal(out, 'formula,target\nFe2O3,1.5\n"A,B",2\n');
    assert.throws(() => selectColumns('a,b\n1,2\n', [['formulas', 'formula']], 'x.csv'), /x\.csv: line 1: missing column\(s\) formulas/);
  });

  it('rejects a matbench file without a composition column', () => {
    const gz = zlib.gzipSync(JSON.stringify({ columns: ['structure', 'e_form'], data: [[{}, 1]] }));
    assert.throws(() => convertMatbenchJson(gz, 'm.json.gz'), /no "composition"/);
    assert.throws(() => convertMatbenchJson(Buffer.from('plain'), 'm.json.gz'), /not a gzip-compressed JSON/);
  });
});

describe('Matbench folds on the shared data', { skip: !fs.existsSync(path.join(sharedData, 'composition')) }, () => {
  // The conversion rebuilds our files byte for byte from the public formula,target CSVs.
  for (const file of ['expt_gap_matbench/expt_gap.csv', 'mp_gap_matbench/mp_gap.csv']) {
    it(`reproduces the fold column of ${file}`, () => {
      const text = fs.readFileSync(path.join(sharedData, 'composition', file), 'utf8');
      const withoutFolds = text.split('\n').map((line) => line.replace(/,[^,]*$/, '')).join('\n');
      assert.equal(appendMatbenchFolds(withoutFolds, file), text);
    });
  }
});

describe('Magpie preset tables', { skip: !fs.existsSync(path.join(sharedData, 'elements', 'magpie', 'Number.table')) }, () => {
  const magpieDir = path.join(sharedData, 'elements', 'magpie');

  it('rebuilds magpie_preset22_raw.csv and _imputed.csv byte for byte from the .table files', () => {
    assert.equal(magpiePreset22Csv(magpieDir, false), fs.readFileSync(path.join(magpieDir, 'magpie_preset22_raw.csv'), 'utf8'));
    assert.equal(magpiePreset22Csv(magpieDir, true), fs.readFileSync(path.join(magpieDir, 'magpie_preset22_imputed.csv'), 'utf8'));
  });

  it('downloads the magpie set (68 verified files) and derives the preset CSVs; nothing is derived after a failure', async () => {
    const magpie = findDataset('magpie');
    assert.ok(magpie);
    // The test server's routes are the mirror paths: /<host>/<path> (origin.example is the only host it strips).
    const route = (f: CatalogFile) => `/${new URL(f.url).host}${new URL(f.url).pathname}`;
    for (const f of magpie.files) routes.set(route(f), (_req, res) => res.writeHead(200).end(fs.readFileSync(path.join(sharedData, f.path))));
    const dir = tempDir();
    const [outcome] = await downloadDatasets(['magpie'], { dir, mirror });
    assert.deepEqual(outcome.files.filter((f) => f.status !== 'downloaded').map((f) => `${f.file}: ${f.error}`), []);
    assert.equal(outcome.files.length, 70);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'elements', 'magpie', 'magpie_preset22_imputed.csv')), fs.readFileSync(path.join(magpieDir, 'magpie_preset22_imputed.csv')));
    const again = await downloadDatasets(['magpie'], { dir, mirror });
    assert.ok(again[0].files.every((f) => f.status === 'skipped'));

    routes.delete(route(magpie.files[0]));
    const broken = tempDir();
    const [partial] = await downloadDatasets(['magpie'], { dir: broken, mirror });
    assert.equal(partial.files.filter((f) => f.status === 'failed').length, 1);
    assert.equal(fs.existsSync(path.join(broken, 'elements', 'magpie', 'magpie_preset22_raw.csv')), false);
  });
});
