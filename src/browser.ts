/** The one import of webextension-polyfill: every other module takes `browser` from here. */
import browser from 'webextension-polyfill';

export default browser;
export type { Runtime } from 'webextension-polyfill';
