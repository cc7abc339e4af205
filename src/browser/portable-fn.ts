/**
 * Makes a function safe to pass to Playwright's evaluate(). Under tsx/esbuild (keepNames),
 * nested named functions and `const f = () => …` are wrapped in `__name(…)` calls; the helper
 * does not exist in the page, so such a function would throw there. The returned function has
 * the same signature and carries a no-op `__name` with it.
 */
const cache = new WeakMap<Function, Function>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function portable<F extends (...args: any[]) => unknown>(fn: F): F {
  let wrapped = cache.get(fn);
  if (!wrapped) {
    wrapped = new Function('...args', `const __name = (f) => f;\nreturn (${fn.toString()})(...args);`);
    cache.set(fn, wrapped);
  }
  return wrapped as F;
}
