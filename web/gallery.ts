/**
 * The gallery: recent requests from the list API a page at a time, each read
 * whole (players, progress, errors); unfinished ones are read again until
 * they end, and a request made here or by a remix joins at the top.
 */
import { api, ApiError } from './api-client.js';
import type { StudioConfig, VideoSummary, VideoView } from './api-types.js';
import { byId } from './dom.js';
import { RequestCard, type CardContext } from './request-card.js';

const PAGE_SIZE = 12;
/** How often running requests are read again; the API's own Retry-After is for scripts, a person watches. */
const FOLLOW_MS = 1500;

export class Gallery {
  private readonly list = byId('gallery', HTMLUListElement);
  private readonly status = byId('gallery-status', HTMLParagraphElement);
  private readonly more = byId('more', HTMLButtonElement);
  private readonly cards = new Map<string, RequestCard>();
  private cursor: string | null = null;
  private readonly context: CardContext;

  constructor(private readonly config: StudioConfig) {
    this.context = {
      isFinished: (status) => config.finishedStatuses.includes(status),
      canRemix: (view: VideoView) => config.apis[view.api]?.remix === true,
      cancel: async (id) => {
        await api.cancel(id);
        await this.refresh(id);
      },
      remix: async (id, prompt) => {
        const { id: remixId } = await api.remix(id, prompt);
        this.add(remixId);
      },
      refresh: (id) => this.refresh(id),
    };
    this.more.addEventListener('click', () => {
      void this.loadPage();
    });
    byId('refresh', HTMLButtonElement).addEventListener('click', () => {
      void this.reload();
    });
    this.follow();
    window.setInterval(() => {
      const now = Date.now();
      for (const card of this.cards.values()) card.tick(now);
    }, 1000);
  }

  /** The newest page again, from the top. */
  async reload(): Promise<void> {
    this.cards.clear();
    this.list.replaceChildren();
    this.cursor = null;
    await this.loadPage();
  }

  /** A request just made: first in the gallery, followed until it ends. */
  add(id: string): void {
    if (this.cards.has(id)) return;
    const card = this.cardFor(id);
    this.list.prepend(card.element);
    this.status.textContent = '';
    void this.refresh(id);
  }

  private async loadPage(): Promise<void> {
    this.status.textContent = 'Loading requests…';
    this.more.disabled = true;
    try {
      const page = await api.list(PAGE_SIZE, this.cursor);
      this.cursor = page.nextCursor;
      const fresh = page.items.filter((item) => !this.cards.has(item.id));
      for (const item of fresh) this.list.append(this.summaryCard(item).element);
      this.status.textContent = this.cards.size === 0 ? 'No requests yet: write a prompt to make the first video.' : '';
      await Promise.all(fresh.map((item) => this.refresh(item.id)));
    } catch (error) {
      this.status.textContent = `The requests could not be listed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.more.hidden = this.cursor === null;
      this.more.disabled = false;
    }
  }

  private summaryCard(item: VideoSummary): RequestCard {
    const card = this.cardFor(item.id);
    card.showSummary(item);
    return card;
  }

  private cardFor(id: string): RequestCard {
    const card = new RequestCard(id, this.context);
    this.cards.set(id, card);
    return card;
  }

  private async refresh(id: string): Promise<void> {
    const card = this.cards.get(id);
    if (card === undefined) return;
    try {
      card.show(await api.get(id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) card.showGone(error.message);
      else card.showProblem(error instanceof Error ? error.message : String(error));
    }
  }

  /** Reads every unfinished request again, then waits and does it once more: never two rounds at once. */
  private follow(): void {
    const running = [...this.cards.values()].filter((card) => !card.finished);
    void Promise.all(running.map((card) => this.refresh(card.id))).finally(() => {
      window.setTimeout(() => {
        this.follow();
      }, FOLLOW_MS);
    });
  }
}
