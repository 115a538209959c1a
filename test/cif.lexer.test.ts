import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexCif } from '../src/core/cif/lexer';
import { parseCif } from '../src/core/cif/parser';
import { findItem, findNumber, findText, findValue } from '../src/core/cif/block';
import { parseCifNumber } from '../src/core/cif/values';

test('tokens carry kind, text and exact 0-based ranges', () => {
  const { tokens, diagnostics } = lexCif("data_x\n_tag  'a b'  # comment\nloop_\n_v\n1 2\n");
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    tokens.map((t) => [t.kind, t.text, t.line, t.character, t.endLine, t.endCharacter]),
    [
      ['data', 'x', 0, 0, 0, 6],
      ['tag', '_tag', 1, 0, 1, 4],
      ['quoted', 'a b', 1, 6, 1, 11],
      ['loop', 'loop_', 2, 0, 2, 5],
      ['tag', '_v', 3, 0, 3, 2],
      ['value', '1', 4, 0, 4, 1],
      ['value', '2', 4, 2, 4, 3],
    ],
  );
});

test("a quote closes only before whitespace: 'a dog's life' is one value", () => {
  const { tokens } = lexCif("_t 'a dog's life'\n_u \"it\"s\" \"say \"hi\" now\"");
  assert.equal(tokens[1].text, "a dog's life");
  assert.equal(tokens[3].text, 'it"s');
  assert.equal(tokens[4].text, 'say "hi', 'a quote before a space closes the value');
});

test('text fields start with ; in column 1 and keep quotes and # verbatim', () => {
  const { tokens } = lexCif("_t\n;\nline 'one' # not a comment\n;\n_u x;y\n");
  assert.equal(tokens[1].kind, 'text-field');
  assert.equal(tokens[1].text, "\nline 'one' # not a comment");
  assert.deepEqual([tokens[1].line, tokens[1].character, tokens[1].endLine, tokens[1].endCharacter], [1, 0, 3, 1]);
  assert.equal(tokens[3].text, 'x;y', 'a ; inside a value is not special');
});

test('CRLF, lone CR and tabs: lines are counted once per break', () => {
  const { tokens } = lexCif('data_a\r\n_t\t1\r\n;\r\ntext\r\n;\r\n_u 2\r_v 3');
  assert.deepEqual(tokens.map((t) => [t.text, t.line, t.character]), [
    ['a', 0, 0], ['_t', 1, 0], ['1', 1, 3], ['\r\ntext', 2, 0], ['_u', 5, 0], ['2', 5, 3], ['_v', 6, 0], ['3', 6, 3],
  ]);
});

test('reserved words are case-insensitive; data_ and save_ carry their codes', () => {
  const { tokens } = lexCif('DATA_Abc LOOP_ Save_f save_ Global_ STOP_');
  assert.deepEqual(tokens.map((t) => [t.kind, t.text]), [['data', 'Abc'], ['loop', 'LOOP_'], ['save', 'f'], ['save', ''], ['global', 'Global_'], ['stop', 'STOP_']]);
});

test('numbers with standard uncertainties', () => {
  assert.deepEqual(parseCifNumber('0.4154(4)'), { value: 0.4154, su: 0.0004, unclosedSu: false });
  assert.deepEqual(parseCifNumber('.4154(4)'), { value: 0.4154, su: 0.0004, unclosedSu: false });
  assert.deepEqual(parseCifNumber('34.5(12)'), { value: 34.5, su: 1.2, unclosedSu: false });
  assert.deepEqual(parseCifNumber('3.45E1(12)'), { value: 34.5, su: 1.2, unclosedSu: false });
  assert.deepEqual(parseCifNumber('141E1(13)'), { value: 1410, su: 130, unclosedSu: false });
  assert.deepEqual(parseCifNumber('-2'), { value: -2, unclosedSu: false });
  assert.equal(parseCifNumber('5.0(2')?.unclosedSu, true);
  for (const notNumber of ['abc', '1.2.3', '(4)', '1e', '+', '.', '?', '1/2']) assert.equal(parseCifNumber(notNumber), undefined, notNumber);
});

test('. and ? stay distinct from 0 and from each other; quoted ones are strings', () => {
  const doc = parseCif("data_a\n_x .\n_y ?\n_z '?'\n_w 0\n");
  const block = doc.blocks[0];
  assert.equal(findValue(block, '_x')?.kind, 'inapplicable');
  assert.equal(findValue(block, '_y')?.kind, 'unknown');
  assert.equal(findValue(block, '_z')?.kind, 'quoted');
  assert.equal(findNumber(block, '_x'), undefined);
  assert.equal(findNumber(block, '_w'), 0);
  assert.equal(findText(block, '_y'), undefined);
});

test('lookup treats DDLm, legacy and _symmetry_/_space_group_ spellings alike, case-insensitively', () => {
  const block = parseCif("data_a\n_CELL.Length_A 5.1(2)\n_symmetry_space_group_name_H-M 'P 1'\n_space_group_IT_number 1\n").blocks[0];
  assert.equal(findNumber(block, '_cell_length_a'), 5.1);
  assert.equal(findValue(block, '_cell.length_a')?.su, 0.2);
  assert.equal(findText(block, '_space_group_name_H-M_alt'), 'P 1');
  assert.equal(findNumber(block, '_symmetry_Int_Tables_number'), 1);
  assert.equal(findItem(block, '_missing'), undefined);
});

test('several data blocks with loops', () => {
  const doc = parseCif('data_one\nloop_\n_a\n_b\n1 2\n3 4\ndata_two\n_c x\n');
  assert.deepEqual(doc.diagnostics, []);
  assert.deepEqual(doc.blocks.map((b) => b.name), ['one', 'two']);
  assert.deepEqual(findItem(doc.blocks[0], '_b')?.values.map((v) => v.number), [2, 4]);
  assert.equal(doc.blocks[0].loops[0].rowCount, 2);
  assert.deepEqual(doc.blocks[0].extent.end, { line: 5, character: 3 });
});

test('a CIF 2.0 file gets one "not supported" error, not a cascade', () => {
  const doc = parseCif('#\\#CIF_2.0\ndata_a\n_list [1 2 3]\n');
  assert.equal(doc.diagnostics.filter((d) => d.code === 'cif2-unsupported').length, 1);
  assert.match(doc.diagnostics[0].message, /CIF 2\.0 is not supported/);
});

test('items outside a block, values without tags and a tag without value are errors', () => {
  const codes = parseCif('_early 1\ndata_a\nstray\n_t\n_u 1\n').diagnostics.map((d) => d.code);
  assert.deepEqual(codes, ['outside-block', 'value-without-tag', 'missing-value']);
});

// The lexer finds long lines and characters outside CIF 1.1's set in its one pass over the text,
// inside every kind of token (issue 7); these pin where each is reported and in which order.
test('line-too-long is found on lines inside text fields, comments, quotes and at the end, with CRLF', () => {
  const long = 'x'.repeat(2049);
  const text = [`_a ${long}`, ';', long, ';', `# ${long}`, `_b '${long}'`, 'data_y', long].join('\r\n');
  const { diagnostics } = lexCif(text);
  const lines = diagnostics.filter((d) => d.code === 'line-too-long').map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]);
  assert.deepEqual(lines, [
    [0, 2048, 2052],
    [2, 2048, 2049],
    [4, 2048, 2051],
    [5, 2048, 2054],
    [7, 2048, 2049],
  ]);
  assert.equal(lexCif('x'.repeat(2048)).diagnostics.length, 0, 'exactly 2048 characters is allowed');
});

test('characters outside printable ASCII are reported in values, quotes, comments, text fields and as blanks', () => {
  const text = '_a v\u00e9\n_b \'q\u00fc\'\n# c\u00f6mment\n;\nf\u007fx\n;\n_c 1\u000b_d 2\n_e \u0001x';
  const { diagnostics } = lexCif(text);
  const found = diagnostics.filter((d) => d.code === 'non-ascii').map((d) => [d.range.start.line, d.range.start.character]);
  assert.deepEqual(found, [
    [0, 4],
    [1, 5],
    [2, 3],
    [4, 1],
    [6, 4],
    [7, 3],
  ]);
  assert.deepEqual(lexCif('\uFEFFdata_x\n_a 1\t2\r\n').diagnostics, [], 'a leading byte-order mark, tabs and CRLF are fine');
  assert.equal(lexCif('_a \uFEFF').diagnostics.length, 1, 'a byte-order mark elsewhere is reported');
});

test('lexer diagnostics come in a fixed order: CIF 2 header, characters, long lines, then tokens in text order', () => {
  const text = `#\\#CIF_2.0\n_a '\u00e9\n_b ${'y'.repeat(2050)}\n;\nnever closed`;
  assert.deepEqual(
    lexCif(text).diagnostics.map((d) => d.code),
    ['cif2-unsupported', 'non-ascii', 'line-too-long', 'unterminated-quote', 'unterminated-text-field'],
  );
});

test('a number in quotes or bare with an unclosed su is flagged; closed and su-free ones are not', () => {
  const doc = parseCif("data_x\n_a 0.12(3\n_b '0.45(6'\n_c 0.7(8)\n_d 'a (b) c'\n_e (x\n");
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.code === 'su-unclosed').map((d) => d.range.start.line),
    [1, 2],
  );
});

test('standard uncertainties equal digits × 10^scale rounded to 12 digits, for every mantissa shape', () => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  for (let k = 0; k < 5000; k++) {
    const decimals = Math.floor(random() * 25);
    const exponent = random() < 0.2 ? Math.floor(random() * 9) - 4 : 0;
    const su = digits(1 + Math.floor(random() * 14));
    const text = `${digits(1 + Math.floor(random() * 3))}.${digits(decimals)}${exponent ? `e${exponent}` : ''}(${su})`;
    const parsed = parseCifNumber(text);
    const expected = Number((parseInt(su, 10) * Math.pow(10, exponent - decimals)).toPrecision(12));
    assert.equal(parsed?.su, expected, text);
    assert.equal(parsed?.value, parseFloat(text), text);
  }
});
