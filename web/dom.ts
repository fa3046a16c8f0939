/** Small DOM helpers: build an element in one expression, find the page's fixed elements by id and type. */

type Child = Node | string | null | undefined | false;

/** An element with properties (`className`, `textContent`, …), attributes (`aria-*`, `data-*`) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = Object.assign(document.createElement(tag), props);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

/** One of the page's own elements; a missing or different one is a bug in the page, so it throws. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The studio page has no <${type.name}> #${id}.`);
  return found;
}
