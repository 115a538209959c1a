// The vscode-free logic behind the CIF and formula language features: the tag dictionary,
// outline/folding/"what is under the cursor" on real CIFs, formula scopes per file type, the
// English-word filter, the prediction cache and the hover wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readCif } from '../src/core/cif';
import { lookupTag, isFormulaTag, knownTagNames } from '../src/extension/language/logic/tagDictionary';
import { outline, foldingRegions, targetAt, loopCategory, loopColumnTokens } from '../src/extension/language/logic/cifOutline';
import { formulaScopeAt, csvCells, stringSpans, formulaColumnIndex, effectiveLanguage } from '../src/extension/language/logic/formulaScope';
import { formulaAt, formulasInScope } from '../src/extension/language/logic/formulaHover';
import { PredictionCache, canonicalComposition } from '../src/extension/language/logic/predictionCache';
import { atomSiteMarkdown, formulaMarkdown, tagMarkdown, valueMarkdown, code } from '../src/extension/language/logic/hoverText';

const samples = path.resolve(__dirname, '..', '..', 'shared', 'data', 'cif-samples');
const read = (file: string) => readCif(fs.readFileSync(path.join(samples, file), 'utf8'));

test('tag dictionary: legacy, DDLm and _symmetry_* spellings find the same entry with units', () => {
  assert.equal(lookupTag('_cell_length_a')?.units, 'Å');
  assert.equal(lookupTag('_CELL.LENGTH_A')?.units, 'Å');
  assert.equal(lookupTag('_cell.angle_beta')?.units, '°');
  const hm = lookupTag('_symmetry_space_group_name_H-M');
  assert.ok(hm);
  assert.equal(lookupTag('_space_group_name_H-M_alt')?.description, hm.description);
  assert.equal(lookupTag('_space_group.name_H-M_alt')?.description, hm.description);
  assert.match(hm.description, /Hermann/);
  assert.equal(lookupTag('_symmetry_Int_Tables_number')?.name, '_symmetry_Int_Tables_number');
  assert.equal(lookupTag('_atom_site_fract_x')?.ddlm, '_atom_site.fract_x');
  assert.equal(lookupTag('_made_up_tag'), undefined);
  assert.ok(isFormulaTag('_chemical_formula_sum') && isFormulaTag('_chemical_formula.moiety') && !isFormulaTag('_chemical_formula_weight'));
  assert.ok(knownTagNames().length > 60);
});

test('outline of the two-block AMCSD file: two blocks, each with cell, loops and atom sites in file order', () => {
  const nodes = outline(read('amcsd__two-data-blocks.cif').document);
  assert.deepEqual(nodes.map((n) => n.name), ['data_global_00001', 'data_global_00002']);
  const first = nodes[0];
  assert.ok(first.children.some((c) => c.kind === 'cell' && /a=9\.5642/.test(c.detail)));
  const sites = first.children.find((c) => c.name === 'loop _atom_site');
  assert.ok(sites);
  assert.equal(sites.children.length, 18);
  assert.equal(sites.children[0].kind, 'atom-site');
  for (let i = 1; i < first.children.length; i++) assert.ok(first.children[i - 1].range.start.line <= first.children[i].range.start.line);
  assert.equal(loopCategory(['_symmetry_equiv_pos_as_xyz']), '_symmetry_equiv_pos_as_xyz');
});

test('folding covers every loop and multi-line text field of every sample, inside the file', () => {
  for (const file of fs.readdirSync(samples).filter((f) => f.endsWith('.cif'))) {
    const text = fs.readFileSync(path.join(samples, file), 'utf8');
    const lines = text.split(/\r?\n/).length;
    const regions = foldingRegions(readCif(text).document);
    const loops = (text.match(/^\s*loop_/gim) ?? []).length;
    assert.ok(regions.filter((r) => r.kind === 'loop').length >= loops - 1, `${file}: ${loops} loops`);
    for (const r of regions) assert.ok(r.startLine < r.endLine && r.endLine < lines, `${file}: ${JSON.stringify(r)}`);
  }
  const jana = foldingRegions(read('cod__2020013-HoKS2-jana.cif').document);
  assert.ok(jana.filter((r) => r.kind === 'text-field').length >= 5);
});

test('targetAt finds a tag, a plain value and a looped value with its row', () => {
  const text = 'data_x\n_cell_length_a 4.05(2)\nloop_\n_atom_site_label\n_atom_site_fract_x\nNa1 0.0\nCl1 0.5\n';
  const doc = readCif(text).document;
  const tag = targetAt(doc, { line: 1, character: 3 });
  assert.equal(tag?.kind, 'tag');
  const value = targetAt(doc, { line: 1, character: 17 });
  assert.equal(value?.kind === 'value' && value.value.text, '4.05(2)');
  const looped = targetAt(doc, { line: 6, character: 5 });
  assert.ok(looped?.kind === 'value');
  assert.equal(looped.row, 1);
  assert.equal(looped.item.name, '_atom_site_fract_x');
  assert.match(valueMarkdown(looped.block, looped.item, looped.value, looped.row), /Loop row 2 of 2, label `Cl1`/);
  assert.equal(targetAt(doc, { line: 2, character: 1 }), undefined);
});

test('hover text: tag meaning with units, number with su, atom-site multiplicity and neighbours', () => {
  assert.match(tagMarkdown('_cell.length_b'), /edge length b[\s\S]*Units: Å/);
  assert.match(tagMarkdown('_foo_bar'), /Not in the built-in/);
  const text = 'data_x\n_cell_length_a 4.05(2)\n';
  const doc = readCif(text).document;
  const t = targetAt(doc, { line: 1, character: 17 });
  assert.ok(t?.kind === 'value');
  assert.match(valueMarkdown(t.block, t.item, t.value, t.row), /= 4\.05 ± 0\.02/);
  const calcite = read('cod__calcite.cif').blocks[0].structure;
  assert.ok(calcite);
  const ca = atomSiteMarkdown(calcite, 'Ca1');
  assert.match(ca ?? '', /Multiplicity after symmetry expansion: \*\*2\*\*/);
  assert.match(ca ?? '', /O1 O: 2\.3\d\d Å/, 'Ca–O in calcite is about 2.36 Å');
  assert.equal(atomSiteMarkdown(calcite, 'Zz9'), undefined);
  assert.equal(code('a`b'), '`aˋb`', 'backticks in file text cannot close the code span');
});

test('formula scopes: Python and JSON strings only, CSV formula columns and Markdown code spans lift the filter', () => {
  assert.equal(formulaScopeAt('python', 'Fe2O3 = 1', 1), undefined, 'identifiers are not formulas');
  const py = formulaScopeAt('python', 'c = Composition("LiFePO4")', 20);
  assert.deepEqual(py && [py.text, py.lifted], ['LiFePO4', true]);
  assert.equal(formulaScopeAt('python', 'x = "Fe2O3"  # "NaCl"', 18), undefined, 'comments are skipped');
  assert.equal(formulaScopeAt('json', '{"Fe2O3": 1}', 3), undefined, 'JSON keys are skipped');
  assert.equal(formulaScopeAt('json', '{"formula": "CO"}', 14)?.lifted, true);
  assert.equal(formulaScopeAt('markdown', 'Use `Co` here', 6)?.lifted, true);
  assert.equal(formulaScopeAt('markdown', 'Use Co here', 5)?.lifted, false);
  assert.equal(formulaScopeAt('csv', 'id1,CO,3', 5, 'id,formula,gap')?.lifted, true);
  assert.equal(formulaScopeAt('csv', 'id1,CO,3', 5, 'id,name,gap')?.lifted, false);
  assert.equal(formulaScopeAt('rust', 'Fe2O3', 1), undefined);
  assert.deepEqual(csvCells('a,"b,""c""",d').map((c) => c.value), ['a', 'b,"c"', 'd']);
  assert.deepEqual(stringSpans(`x = 'a' + "b"`, `'"`).length, 2);
  assert.equal(formulaColumnIndex('material_id,pretty_formula,band_gap'), 1);
  assert.equal(effectiveLanguage('plaintext', '/w/data.CSV'), 'csv', 'CSV by name when no CSV extension gives the language');
  assert.equal(effectiveLanguage('plaintext', '/w/notes.txt'), 'plaintext');
});

test('English words are not formulas outside formula contexts; formulas with digits or two-letter symbols are', () => {
  const plain = (text: string) => formulaAt({ text, offset: 0, lifted: false }, 0);
  for (const word of ['I', 'In', 'As', 'Be', 'No', 'OK', 'NO', 'SO', 'HI', 'IF', 'HOW', 'WHY', 'SKY', 'COPY', 'BUNNY', 'NaN', 'CPU', 'IO', 'CIF', 'Co', 'CO']) {
    assert.equal(plain(word), undefined, word);
  }
  for (const formula of ['NaCl', 'SiC', 'Fe2O3', 'H₂O', 'Ca3(PO4)2', 'LiFePO4', 'CuSO4·5H2O']) assert.equal(plain(formula)?.text, formula, formula);
  assert.equal(formulaAt({ text: 'Co', offset: 0, lifted: true }, 0)?.text, 'Co', 'formula contexts lift the filter');
  const prose = { text: 'In 2020, NaCl and Fe2O3 were OK.', offset: 0, lifted: false };
  assert.deepEqual(formulasInScope(prose).map((h) => h.text), ['NaCl', 'Fe2O3']);
  assert.equal(formulaAt(prose, 1), undefined);
  const hit = formulaAt(prose, 20);
  assert.equal(hit?.text, 'Fe2O3');
  assert.equal(hit?.start, 18);
});

test('formula contexts: CIF sum formula with spaces, broken and variable formulas explained', () => {
  const sum = formulaAt({ text: 'C12 H10 N2 O', offset: 20, lifted: true }, 22, 'cif-sum');
  assert.ok(sum?.result.ok);
  assert.deepEqual(sum.result.elements, { C: 12, H: 10, N: 2, O: 1 });
  const broken = formulaAt({ text: 'Sm1Ba-1Cu3O6.94', offset: 0, lifted: true }, 3);
  assert.ok(broken && !broken.result.ok);
  assert.match(formulaMarkdown(broken, undefined), /is not a formula: .*column \d+/);
  const variable = formulaAt({ text: 'YBa2Cu3O7-x', offset: 0, lifted: true }, 3);
  assert.ok(variable);
  assert.match(formulaMarkdown(variable, undefined), /variable stoichiometry/);
  assert.equal(formulaAt({ text: 'Sm1Ba-1Cu3O6.94 is odd', offset: 0, lifted: false }, 3), undefined, 'no error hover in prose');
});

test('formula hover text: composition, band gap ± uncertainty, formation energy, model, or predicting…', () => {
  const hit = formulaAt({ text: 'Fe2O3', offset: 0, lifted: false }, 1);
  assert.ok(hit);
  const text = formulaMarkdown(hit, { model: 'band-gap · magpie MLP ×5', bandGap: { value: 2.1, uncertainty: 0.31, unit: 'eV' }, formationEnergy: { value: -1.7, uncertainty: 0.05, unit: 'eV/atom' } });
  assert.match(text, /Fe 2 · O 3/);
  assert.match(text, /Band gap: \*\*2\.10 ± 0\.31 eV\*\*/);
  assert.match(text, /Formation energy: \*\*-1\.70 ± 0\.05 eV\/atom\*\*/);
  assert.match(text, /Model: band-gap · magpie MLP ×5/);
  assert.match(formulaMarkdown(hit, 'pending'), /predicting…/);
});

test('prediction cache: one model call per canonical composition, pending first, LRU-bounded', async () => {
  let calls = 0;
  const cache = new PredictionCache((elements) => {
    calls++;
    return { model: 'test', bandGap: { value: Object.keys(elements).length, unit: 'eV' } };
  }, 2);
  assert.equal(canonicalComposition({ Fe: 2, O: 3 }), canonicalComposition({ O: 6, Fe: 4 }));
  const first = cache.peek({ Fe: 2, O: 3 });
  assert.equal(first.state, 'pending');
  await (first.state === 'pending' ? first.done : undefined);
  const second = cache.peek({ Fe: 4, O: 6 });
  assert.equal(second.state, 'ready');
  assert.equal(calls, 1);
  await cache.get({ Na: 1, Cl: 1 });
  await cache.get({ Si: 1, C: 1 });
  assert.equal(cache.size, 2);
  assert.equal(cache.peek({ Fe: 2, O: 3 }).state, 'pending', 'evicted as least recently used');
  const failing = new PredictionCache(() => {
    throw new Error('model file missing');
  });
  assert.equal((await failing.get({ H: 2, O: 1 })).error, 'model file missing');
});

test('the language logic stays web-safe: no vscode and no Node imports, also through its imports', () => {
  const root = path.resolve(__dirname, '..');
  const seen = new Set<string>();
  const queue = fs.readdirSync(path.join(root, 'src/extension/language/logic')).map((f) => path.join(root, 'src/extension/language/logic', f));
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
      assert.ok(spec.startsWith('.'), `${path.relative(root, file)} imports ${spec}`);
      queue.push(path.resolve(path.dirname(file), spec) + '.ts');
    }
  }
  assert.ok(seen.size > 8, `followed ${seen.size} modules`);
});

test('rainbow loop tokens: a tag and the values under it share a column index, sorted by position', () => {
  const text = 'data_x\n_cell_length_a 4\nloop_\n_atom_site_label\n_atom_site_fract_x\nNa1 0.0\nCl1 0.5\n';
  const tokens = loopColumnTokens(readCif(text).document);
  const at = (line: number, character: number) => tokens.find((t) => t.line === line && t.character === character)?.column;
  assert.equal(at(3, 0), 0, '_atom_site_label');
  assert.equal(at(4, 0), 1, '_atom_site_fract_x');
  assert.deepEqual([at(5, 0), at(5, 4), at(6, 0), at(6, 4)], [0, 1, 0, 1]);
  assert.equal(at(1, 0), undefined, 'items outside loops are left to the grammar');
  for (let i = 1; i < tokens.length; i++) assert.ok(tokens[i - 1].line < tokens[i].line || tokens[i - 1].character < tokens[i].character);
});

test('tag hovers use the dictionary spelling (case) for names and DDLm forms', () => {
  assert.equal(lookupTag('_cell_formula_units_z')?.name, '_cell_formula_units_Z');
  assert.equal(lookupTag('_atom_site_u_iso_or_equiv')?.ddlm, '_atom_site.U_iso_or_equiv');
  assert.equal(lookupTag('_symmetry_space_group_name_H-M')?.ddlm, '_space_group.name_H-M_alt');
  assert.equal(lookupTag('_space_group.it_number')?.name, '_symmetry_Int_Tables_number');
  for (const name of knownTagNames()) assert.ok(lookupTag(name), `${name} finds itself`);
});
