// `hover`: latency of the formula-hover path as the extension host runs it, on 10,000 formulas,
// each in a Markdown sentence: scope → detection and parse → prediction-cache lookup → the
// prediction itself (cold: every formula is new to the cache, so the model runs every time).
// Prints the requested percentile in ms: `hover.ts FORMULAS p50|p99`.
import fs from 'node:fs';
import path from 'node:path';
import { formulaAt } from '../../src/extension/language/logic/formulaHover';
import { formulaScopeAt } from '../../src/extension/language/logic/formulaScope';
import { PredictionService } from '../../src/extension/language/predictionService';

const percentile = process.argv[3] === 'p50' ? 0.5 : 0.99;
const all = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
const formulas = [...new Set(all)].slice(0, 10_000);
const service = new PredictionService(path.resolve(__dirname, '..', '..'));

async function hoverOnce(formula: string): Promise<number> {
  const line = `The compound ${formula} was made twice.`;
  const character = 13 + Math.floor(formula.length / 2);
  const start = performance.now();
  const scope = formulaScopeAt('markdown', line, character);
  const hit = scope && formulaAt(scope, character);
  if (hit?.result.ok) {
    const answer = service.cache.peek(hit.result.elements);
    if (answer.state === 'pending') await answer.done;
  }
  return performance.now() - start;
}

async function main(): Promise<void> {
  for (const f of formulas.slice(0, 200)) await hoverOnce(f + 'O'); // load the models, warm the JIT
  const times: number[] = [];
  for (const f of formulas) times.push(await hoverOnce(f));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(JSON.stringify({ value: at(percentile), p50: at(0.5), p99: at(0.99), max: times[times.length - 1], n: times.length }));
}

void main();
