/** The DevTools page: adds the "WebSockets" panel tab and forwards DevTools' search box to it. */
import browser from '../src/browser';
import { type DevToolsSearchMessage, devtoolsSearchChannel } from '../src/protocol/devtools-search';

const search = new BroadcastChannel(devtoolsSearchChannel(browser.devtools.inspectedWindow.tabId));

void browser.devtools.panels
  .create('WebSockets', '/icons/icon-32.png', '/extension/panel.html')
  .then((panel) => {
    // Firefox's panels have no onSearch; there the panel's own Ctrl+F handler serves.
    const onSearch = (panel as { onSearch?: typeof panel.onShown }).onSearch as
      | { addListener(listener: (action: string, query?: string) => void): void }
      | undefined;
    onSearch?.addListener((action, query) => {
      const message: DevToolsSearchMessage =
        action === 'cancelSearch' ? { action } : { action: 'performSearch', query: query ?? '' };
      if (action === 'performSearch' || action === 'cancelSearch') search.postMessage(message);
    });
  });
