// The command table: one registration per sub-command, in the order `--help` lists them.
// Add a command by writing src/cli/commands/<name>.ts and one line here.
import type { CommandRegistration } from '../command';
import { registerDemo } from './demo';
import { registerGenerateCompositions } from './generateCompositions';
import { registerEvaluateCrystals } from './evaluateCrystals';
import { registerFeaturize } from './featurize';
import { registerPredict } from './predict';
import { registerParseFormula } from './parseFormula';
import { registerParseCif } from './parseCif';
import { registerTrainCrystalGan } from './trainCrystalGan';
import { registerGenerateCrystals } from './generateCrystals';
import { registerTrainCompositionGan } from './trainCompositionGan';
import { registerDownloadData } from './downloadData';

export const commands: CommandRegistration[] = [
  registerDemo,
  registerEvaluateCrystals,
  registerFeaturize,
  registerPredict,
  registerGenerateCompositions,
  registerParseFormula,
  registerParseCif,
  registerTrainCompositionGan,
  registerTrainCrystalGan,
  registerGenerateCrystals,
  registerDownloadData,
];
