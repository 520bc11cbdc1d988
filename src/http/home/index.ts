/** The front page `/`. */
export { createHomeApp } from './home-app.js';
