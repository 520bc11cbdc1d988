export { API_SPECS, createOpenApiApp, type ApiSpec } from './openapi-routes.js';
