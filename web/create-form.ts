/**
 * The new-video form. Its choices come from the server's rules for the
 * selected API (studio-config.json): sizes, lengths, variants per size, and
 * what media it takes — inpaint items (an image or a video as the first
 * frame) for the jobs API, a reference image of exactly the requested size
 * for Sora 2. With a file the request goes as the API's multipart form.
 */
import { api, ApiError } from './api-client.js';
import type { ApiRules, SoraApi, StudioConfig } from './api-types.js';
import { byId, el } from './dom.js';
import { byteSize } from './progress.js';

const API_NAMES: Record<SoraApi, string> = { jobs: 'Sora (jobs API)', videos: 'Sora 2 (videos API)', openai: 'OpenAI-compatible endpoint' };
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const VIDEO_TYPES = ['video/mp4'];

/** Which form control a field named in the API's problem details belongs to. */
const CONTROL_OF_FIELD: Record<string, string> = {
  prompt: 'prompt',
  api: 'api',
  width: 'size',
  height: 'size',
  n_seconds: 'seconds',
  n_variants: 'variants',
  inpaint_items: 'media',
  files: 'media',
  input_reference: 'media',
};

export function setUpCreateForm(config: StudioConfig, onCreated: (id: string) => void): void {
  const form = byId('create-form', HTMLFormElement);
  const prompt = byId('prompt', HTMLTextAreaElement);
  const apiSelect = byId('api', HTMLSelectElement);
  const size = byId('size', HTMLSelectElement);
  const seconds = byId('seconds', HTMLSelectElement);
  const variants = byId('variants', HTMLSelectElement);
  const media = byId('media', HTMLInputElement);
  const mediaHelp = byId('media-help', HTMLParagraphElement);
  const preview = byId('media-preview', HTMLDivElement);
  const submit = byId('create', HTMLButtonElement);
  const error = byId('form-error', HTMLDivElement);

  const apis = (Object.keys(config.apis) as SoraApi[]).filter((name) => config.apis[name] !== undefined);
  apiSelect.replaceChildren(...apis.map((name) => el('option', { value: name, textContent: API_NAMES[name], selected: name === config.defaultApi })));
  byId('api-field', HTMLDivElement).hidden = apis.length < 2;

  const rules = (): ApiRules => {
    const chosen = config.apis[apiSelect.value as SoraApi];
    if (chosen === undefined) throw new Error(`No rules for the ${apiSelect.value} API.`);
    return chosen;
  };

  const fillVariants = () => {
    const max = rules().sizes.find((s) => s.size === size.value)?.maxVariants ?? 1;
    const kept = Math.min(Number(variants.value) || 1, max);
    variants.replaceChildren(...Array.from({ length: max }, (_, i) => el('option', { value: String(i + 1), textContent: String(i + 1), selected: i + 1 === kept })));
  };
  const describeMedia = () => {
    const r = rules();
    const limits = config.media;
    if (r.media === 'reference') {
      media.accept = IMAGE_TYPES.join(',');
      mediaHelp.textContent = `A reference image (JPEG, PNG or WebP, up to ${byteSize(limits.maxImageBytes)}) of exactly ${size.value} pixels: the video starts from it.`;
    } else {
      media.accept = [...IMAGE_TYPES, ...VIDEO_TYPES].join(',');
      mediaHelp.textContent = `An image (JPEG, PNG or WebP, up to ${byteSize(limits.maxImageBytes)}) or an MP4 video of at most ${limits.maxVideoSeconds} s (up to ${byteSize(limits.maxVideoBytes)}): the video starts from it.`;
    }
  };
  const fillChoices = () => {
    const r = rules();
    size.replaceChildren(...r.sizes.map((s) => el('option', { value: s.size, textContent: s.size.replace('x', ' × '), selected: s.size === r.defaultSize })));
    seconds.replaceChildren(...r.seconds.map((n) => el('option', { value: String(n), textContent: String(n), selected: n === r.defaultSeconds })));
    fillVariants();
    describeMedia();
  };
  apiSelect.addEventListener('change', fillChoices);
  size.addEventListener('change', () => {
    fillVariants();
    describeMedia();
  });
  fillChoices();

  let previewUrl: string | undefined;
  media.addEventListener('change', () => {
    if (previewUrl !== undefined) URL.revokeObjectURL(previewUrl);
    previewUrl = undefined;
    const file = media.files?.[0];
    if (file === undefined) {
      preview.replaceChildren();
      return;
    }
    previewUrl = URL.createObjectURL(file);
    const label = `Preview of ${file.name}`;
    preview.replaceChildren(
      file.type.startsWith('video/')
        ? el('video', { src: previewUrl, muted: true, controls: true, playsInline: true }, { 'aria-label': label })
        : el('img', { src: previewUrl, alt: label }),
    );
  });

  const showErrors = (messages: string[], fields: string[]) => {
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
    for (const field of fields) {
      const id = CONTROL_OF_FIELD[field.split(/[.[]/)[0] ?? field];
      if (id !== undefined) document.getElementById(id)?.setAttribute('aria-invalid', 'true');
    }
    error.replaceChildren(...(messages.length === 0 ? [] : [el('ul', {}, {}, ...messages.map((message) => el('li', { textContent: message })))]));
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = prompt.value.trim();
    if (text === '') {
      showErrors(['Write a prompt: what should the video show?'], ['prompt']);
      prompt.focus();
      return;
    }
    const file = media.files?.[0];
    const tooBig = file === undefined ? undefined : sizeProblem(file, config);
    if (tooBig !== undefined) {
      showErrors([tooBig], ['files']);
      media.focus();
      return;
    }
    showErrors([], []);
    submit.disabled = true;
    api
      .create(requestBody(text, rules(), { api: apiSelect.value, size: size.value, seconds: seconds.value, variants: variants.value }, file))
      .then(({ id }) => {
        onCreated(id);
        // The request has its file now; the next one starts without it.
        media.value = '';
        media.dispatchEvent(new Event('change'));
      })
      .catch((failure: unknown) => {
        if (failure instanceof ApiError) showErrors(failure.message.split('\n'), failure.problem?.errors?.map((e) => e.field) ?? []);
        else showErrors([`The request could not be sent: ${String(failure)}`], []);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
}

interface Choices {
  api: string;
  size: string;
  seconds: string;
  variants: string;
}

/** JSON without a file; with one, the API's multipart shape: fields first, then the file part. */
function requestBody(prompt: string, rules: ApiRules, choices: Choices, file: File | undefined): FormData | Record<string, unknown> {
  const [width = '', height = ''] = choices.size.split('x');
  const fields: Record<string, string> = { api: choices.api, prompt, width, height, n_seconds: choices.seconds, n_variants: choices.variants };
  if (file === undefined) return { ...fields, width: Number(width), height: Number(height), n_seconds: Number(choices.seconds), n_variants: Number(choices.variants) };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (rules.media === 'reference') {
    form.append('input_reference', file, file.name);
  } else {
    const type = file.type.startsWith('video/') ? 'video' : 'image';
    form.append('inpaint_items', JSON.stringify([{ frame_index: 0, type, file_name: file.name }]));
    form.append('files', file, file.name);
  }
  return form;
}

/** The API's own limits, checked before an upload the API would refuse after the last byte. */
function sizeProblem(file: File, config: StudioConfig): string | undefined {
  const isVideo = file.type.startsWith('video/');
  const limit = isVideo ? config.media.maxVideoBytes : config.media.maxImageBytes;
  return file.size > limit ? `${file.name} is ${byteSize(file.size)}; ${isVideo ? 'a video' : 'an image'} may be at most ${byteSize(limit)}.` : undefined;
}
