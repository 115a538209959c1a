// Tokenizes CIF text with the real TextMate engine VS Code uses (vscode-textmate + oniguruma),
// so the grammar is checked the way the editor will colour it, on hand-made lines and on every
// shared sample file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '..');
const samplesDir = path.resolve(root, '..', 'shared', 'data', 'cif-samples');
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.cif') return null;
      const file = path.join(root, 'syntaxes', 'cif.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const loaded = await registry.loadGrammar('source.cif');
  assert.ok(loaded, 'grammar source.cif loads');
  grammar = loaded;
});

interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes a whole text line by line, keeping the rule stack across lines like the editor. */
function tokenize(text: string): Token[][] {
  let stack = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

function scopeOf(lines: Token[][], lineIndex: number, text: string): string {
  const token = lines[lineIndex].find((t) => t.text === text);
  assert.ok(token, `token "${text}" on line ${lineIndex}: ${JSON.stringify(lines[lineIndex].map((t) => t.text))}`);
  return token.scopes[token.scopes.length - 1];
}

test('numbers with a standard uncertainty colour the value and the uncertainty', () => {
  const lines = tokenize('_cell_length_a 24.6648(12)\n_cell_angle_beta .4154(4)\n_cell_volume 3.45E1(12)');
  assert.equal(scopeOf(lines, 0, '_cell_length_a'), 'variable.other.tag.cif');
  assert.equal(scopeOf(lines, 0, '24.6648'), 'constant.numeric.cif');
  assert.equal(scopeOf(lines, 0, '12'), 'constant.numeric.uncertainty.cif');
  assert.equal(scopeOf(lines, 1, '.4154'), 'constant.numeric.cif');
  assert.equal(scopeOf(lines, 2, '3.45E1'), 'constant.numeric.cif');
});

test('data blocks, save frames, loop_ and the special values . and ?', () => {
  const lines = tokenize('data_calcite\nsave_frame1\nLOOP_\n_atom_site_occupancy\n?\n.\nsave_');
  assert.equal(scopeOf(lines, 0, 'data_'), 'keyword.other.data-block.cif');
  assert.equal(scopeOf(lines, 0, 'calcite'), 'entity.name.section.data-block.cif');
  assert.equal(scopeOf(lines, 1, 'frame1'), 'entity.name.section.save-frame.cif');
  assert.equal(scopeOf(lines, 2, 'LOOP_'), 'keyword.control.loop.cif');
  assert.equal(scopeOf(lines, 4, '?'), 'constant.language.unknown.cif');
  assert.equal(scopeOf(lines, 5, '.'), 'constant.language.inapplicable.cif');
});

test("a quote closes only before whitespace: 'a dog's life' is one string", () => {
  const [line] = tokenize("_publ_section_title 'a dog's life' 1.5");
  const strings = line.filter((t) => t.scopes.includes('string.quoted.single.cif'));
  assert.equal(strings.map((t) => t.text).join(''), "'a dog's life'");
  assert.equal(line[line.length - 1].scopes.at(-1), 'constant.numeric.cif');
});

test('a text field keeps quotes, # and _tags verbatim until the closing ; in column 1', () => {
  const lines = tokenize("_journal_name_full\n;\nIt's # not a comment\n_not_a_tag 'x\n;\n_journal_volume 40");
  for (const i of [2, 3]) {
    assert.ok(lines[i].every((t) => t.scopes.includes('string.unquoted.text-field.cif')), `line ${i} is text field`);
  }
  assert.equal(scopeOf(lines, 5, '_journal_volume'), 'variable.other.tag.cif');
  assert.equal(scopeOf(lines, 5, '40'), 'constant.numeric.cif');
});

test('comments run to the end of the line but not inside quotes', () => {
  const lines = tokenize("# header\n_symmetry_space_group_name_H-M 'P #1' # trailing");
  assert.ok(lines[0][0].scopes.includes('comment.line.number-sign.cif'));
  const quoted = lines[1].filter((t) => t.scopes.includes('string.quoted.single.cif')).map((t) => t.text).join('');
  assert.equal(quoted, "'P #1'");
  assert.ok(lines[1].at(-1)?.scopes.includes('comment.line.number-sign.cif'));
});

test('a word that merely contains a digit and parenthesis is not taken for a number', () => {
  const [line] = tokenize('_atom_site_label O1(2)a');
  assert.equal(line.at(-1)?.scopes.at(-1), 'string.unquoted.cif');
});

const samples = fs.existsSync(samplesDir) ? fs.readdirSync(samplesDir).filter((f) => f.endsWith('.cif')) : [];

test('every shared sample: each tag line outside text fields starts with a tag token, and text fields close', () => {
  assert.ok(samples.length >= 20, `found ${samples.length} samples in ${samplesDir}`);
  for (const file of samples) {
    const text = fs.readFileSync(path.join(samplesDir, file), 'utf8');
    const lines = tokenize(text);
    const raw = text.split(/\r?\n/);
    let inTextField = false;
    raw.forEach((line, i) => {
      if (line.startsWith(';')) {
        inTextField = !inTextField;
        return;
      }
      if (inTextField) {
        assert.ok(lines[i].every((t) => t.scopes.includes('string.unquoted.text-field.cif')), `${file}:${i + 1} inside text field`);
      } else if (/^\s*_\S/.test(line)) {
        const first = lines[i].find((t) => t.text.trim() !== '');
        assert.equal(first?.scopes.at(-1), 'variable.other.tag.cif', `${file}:${i + 1} ${line}`);
      }
    });
    assert.equal(inTextField, false, `${file}: text fields balanced`);
    const last = lines[lines.length - 1];
    assert.ok(last.every((t) => !t.scopes.includes('string.unquoted.text-field.cif')), `${file}: grammar leaves no open text field`);
  }
});

test('every number with su in the samples is coloured as a number', () => {
  let checked = 0;
  for (const file of samples) {
    const text = fs.readFileSync(path.join(samplesDir, file), 'utf8');
    const lines = tokenize(text);
    lines.forEach((tokens, i) => {
      tokens.forEach((t, k) => {
        if (t.scopes.at(-1) === 'constant.numeric.uncertainty.cif') {
          assert.equal(tokens[k - 2].scopes.at(-1), 'constant.numeric.cif', `${file}:${i + 1}`);
          checked++;
        }
      });
    });
  }
  assert.ok(checked > 100, `checked ${checked} numbers with su`);
});
