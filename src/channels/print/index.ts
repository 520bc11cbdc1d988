export { FiledropPrintProvider } from './filedrop-print-provider.js';
export { ManualPrintProvider } from './manual-print-provider.js';
export {
  PrintError,
  type PrintJob,
  type PrintManifest,
  type PrintManifestDokument,
  type PrintProvider,
  type PrintProviders,
} from './print-provider.js';
