// Registers the CIF and formula language features. Everything reads one shared parse per
// document version (CifModelStore) and one loaded prediction model (PredictionService).
import * as vscode from 'vscode';
import { CifModelStore } from './cifModel';
import { disposeSharedCifWorker, sharedCifWorker } from './cifWorkerClient';
import { registerCifDiagnostics } from './diagnostics';
import { registerHovers } from './hovers';
import { registerInlayHints } from './inlayHints';
import { sharedPredictionService, type PredictionService } from './predictionService';
import { registerSemanticTokens } from './semanticTokens';
import { registerStructureProviders } from './structureProviders';

export interface LanguageFeaturesApi {
  store: CifModelStore;
  predictions: PredictionService;
}

export function registerLanguageFeatures(context: vscode.ExtensionContext): LanguageFeaturesApi {
  // Large CIFs are read in a worker thread (dist/cifWorker.js), started on the first one.
  const worker = sharedCifWorker(context.extensionPath);
  const store = new CifModelStore(worker);
  context.subscriptions.push({ dispose: disposeSharedCifWorker });
  const predictions = sharedPredictionService(context.extensionPath);
  context.subscriptions.push(store);
  registerCifDiagnostics(context, store);
  registerHovers(context, store, predictions);
  registerStructureProviders(context, store);
  registerInlayHints(context, store, predictions);
  registerSemanticTokens(context, store);
  return { store, predictions };
}
