// The CIF worker's protocol and limits, without VS Code: the scheduler (newest version wins, a
// stale read restarts the worker), the analysis (limits, caps, the large-file note), hover answers,
// and the real worker thread reading a generated CIF.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { analyzeCif, CIF_LIMITS, hoverAnswer, maxAtomSiteRows, type CifLimits } from '../src/extension/language/cifWorkerAnalysis';
import { CifWorkerClient } from '../src/extension/language/cifWorkerClient';
import { CifRequestCancelled, CifRequestScheduler, type CifWorkerRequest } from '../src/extension/language/cifWorkerProtocol';

const HEADER = ['data_test', '_cell_length_a 10', '_cell_length_b 10', '_cell_length_c 10', '_cell_angle_alpha 90', '_cell_angle_beta 90', '_cell_angle_gamma 90',
  "_symmetry_space_group_name_H-M 'P 1'", "_chemical_formula_sum 'Nb O2'", 'loop_', '_atom_site_label', '_atom_site_type_symbol', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z'];

/** A P1 cell with `sites` atom sites on a grid (no two at one place). */
function p1Cif(sites: number): string {
  const lines = [...HEADER];
  const n = Math.ceil(Math.cbrt(sites));
  for (let i = 0; i < sites; i++) lines.push(`${i % 3 ? 'O' : 'Nb'}${i} ${i % 3 ? 'O' : 'Nb'} ${((i % n) / n).toFixed(4)} ${((Math.floor(i / n) % n) / n).toFixed(4)} ${(Math.floor(i / (n * n)) / n).toFixed(4)}`);
  return lines.join('\n') + '\n';
}

function limits(overrides: Partial<CifLimits>): CifLimits {
  return { ...CIF_LIMITS, ...overrides };
}

function fakeScheduler() {
  const posted: CifWorkerRequest[] = [];
  let restarts = 0;
  const scheduler = new CifRequestScheduler({ post: (r) => posted.push(r), restart: () => restarts++ });
  return { scheduler, posted, restarts: () => restarts };
}

const source = { text: '' };

describe('CifRequestScheduler', () => {
  it('runs one request at a time, in order', async () => {
    const { scheduler, posted } = fakeScheduler();
    const a = scheduler.submit({ type: 'forget', key: 'a', version: 1 });
    const b = scheduler.submit({ type: 'forget', key: 'b', version: 1 });
    assert.equal(posted.length, 1);
    scheduler.receive({ id: posted[0].id, ok: true, result: null });
    assert.equal(await a, null);
    assert.equal(posted.length, 2);
    assert.equal(posted[1].key, 'b');
    scheduler.receive({ id: posted[1].id, ok: false, error: 'boom' });
    await assert.rejects(b, /boom/);
    assert.equal(scheduler.busy, false);
  });

  it('a newer version drops the queued older one without restarting the worker', async () => {
    const { scheduler, posted, restarts } = fakeScheduler();
    const other = scheduler.submit({ type: 'analyze', key: 'other', version: 1, source, fileName: 'o.cif', unknownTags: true });
    const old = scheduler.submit({ type: 'analyze', key: 'doc', version: 1, source, fileName: 'd.cif', unknownTags: true });
    const fresh = scheduler.submit({ type: 'analyze', key: 'doc', version: 2, source, fileName: 'd.cif', unknownTags: true });
    await assert.rejects(old, CifRequestCancelled);
    assert.equal(restarts(), 0);
    scheduler.receive({ id: posted[0].id, ok: true, result: 'other-result' });
    assert.equal(await other, 'other-result');
    assert.deepEqual(posted.map((r) => [r.key, r.version]), [['other', 1], ['doc', 2]]);
    scheduler.receive({ id: posted[1].id, ok: true, result: 'v2' });
    assert.equal(await fresh, 'v2');
  });

  it('a newer version abandons the read of the older one in flight by restarting the worker', async () => {
    const { scheduler, posted, restarts } = fakeScheduler();
    const old = scheduler.submit({ type: 'analyze', key: 'doc', version: 1, source, fileName: 'd.cif', unknownTags: true });
    const fresh = scheduler.submit({ type: 'analyze', key: 'doc', version: 2, source, fileName: 'd.cif', unknownTags: true });
    await assert.rejects(old, (e: unknown) => e instanceof CifRequestCancelled && e.version === 1);
    assert.equal(restarts(), 1);
    assert.equal(scheduler.restarts, 1);
    // The killed worker's late answer for version 1 is ignored; version 2 was posted to the new one.
    scheduler.receive({ id: posted[0].id, ok: true, result: 'stale' });
    assert.equal(posted.at(-1)?.version, 2);
    scheduler.receive({ id: posted.at(-1)!.id, ok: true, result: 'v2' });
    assert.equal(await fresh, 'v2');
  });

  it('a superseded edit in flight is left to finish (the worker keeps its text) and its answer is dropped', async () => {
    const { scheduler, posted, restarts } = fakeScheduler();
    const old = scheduler.submit({ type: 'edit', key: 'doc', version: 2, steps: [], fileName: 'd.cif', unknownTags: true });
    const fresh = scheduler.submit({ type: 'edit', key: 'doc', version: 3, steps: [], fileName: 'd.cif', unknownTags: true });
    await assert.rejects(old, (e: unknown) => e instanceof CifRequestCancelled && e.version === 2);
    assert.equal(restarts(), 0);
    assert.equal(posted.length, 1, 'version 3 waits for the edit in flight');
    scheduler.receive({ id: posted[0].id, ok: true, result: 'v2' });
    assert.equal(posted.at(-1)?.version, 3);
    scheduler.receive({ id: posted.at(-1)!.id, ok: true, result: 'v3' });
    assert.equal(await fresh, 'v3');
  });

  it('the same version and other documents are never cancelled', async () => {
    const { scheduler, posted, restarts } = fakeScheduler();
    const analyze = scheduler.submit({ type: 'analyze', key: 'doc', version: 3, source, fileName: 'd.cif', unknownTags: true });
    const hover = scheduler.submit({ type: 'hover', key: 'doc', version: 3, position: { line: 0, character: 0 } });
    const other = scheduler.submit({ type: 'analyze', key: 'x', version: 9, source, fileName: 'x.cif', unknownTags: true });
    assert.equal(restarts(), 0);
    for (let i = 0; i < 3; i++) scheduler.receive({ id: posted[i].id, ok: true, result: i });
    assert.deepEqual(await Promise.all([analyze, hover, other]), [0, 1, 2]);
  });

  it('a dead worker fails its request with the reason and the queue goes on', async () => {
    const { scheduler, posted, restarts } = fakeScheduler();
    const first = scheduler.submit({ type: 'forget', key: 'a', version: 1 });
    const second = scheduler.submit({ type: 'forget', key: 'b', version: 1 });
    scheduler.workerFailed('out of memory above 4096 MB');
    await assert.rejects(first, /out of memory/);
    assert.equal(restarts(), 1);
    assert.equal(posted.at(-1)?.key, 'b');
    scheduler.receive({ id: posted.at(-1)!.id, ok: true, result: null });
    assert.equal(await second, null);
  });
});

describe('analyzeCif', () => {
  it('reads a small CIF fully: structure summary, outline, tokens, formula values', () => {
    const { analysis } = analyzeCif(p1Cif(6), { fileName: 'small.cif', version: 4 });
    assert.equal(analysis.mode, 'full');
    assert.equal(analysis.version, 4);
    assert.deepEqual(analysis.blocks.map((b) => [b.name, b.structure?.sites, b.structure?.formula]), [['test', 6, 'NbO2']]);
    const loop = analysis.outline[0].children.find((c) => c.kind === 'loop' && c.children.length);
    assert.equal(loop?.children.length, 6);
    assert.equal(analysis.tokens.length % 4, 0);
    assert.ok(analysis.tokens.length >= 4 * 5 * 7, `tokens: ${analysis.tokens.length / 4}`);
    assert.deepEqual(analysis.formulaValues.map((f) => [f.text, f.context, f.line]), [['Nb O2', 'cif-sum', 8]]);
    assert.equal(analysis.diagnostics.some((d) => d.code === 'large-file'), false);
  });

  it('above the size limit: syntax only, no structure, an information diagnostic that says why', () => {
    const text = p1Cif(50);
    const { analysis, reading } = analyzeCif(text, { fileName: 'big.cif', version: 1, limits: limits({ fullReadChars: 1000 }) });
    assert.equal(analysis.mode, 'syntax-only');
    assert.equal(reading.blocks[0].structure, undefined);
    assert.equal(analysis.blocks[0].structure, undefined);
    const note = analysis.diagnostics.find((d) => d.code === 'large-file');
    assert.equal(note?.severity, 'info');
    assert.match(note?.message ?? '', /Large CIF \(0\.0 MB \(limit 0\.0 MB\)\).*symmetry expansion/);
    assert.equal(analysis.counts.info, 1);
    const loop = analysis.outline[0].children.find((c) => c.kind === 'loop' && /× 50 rows/.test(c.detail));
    assert.ok(loop, 'the outline still lists the loops');
    assert.equal(loop.children.length, 0, 'no site nodes: loop values are not built over the limits');
    assert.equal(analysis.tokens.length, 0);
  });

  it('above the site limit: syntax only, counted from the atom-site loop', () => {
    const { analysis } = analyzeCif(p1Cif(30), { fileName: 'many.cif', version: 1, limits: limits({ fullReadSites: 20 }) });
    assert.equal(analysis.mode, 'syntax-only');
    assert.match(analysis.note ?? '', /^30 atom sites \(limit 20\)$/);
  });

  it('caps the outline, the diagnostics and the tokens but keeps exact counts', () => {
    const broken = p1Cif(40).replace(/ O (\S+) /g, ' Xx $1 ');
    const { analysis } = analyzeCif(broken, { fileName: 'broken.cif', version: 1, limits: limits({ outlineChildren: 10, diagnostics: 5, tokens: 10 }) });
    const loop = analysis.outline[0].children.find((c) => c.kind === 'loop' && c.children.length);
    assert.equal(loop?.children.length, 11);
    assert.match(loop?.children[10].name ?? '', /^… 30 more$/);
    const total = analysis.counts.error + analysis.counts.warning + analysis.counts.info;
    assert.ok(total > 5, `expected more than 5 problems, got ${total}`);
    assert.equal(analysis.diagnostics.length, 6);
    assert.equal(analysis.diagnostics[5].code, 'too-many-diagnostics');
    assert.equal(analysis.tokens.length, 0);
  });

  it('maxAtomSiteRows finds the atom-site loop', () => {
    const { reading } = analyzeCif(p1Cif(12), { version: 1 });
    assert.equal(maxAtomSiteRows(reading.document), 12);
  });
});

describe('hoverAnswer', () => {
  const { reading } = analyzeCif(p1Cif(6), { fileName: 'h.cif', version: 1 });
  const lines = p1Cif(6).split('\n');

  it('explains a tag', () => {
    const answer = hoverAnswer(reading, { line: 1, character: 3 });
    assert.match(answer?.markdown ?? '', /_cell_length_a/);
  });

  it('describes an atom site with its neighbours', () => {
    const line = lines.findIndex((l) => l.startsWith('Nb0 '));
    const answer = hoverAnswer(reading, { line, character: 1 });
    assert.match(answer?.markdown ?? '', /Loop row 1 of 6/);
    assert.equal(answer?.formula, undefined);
  });

  it('hands a formula value to the host, offset past its quote', () => {
    const answer = hoverAnswer(reading, { line: 8, character: 25 });
    assert.deepEqual(answer?.formula, { text: 'Nb O2', offset: lines[8].indexOf("'") + 1, context: 'cif-sum' });
  });
});

describe('the CIF worker thread', () => {
  // The worker bundle as scripts/build.mjs makes it, built into a temporary folder.
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cif-worker-'));
  const script = path.join(outDir, 'cifWorker.js');
  before(() => esbuild.build({ entryPoints: [path.join(__dirname, '..', 'src', 'extension', 'language', 'cifWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'warning' }));
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('reads a CIF in the worker, answers hovers from its reading, and abandons a superseded read', async () => {
    const client = new CifWorkerClient(script);
    try {
      const text = p1Cif(30_000); // ~1.4 MB: long enough to still be reading when version 2 arrives
      const v1 = client.request({ type: 'analyze', key: 'k', version: 1, source: { text }, fileName: 'w.cif', unknownTags: true });
      const v2 = client.request({ type: 'analyze', key: 'k', version: 2, source: { text: p1Cif(8) }, fileName: 'w.cif', unknownTags: true });
      await assert.rejects(v1, CifRequestCancelled);
      const analysis = await v2;
      assert.equal(analysis.version, 2);
      assert.equal(analysis.blocks[0].structure?.sites, 8);
      assert.ok(analysis.tokens instanceof Uint32Array);
      assert.equal(client.restarts, 1);
      const hover = await client.request({ type: 'hover', key: 'k', version: 2, position: { line: 1, character: 3 } });
      assert.ok(hover && hover !== 'not-read');
      assert.match(hover.markdown, /_cell_length_a/);
      assert.equal(await client.request({ type: 'hover', key: 'k', version: 1, position: { line: 1, character: 3 } }), 'not-read', 'no answer from a version it does not hold');
      assert.equal(await client.request({ type: 'hover', key: 'k', version: 2, position: { line: 0, character: 0 } }), null, 'nothing at the block header');
      const model = await client.request({ type: 'viewer', key: 'k', version: 2, source: { text: '' }, fileName: 'w.cif', blockIndex: 0 });
      assert.equal(model.atoms.length, 8);
    } finally {
      client.dispose();
    }
  });

  it('applies edits to the text it holds and answers as a full read of the edited text would', async () => {
    const client = new CifWorkerClient(script);
    try {
      const blocks = [p1Cif(40), p1Cif(12).replace('data_test', 'data_second')];
      const text = blocks.join('');
      await client.request({ type: 'analyze', key: 'e', version: 1, source: { text }, fileName: 'e.cif', unknownTags: true });
      const at = text.indexOf('_cell_length_b', text.indexOf('data_second'));
      const steps = [
        { version: 2, edits: [{ offset: at + '_cell_length_b '.length, length: 2, text: '11.5' }] },
        { version: 3, edits: [{ offset: 0, length: 0, text: '# edited\n' }] },
      ];
      const edited = '# edited\n' + text.slice(0, at + 15) + '11.5' + text.slice(at + 17);
      const answer = await client.request({ type: 'edit', key: 'e', version: 3, steps, fileName: 'e.cif', unknownTags: true });
      assert.ok(answer !== 'not-read');
      assert.deepEqual({ ...answer, tokens: [...answer.tokens] }, (({ analysis }) => ({ ...analysis, tokens: [...analysis.tokens] }))(analyzeCif(edited, { fileName: 'e.cif', unknownTags: true, version: 3 })));
      // Steps it already applied are skipped; a gap (version 5 without 4) asks for the text.
      const again = await client.request({ type: 'edit', key: 'e', version: 4, steps: [...steps, { version: 4, edits: [{ offset: 0, length: 1, text: '#' }] }], fileName: 'e.cif', unknownTags: true });
      assert.ok(again !== 'not-read' && again.version === 4);
      assert.equal(await client.request({ type: 'edit', key: 'e', version: 6, steps: [{ version: 6, edits: [] }], fileName: 'e.cif', unknownTags: true }), 'not-read');
      assert.equal(await client.request({ type: 'edit', key: 'unknown', version: 2, steps: [{ version: 2, edits: [] }], fileName: 'e.cif', unknownTags: true }), 'not-read');
    } finally {
      client.dispose();
    }
  });

  it('reads a text handed over as transferred UTF-8 pieces (a large unsaved document)', async () => {
    const client = new CifWorkerClient(script);
    try {
      const text = p1Cif(5) + '# Å, ü: non-ASCII survives the split\n';
      const cut = text.indexOf('Nb0');
      const utf8 = [new TextEncoder().encode(text.slice(0, cut)), new TextEncoder().encode(text.slice(cut))];
      const analysis = await client.request({ type: 'analyze', key: 'u', version: 1, source: { utf8 }, fileName: 'u.cif', unknownTags: true });
      assert.equal(analysis.blocks[0].structure?.sites, 5);
      assert.equal(utf8[0].byteLength, 0, 'the pieces were transferred, not copied');
    } finally {
      client.dispose();
    }
  });

  it('the viewer request refuses a structure above the atom limit with a message', async () => {
    const client = new CifWorkerClient(script);
    try {
      const text = p1Cif(CIF_LIMITS.viewerAtoms + 10);
      await assert.rejects(client.request({ type: 'viewer', key: 'v', version: 1, source: { text }, fileName: 'huge.cif', blockIndex: 0 }), /huge\.cif \(20,010 atoms\): too large for the crystal viewer/);
    } finally {
      client.dispose();
    }
  });
});
