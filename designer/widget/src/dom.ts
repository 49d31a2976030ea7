// A tiny element builder. Text only ever goes in through textContent (the `text` option): nothing the
// server or the visitor sends is parsed as HTML, so `<script>` in a name or a message is shown, not run.

export interface ElOptions {
  cls?: string;
  text?: string;
  attrs?: Record<string, string>;
  on?: Partial<Record<keyof HTMLElementEventMap, (e: Event) => void>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts: ElOptions = {}, children: Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (opts.cls !== undefined) node.className = opts.cls;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs ?? {})) node.setAttribute(k, v);
  for (const [k, fn] of Object.entries(opts.on ?? {})) if (fn) node.addEventListener(k, fn);
  for (const c of children) node.appendChild(c);
  return node;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
