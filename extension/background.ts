/** Background (service worker in Chrome, event page in Firefox): routes ports per tab. */
import browser from '../src/browser';
import type { HubPort } from '../src/hub/hub-port';
import { TabHub } from '../src/hub/tab-hub';

const hub = new TabHub(browser.runtime.getURL(''));
browser.runtime.onConnect.addListener((port) => hub.connect(port as HubPort<unknown, unknown>));
