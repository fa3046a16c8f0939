/**
 * What the browser tests read from the page. Their callbacks run in the
 * browser, but the tests type-check without the DOM library (it would clash
 * with Node's globals), so each names the members it uses.
 */
export interface VideoElement {
  muted: boolean;
  play(): Promise<void>;
  currentTime: number;
  duration: number;
  videoWidth: number;
  videoHeight: number;
}

export interface ImageElement {
  naturalWidth: number;
  naturalHeight: number;
}

/** The page's global scope: its tab-only storage and how wide it is laid out. */
export interface TabGlobals {
  sessionStorage: { getItem(key: string): string | null };
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}
