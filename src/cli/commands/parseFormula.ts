// `crystal-gan parse-formula [--json] [--context C] [--] FORMULA...`: parses each formula and
// prints one line per input (other tools depend on this contract):
//   --json  {"input","elements":{"Fe":2,"O":3},"reduced","hill"} (plus "charge", "notes" when present)
//           or {"input","error","column"} (plus "variable": true for variable stoichiometry)
//   plain   "Fe2O3  Fe: 2, O: 3  reduced Fe2O3  hill Fe2O3", or "X  error at column N: …" with
//           the input and a caret under the column on stderr.
// Exit 0 when every input parses, 1 when any does not, 2 for usage errors (commander's).
import { Option, type Command } from 'commander';
import { ExitCode, type CliIO, type CommandRegistration } from '../command';
import { parseFormula, type FormulaContext, type FormulaResult } from '../../core/chem/formula';
import { formatAmount, hillFormula, reducedFormula } from '../../core/chem/composition';

const CONTEXTS: FormulaContext[] = ['free-text', 'cif-sum', 'cif-moiety', 'cif-type'];

interface ParseFormulaOptions {
  json?: boolean;
  context: FormulaContext;
}

function jsonLine(result: FormulaResult): string {
  if (!result.ok) {
    return JSON.stringify({ input: result.input, error: result.error, column: result.column, ...(result.variable ? { variable: true } : {}) });
  }
  return JSON.stringify({
    input: result.input,
    elements: result.elements,
    reduced: reducedFormula(result.elements),
    hill: hillFormula(result.elements),
    ...(result.charge !== undefined ? { charge: result.charge } : {}),
    ...(result.oxidationStates ? { oxidationStates: result.oxidationStates } : {}),
    ...(result.notes ? { notes: result.notes } : {}),
  });
}

function printPlain(io: CliIO, result: FormulaResult): void {
  if (!result.ok) {
    io.out(`${result.input}  error at column ${result.column}: ${result.error}`);
    io.err(`  ${result.input}`);
    io.err(`  ${' '.repeat(result.column - 1)}^`);
    return;
  }
  const amounts = Object.entries(result.elements).map(([el, n]) => `${el}: ${formatAmount(n)}`).join(', ');
  const charge = result.charge !== undefined ? `  charge ${result.charge > 0 ? '+' : ''}${result.charge}` : '';
  io.out(`${result.input}  ${amounts}  reduced ${reducedFormula(result.elements)}  hill ${hillFormula(result.elements)}${charge}`);
}

function runParseFormula(io: CliIO, inputs: string[], options: ParseFormulaOptions): number {
  let invalid = 0;
  for (const input of inputs) {
    const result = parseFormula(input, { context: options.context });
    if (!result.ok) invalid++;
    if (options.json) io.out(jsonLine(result));
    else printPlain(io, result);
  }
  return invalid ? ExitCode.invalidInput : ExitCode.ok;
}

export const registerParseFormula: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('parse-formula')
    .description('Parse chemical formulas (Fe2O3, Ca3(PO4)2, CuSO4·5H2O, H₂O, CIF sums …) and print their elements, reduced and Hill formulas')
    .argument('<formula...>', 'formulas to parse (put -- before formulas that start with "-")')
    .option('--json', 'one JSON object per input per line')
    .addOption(new Option('--context <context>', 'where the formulas come from: a bare trailing "3+" is a charge only in CIF contexts').choices(CONTEXTS).default('free-text'))
    .action((inputs: string[], options: ParseFormulaOptions) => {
      process.exitCode = runParseFormula(io, inputs, options);
    });
};
