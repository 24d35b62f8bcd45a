/**
 * How the toolbar names the inspected page: its host (with a port if it has one), or the URL as
 * it is where there is no host (a file, about:blank); empty until the page's relay said hello.
 */
export function pageHost(url: string | undefined): string {
  if (!url) return '';
  try {
    const { host } = new URL(url);
    return host || url;
  } catch {
    return url;
  }
}
