// `crystal-gan predict --property band-gap|formation-energy [--model DIR] (--input CSV | FORMULA...) [--out CSV]`
// Output contract (other tools depend on it): CSV with the header `formula,prediction,uncertainty,error`,
// one row per input row in input order. A formula that does not parse or uses an element the
// model does not know gets an empty prediction and the reason in `error`. Without --out the CSV
// goes to stdout. Exit 0 when every row was predicted, 1 when any failed (all rows are still
// written), 2 for usage errors. Uses the committed default models unless --model is given.
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { ExitCode, InputError, UsageError, type CliIO, type CommandRegistration } from '../command';
import { csvLine, readFormulaColumn } from '../../core/features/csvIo';
import { defaultModelDir, loadPredictor, PROPERTY_NAMES, type Prediction, type PropertyName, type Predictor } from '../../ml/predictor';

export const PREDICT_HEADER = 'formula,prediction,uncertainty,error';

interface PredictOptions {
  property: PropertyName;
  model?: string;
  input?: string;
  out?: string;
}

function formatNumber(x: number | undefined): string {
  return x === undefined ? '' : x.toFixed(4);
}

function predictionLine(p: Prediction): string {
  return csvLine([p.formula, formatNumber(p.prediction), formatNumber(p.uncertainty), p.error ?? '']);
}

function openPredictor(options: PredictOptions): Predictor {
  const location = options.model ?? defaultModelDir(options.property);
  try {
    const predictor = loadPredictor(location);
    if (!options.model && predictor.model.property !== options.property) {
      throw new Error(`${location} holds a ${predictor.model.property} model, not ${options.property}`);
    }
    return predictor;
  } catch (error) {
    throw new InputError(`cannot load the ${options.property} model: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readInputs(formulas: string[], options: PredictOptions): string[] {
  if (options.input && formulas.length) throw new UsageError('give formulas or --input CSV, not both');
  if (!options.input && !formulas.length) throw new UsageError('give formulas to predict or --input CSV (with a "formula" column)');
  if (!options.input) return formulas;
  try {
    return readFormulaColumn(options.input).map((r) => r.formula);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

function runPredict(io: CliIO, formulas: string[], options: PredictOptions): number {
  const inputs = readInputs(formulas, options);
  const predictor = openPredictor(options);
  const predictions = inputs.map((f) => (f ? predictor.predictFormula(f) : { formula: f, error: 'empty formula' }));
  const lines = [PREDICT_HEADER, ...predictions.map(predictionLine)];
  const failed = predictions.filter((p) => p.error !== undefined).length;
  if (options.out) {
    try {
      fs.writeFileSync(options.out, lines.join('\n') + '\n');
    } catch (error) {
      throw new InputError(`cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}`);
    }
    io.err(`${predictions.length - failed} of ${predictions.length} rows predicted (${predictor.model.property}, ${predictor.model.unit}); wrote ${options.out}`);
  } else {
    for (const line of lines) io.out(line);
  }
  if (failed) io.err(`${failed} row(s) could not be predicted: see the error column`);
  return failed ? ExitCode.invalidInput : ExitCode.ok;
}

export const registerPredict: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('predict')
    .description('Predict band gap or formation energy from formulas (CSV: formula,prediction,uncertainty,error)')
    .addOption(new Option('--property <name>', 'property to predict').choices([...PROPERTY_NAMES]).makeOptionMandatory())
    .option('--model <dir>', 'model folder holding model.json (default: the committed models/<property>)')
    .option('--input <csv>', 'CSV file with a "formula" column')
    .option('--out <csv>', 'write the CSV here instead of stdout')
    .argument('[formula...]', 'formulas to predict (instead of --input)')
    .action((formulas: string[], options: PredictOptions) => {
      process.exitCode = runPredict(io, formulas, options);
    });
};
