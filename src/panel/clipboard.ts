/**
 * Copy and save for the panel. DevTools panels are frames where navigator.clipboard is often
 * refused, so copying falls back to a selected textarea and execCommand, which DevTools allows.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through to the textarea route.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the browser refused to copy');
}

/** Copies `text` and says so ("Copied WHAT."), or why it could not, through `say`. */
export async function copyAndSay(
  text: string,
  what: string,
  say: (message: string) => void,
): Promise<void> {
  try {
    await copyText(text);
    say(`Copied ${what}.`);
  } catch (error) {
    say(`Could not copy: ${(error as Error).message}`);
  }
}

/** Offers `data` as a download named `fileName`. */
export function saveFile(fileName: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
