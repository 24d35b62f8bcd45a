/**
 * DevTools' own search box (Ctrl+F over an extension panel) reaches the DevTools page as
 * `panel.onSearch`; it travels to the panel page of the same tab on this BroadcastChannel.
 */
export const devtoolsSearchChannel = (tabId: number) => `sockscope-devtools-search-${tabId}`;

export type DevToolsSearchMessage =
  | { action: 'performSearch'; query: string }
  | { action: 'cancelSearch' };
