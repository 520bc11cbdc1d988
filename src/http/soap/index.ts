/** The SOAP ForsendelsesService door, V4 to V11 (docs/interfaces.md §3–§6a, §15). */
export { basicAuthenticator, createSoapApp, versionHint } from './soap-app.js';
export type { SoapAppDeps } from './soap-app.js';
export { DEFAULT_SOAP_LIMITS } from './limits.js';
export type { SoapLimits } from './limits.js';
export {
  classifyError,
  FAULT_DETAIL_NS,
  INTERNAL_ERROR_MESSAGE,
  soapErrorResponse,
  soapFaultXml,
  SoapMustUnderstandError,
  SoapVersionMismatchError,
  unauthorizedResponse,
} from './soap-fault.js';
export type { SoapFaultCode } from './soap-fault.js';
export { SERVICE_NS, SOAP11_NS, SOAP12_NS, soapContentType } from './namespaces.js';
export type { SoapVersion } from './namespaces.js';
export { SERVICE_BASE_PATH, SERVICE_PATH, loadWsdl } from './wsdl.js';
export { SERVICE_VERSIONS } from './service-versions.js';
export type { ServiceVersion } from './service-versions.js';
export { V9_OPERATION_NAMES } from './operations.js';
