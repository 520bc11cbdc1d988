export type { KrrPerson } from '../../domain/channel-choice.js';
export { type ContactRegister, KrrUnavailableError } from './contact-register.js';
export { FileContactRegister, type FileContactRegisterOptions, type KrrReload } from './file-contact-register.js';
export { HttpContactRegister, type HttpContactRegisterOptions } from './http-contact-register.js';
export { parseKrrResponse } from './krr-response.js';
