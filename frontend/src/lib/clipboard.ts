// Small DOM helpers for dialogs: copying text for the user, opening a modal.

/**
 * Copies `text` to the clipboard. Where the clipboard is out of reach (a page served over plain
 * http to another host), runs `fallback` instead (select the text for Ctrl+C) and returns false.
 */
export async function copyText(text: string, fallback: () => void): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    fallback();
    return false;
  }
}

/** A Svelte action: shows a `<dialog>` as a modal as soon as it is on the page. */
export function openModal(dialog: HTMLDialogElement): void {
  dialog.showModal();
}
