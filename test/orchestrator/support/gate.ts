/**
 * Holds a fake activity open until the test lets it go, and tells the test
 * when the activity got there: ordering by promises, never by sleeping.
 */
export interface Gate {
  /** Resolves once an activity is waiting at the gate. */
  readonly reached: Promise<void>;
  /** Lets the waiting activity finish. */
  open(): void;
  /** Called by the fake: marks the gate reached and waits until it opens. */
  pass(): Promise<void>;
}

export function createGate(): Gate {
  const reached = signal();
  const opened = signal();
  return {
    reached: reached.promise,
    open: opened.resolve,
    pass: () => {
      reached.resolve();
      return opened.promise;
    },
  };
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
