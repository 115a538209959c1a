// The Markdown of every hover, built from plain data so the wording is unit-tested. Values from
// the file are shown in code spans with backticks neutralised, never as raw Markdown.
import { neighbours } from '../../../core/structure/distances';
import type { Structure } from '../../../core/structure/types';
import type { CifBlock, CifItem, CifValue } from '../../../core/cif/types';
import type { FormulaHit } from './formulaHover';
import { formatEstimate, type CompositionPrediction } from './predictionCache';
import { lookupTag } from './tagDictionary';
import { loopColumns } from './cifOutline';

/** A code span that cannot be broken out of (backticks in the text are replaced). */
export function code(text: string): string {
  return '`' + text.replace(/`/g, 'ˋ').replace(/\s+/g, ' ').slice(0, 200) + '`';
}

export function tagMarkdown(name: string): string {
  const info = lookupTag(name);
  if (!info) return `${code(name)}\n\nNot in the built-in core-dictionary slice (check the spelling, or it is a local or non-core tag).`;
  const parts = [`**${info.name}**${info.looped ? ' (loop column)' : ''}`, '', info.description];
  if (info.units) parts.push('', `Units: ${info.units}`);
  if (info.ddlm) parts.push('', `Also written ${code(info.ddlm)}`);
  return parts.join('\n');
}

function numberLine(value: CifValue): string | undefined {
  if (value.kind === 'inapplicable') return '`.`: inapplicable (or the default value)';
  if (value.kind === 'unknown') return '`?`: unknown (not 0)';
  if (value.number === undefined) return undefined;
  return value.su !== undefined ? `= ${value.number} ± ${value.su} (standard uncertainty)` : `= ${value.number}`;
}

/** "value of _tag, row 3 of the _atom_site loop (label O1)". */
export function valueMarkdown(block: CifBlock, item: CifItem, value: CifValue, row: number): string {
  const info = lookupTag(item.name);
  const lines = [`${code(value.text)} is the value of **${item.name}**${info?.units ? ` (${info.units})` : ''}`];
  if (item.loop !== undefined) {
    const columns = loopColumns(block, item.loop);
    const label = columns.find((c) => /_label$/.test(c.key) && c !== item)?.values[row]?.text;
    lines.push('', `Loop row ${row + 1} of ${block.loops[item.loop].rowCount}${label ? `, label ${code(label)}` : ''}`);
  }
  const numeric = numberLine(value);
  if (numeric) lines.push('', numeric);
  if (info) lines.push('', info.description);
  return lines.join('\n');
}

/** Element, multiplicity after symmetry expansion and nearest neighbours of an atom-site label. */
export function atomSiteMarkdown(structure: Structure, label: string, maxNeighbours = 6, cutoff = 3.5): string | undefined {
  const indices = structure.sites.map((s, i) => (s.label === label ? i : -1)).filter((i) => i >= 0);
  if (indices.length === 0) return undefined;
  const site = structure.sites[indices[0]];
  const species = site.species.map((sp) => `${sp.element}${sp.oxidationState !== undefined ? ` (${sp.oxidationState > 0 ? '+' : ''}${sp.oxidationState})` : ''}${sp.occupancy < 1 ? ` × ${sp.occupancy}` : ''}`).join(', ');
  const lines = [`**Atom site ${label}**: ${species}`, '', `Multiplicity after symmetry expansion: **${indices.length}** in the cell`];
  const near = neighbours(structure, indices[0], cutoff).slice(0, maxNeighbours);
  if (near.length) {
    lines.push('', `Nearest neighbours (≤ ${cutoff} Å):`, '');
    for (const n of near) {
      const other = structure.sites[n.index];
      lines.push(`- ${other.label ?? ''} ${other.species.map((s) => s.element).join('/')}: ${n.distance.toFixed(3)} Å`);
    }
  } else {
    lines.push('', `No neighbours within ${cutoff} Å.`);
  }
  return lines.join('\n');
}

function compositionLine(elements: Record<string, number>): string {
  return Object.entries(elements).map(([el, n]) => `${el} ${Number(n.toPrecision(6))}`).join(' · ');
}

/** The formula hover: composition, then predictions (or "predicting…"), then which model answered. */
export function formulaMarkdown(hit: FormulaHit, prediction: CompositionPrediction | 'pending' | undefined): string {
  const result = hit.result;
  if (!result.ok) {
    if (result.variable) return `${code(hit.text)}: variable stoichiometry: set x (or δ) to a number to get a prediction.`;
    return `${code(hit.text)} is not a formula: ${result.error} (column ${result.column}).`;
  }
  const lines = [`**${code(hit.text)}**: ${compositionLine(result.elements)}`];
  if (result.charge !== undefined) lines.push('', `Net charge ${result.charge > 0 ? '+' : ''}${result.charge}`);
  if (prediction === 'pending') lines.push('', '_predicting…_');
  else if (prediction) {
    if (prediction.bandGap) lines.push('', `Band gap: **${formatEstimate(prediction.bandGap)}**`);
    if (prediction.formationEnergy) lines.push('', `Formation energy: **${formatEstimate(prediction.formationEnergy)}**`);
    if (prediction.error) lines.push('', `No prediction: ${prediction.error}`);
    lines.push('', `_Model: ${prediction.model}_`);
  }
  return lines.join('\n');
}

/** The inlay hint label after a formula, e.g. " Eg ≈ 2.10 eV". */
export function inlayLabel(prediction: CompositionPrediction): string | undefined {
  return prediction.bandGap ? ` Eg≈${prediction.bandGap.value.toFixed(2)} ${prediction.bandGap.unit}` : undefined;
}
