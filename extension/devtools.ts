/** The DevTools page: adds the "WebSockets" panel tab. */
import browser from '../src/browser';

void browser.devtools.panels.create('WebSockets', '/icons/icon-32.png', '/extension/panel.html');
