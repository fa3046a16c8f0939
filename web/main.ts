/** The studio page: reads the server's rules, then sets up the form and the gallery. */
import { api } from './api-client.js';
import { setUpCreateForm } from './create-form.js';
import { byId } from './dom.js';
import { Gallery } from './gallery.js';

async function start(): Promise<void> {
  const config = await api.config();
  const gallery = new Gallery(config);
  setUpCreateForm(config, (id) => {
    gallery.add(id);
  });
  await gallery.reload();
}

start().catch((error: unknown) => {
  byId('form-error', HTMLDivElement).textContent = `The studio could not start: ${error instanceof Error ? error.message : String(error)}`;
});
