/**
 * One request in the gallery: its prompt, size, length and variants, its
 * stage with a progress bar and elapsed time while it runs (and Cancel), its
 * players and downloads once done (and Remix where the API has it), or what
 * went wrong in words.
 */
import type { StoredVideo, VideoSummary, VideoView } from './api-types.js';
import { el } from './dom.js';
import { byteSize, elapsed, progressFraction, stageInWords } from './progress.js';
import { refreshDelay } from './read-links.js';

export interface CardContext {
  isFinished(status: string): boolean;
  canRemix(view: VideoView): boolean;
  cancel(id: string): Promise<void>;
  remix(id: string, prompt: string): Promise<void>;
  /** Reads the request again (fresh links included) and shows it. */
  refresh(id: string): Promise<void>;
}

export class RequestCard {
  readonly element: HTMLLIElement;
  private readonly title: HTMLHeadingElement;
  private readonly meta = el('p', { className: 'meta' });
  private readonly badge = el('span', { className: 'badge' }, { 'aria-live': 'polite' });
  private readonly detail = el('span', { className: 'meta' });
  private readonly message = el('p', { className: 'error' }, { role: 'alert' });
  private readonly body = el('div');
  private view: VideoView | undefined;
  private shownStatus: string | undefined;
  private bar: HTMLProgressElement | undefined;
  private linkTimer: number | undefined;
  private gone = false;

  constructor(
    readonly id: string,
    private readonly context: CardContext,
  ) {
    this.title = el('h3', {}, { id: `title-${id}` });
    const status = el('p', { className: 'meta' }, {}, this.badge, ' ', this.detail);
    this.element = el('li', { className: 'card' }, { 'data-request-id': id, 'aria-labelledby': `title-${id}` }, this.title, this.meta, status, this.message, this.body);
  }

  /** Ended, or gone from the API (purged): either way there is nothing more to follow. */
  get finished(): boolean {
    return this.gone || (this.view !== undefined && this.context.isFinished(this.view.status));
  }

  /** The API no longer knows the request: say so, and stop following it. */
  showGone(text: string): void {
    this.gone = true;
    this.body.replaceChildren();
    this.showProblem(text);
  }

  /** What the list says, until the whole view arrives. */
  showSummary(summary: VideoSummary): void {
    this.title.textContent = summary.prompt;
    this.setBadge(summary.status);
  }

  show(view: VideoView): void {
    this.view = view;
    this.title.textContent = view.prompt;
    const variants = `${view.n_variants} variant${view.n_variants === 1 ? '' : 's'}`;
    const remix = view.remixOf === null ? '' : ' · remix';
    this.meta.textContent = `${view.size} · ${view.n_seconds} s · ${variants} · ${view.api}${remix} · ${new Date(view.createdAt).toLocaleString()}`;
    this.setBadge(view.status);
    this.element.dataset.status = view.status;
    this.message.textContent = '';
    if (view.status !== this.shownStatus) {
      this.shownStatus = view.status;
      this.body.replaceChildren(...this.bodyFor(view));
    } else if (view.status === 'succeeded') {
      this.swapLinks(view.videos);
    }
    if (view.status === 'succeeded') this.scheduleLinkRefresh(view.videos);
    this.tick(Date.now());
  }

  /** A problem reading or acting on the request, in the API's words. */
  showProblem(text: string): void {
    this.message.textContent = text;
  }

  /** Elapsed time, queue position and the progress bar move with the clock between reads. */
  tick(now: number): void {
    const view = this.view;
    if (view === undefined) return;
    const finished = this.context.isFinished(view.status);
    const queue = view.status === 'waiting' && view.progress?.queuePosition != null ? ` · position ${view.progress.queuePosition} in the queue` : '';
    const retry = view.progress?.submit.waiting === 'throttled' ? ' · Sora is busy, trying again' : '';
    this.detail.textContent = `${elapsed(view, finished, now)}${queue}${retry}`;
    if (this.bar === undefined) return;
    const fraction = progressFraction(view, now);
    if (fraction === null) this.bar.removeAttribute('value');
    else this.bar.value = fraction;
  }

  private setBadge(status: string): void {
    this.badge.className = `badge ${status}`;
    this.badge.textContent = stageInWords(status);
  }

  private bodyFor(view: VideoView): Node[] {
    this.bar = undefined;
    if (!this.context.isFinished(view.status)) {
      this.bar = el('progress', { max: 1 }, { 'aria-label': `Progress of “${view.prompt}”` });
      const cancel = el('button', { type: 'button', className: 'danger', textContent: 'Cancel' }, { 'aria-label': `Cancel “${view.prompt}”` });
      cancel.addEventListener('click', () => {
        cancel.disabled = true;
        this.context.cancel(view.id).catch((error: unknown) => {
          cancel.disabled = false;
          this.showProblem(String(error instanceof Error ? error.message : error));
        });
      });
      return [this.bar, el('div', { className: 'actions' }, {}, cancel)];
    }
    if (view.status === 'succeeded') {
      const players = view.videos.map((video) => this.player(view, video));
      return this.context.canRemix(view) ? [...players, this.remixForm(view)] : players;
    }
    if (view.error) {
      const code = view.error.code === null || view.error.message.includes(view.error.code) ? '' : ` (${view.error.code})`;
      return [el('p', { className: 'error', textContent: `${view.error.message}${code}` })];
    }
    return [];
  }

  private player(view: VideoView, video: StoredVideo): HTMLElement {
    const name = `variant ${video.variant + 1} of “${view.prompt}”`;
    // The thumbnail stands for the video until it is played: a gallery of many loads nothing more up front.
    const player = el('video', { controls: true, preload: 'none', playsInline: true, src: video.url, poster: video.thumbnailUrl ?? '' }, { 'aria-label': `Video: ${name}`, 'data-variant': String(video.variant) });
    // Its box keeps the video's shape before anything has loaded.
    player.style.aspectRatio = view.size.replace('x', ' / ');
    // A link that expired while the page was open: read fresh ones (once per failure).
    player.addEventListener('error', () => {
      void this.context.refresh(view.id);
    });
    const download = el('a', { className: 'button secondary', href: video.url, download: `${view.id}-${video.variant}.mp4`, textContent: `Download (${byteSize(video.bytes)})` }, { 'aria-label': `Download ${name}` });
    return el('div', { className: 'variant' }, {}, player, el('div', { className: 'actions' }, {}, download));
  }

  /** New links for the same videos: a paused player takes its new link where it was, a playing one keeps what it has buffered. */
  private swapLinks(videos: StoredVideo[]): void {
    for (const video of videos) {
      const player = this.body.querySelector<HTMLVideoElement>(`video[data-variant="${video.variant}"]`);
      const download = player?.parentElement?.querySelector('a');
      if (download) download.href = video.url;
      if (!player || player.src === video.url || (!player.paused && !player.error)) continue;
      const at = player.currentTime;
      player.src = video.url;
      if (at > 0) player.currentTime = at;
    }
  }

  private scheduleLinkRefresh(videos: StoredVideo[]): void {
    window.clearTimeout(this.linkTimer);
    const delay = refreshDelay(videos.map((video) => video.url), Date.now());
    if (delay === undefined) return;
    this.linkTimer = window.setTimeout(() => {
      void this.context.refresh(this.id);
    }, delay);
  }

  private remixForm(view: VideoView): HTMLDetailsElement {
    const inputId = `remix-${view.id}`;
    const input = el('input', { type: 'text', id: inputId, required: true }, { placeholder: 'The same scene at night' });
    const submit = el('button', { type: 'submit', textContent: 'Remix' });
    const form = el('form', {}, {}, el('label', { htmlFor: inputId, textContent: 'Remix with a new prompt' }), input, el('div', { className: 'actions' }, {}, submit));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const prompt = input.value.trim();
      if (prompt === '') {
        this.showProblem('Write what the remix should change.');
        input.focus();
        return;
      }
      submit.disabled = true;
      this.context
        .remix(view.id, prompt)
        .then(() => {
          input.value = '';
        })
        .catch((error: unknown) => {
          this.showProblem(String(error instanceof Error ? error.message : error));
        })
        .finally(() => {
          submit.disabled = false;
        });
    });
    // Folded away until wanted: the players come first.
    return el('details', { className: 'remix' }, {}, el('summary', { textContent: 'Remix this video' }), form);
  }
}
