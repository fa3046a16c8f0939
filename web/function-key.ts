/**
 * The API's function key, for a deployment whose API answers 401 without
 * one. The page carries no key: it asks when the API refuses, and keeps the
 * answer in sessionStorage, so it lives as long as this tab and no other
 * tab, window or later visit sees it.
 */
import { byId } from './dom.js';

const STORAGE_KEY = 'sora-studio:function-key';

export function functionKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

let asking: Promise<string | null> | undefined;

/** Shows the key dialog (once, however many calls were refused meanwhile); resolves with the key saved, or null when dismissed. */
export function askForFunctionKey(refused: string | null): Promise<string | null> {
  asking ??= showKeyDialog(refused).finally(() => {
    asking = undefined;
  });
  return asking;
}

function showKeyDialog(refused: string | null): Promise<string | null> {
  const dialog = byId('key-dialog', HTMLDialogElement);
  const input = byId('key', HTMLInputElement);
  byId('key-reason', HTMLParagraphElement).textContent =
    refused === null
      ? 'The API asks for a function key. It is kept in this tab only and sent with each API call.'
      : 'The API refused that key. Enter the function key again; it is kept in this tab only.';
  input.value = '';
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        const key = input.value.trim();
        if (dialog.returnValue !== 'save' || key === '') {
          resolve(null);
          return;
        }
        sessionStorage.setItem(STORAGE_KEY, key);
        resolve(key);
      },
      { once: true },
    );
  });
}
