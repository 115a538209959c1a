// Language features run on every keystroke, so they must never throw on half-typed text: every
// shared sample, cut at many points (as if being typed), goes through the outline, folding, the
// "what is under the cursor" lookup with its hover text, and the viewer's structure loader (which
// may refuse with a message, never crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readCif } from '../src/core/cif';
import { foldingRegions, outline, targetAt } from '../src/extension/language/logic/cifOutline';
import { atomSiteMarkdown, tagMarkdown, valueMarkdown } from '../src/extension/language/logic/hoverText';
import { loadStructure } from '../src/extension/viewer/structureSource';
import { toViewerModel } from '../src/extension/viewer/viewerModel';

const samples = path.resolve(__dirname, '..', '..', 'shared', 'data', 'cif-samples');

/** A small deterministic generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

test('truncated samples: outline, folding, hovers and the viewer loader never throw', () => {
  const random = lcg(42);
  let cuts = 0;
  for (const file of fs.readdirSync(samples).filter((f) => f.endsWith('.cif'))) {
    const full = fs.readFileSync(path.join(samples, file), 'utf8');
    for (let k = 0; k < 8; k++) {
      const text = full.slice(0, Math.floor(random() * full.length));
      const reading = readCif(text, { fileName: file });
      outline(reading.document);
      foldingRegions(reading.document);
      const lines = text.split(/\r?\n/);
      for (let probe = 0; probe < 20; probe++) {
        const line = Math.floor(random() * lines.length);
        const target = targetAt(reading.document, { line, character: Math.floor(random() * ((lines[line]?.length ?? 0) + 1)) });
        if (target?.kind === 'tag') assert.ok(tagMarkdown(target.item.name).length > 0);
        if (target?.kind === 'value') {
          assert.ok(valueMarkdown(target.block, target.item, target.value, target.row).length > 0);
          const structure = reading.blocks.find((b) => b.block === target.block)?.structure;
          if (structure && target.item.key === '_atom_site_label') atomSiteMarkdown(structure, target.value.text);
        }
      }
      try {
        const model = toViewerModel(file, loadStructure(text, file));
        assert.ok(model.atoms.every((a) => a.frac.every(Number.isFinite)), `${file}: finite coordinates`);
      } catch (error) {
        assert.ok(error instanceof Error && error.message.includes(file), `${file}: a refusal names the file (${String(error)})`);
      }
      cuts++;
    }
  }
  assert.ok(cuts >= 160);
});
