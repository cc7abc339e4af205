import { startBrowserHarness } from '/work/main/src/browser/test-support.ts';
import { scanPage, serializePage } from '/work/main/src/browser/index.ts';
const h = await startBrowserHarness();
for (const p of ['/form.html','/cart.html','/login.html','/iframe.html','/shadow.html','/dropdown.html','/datepicker.html','/products.html?page=1','/download.html','/upload.html','/dialogs.html','/newtab.html']) {
  const s = await h.openSession(p);
  const t0 = performance.now();
  const scan = await scanPage(s.page);
  const t1 = performance.now();
  const text = serializePage(scan);
  console.log(`==== ${p} scan ${(t1-t0).toFixed(0)}ms chars ${text.length}\n${text}`);
}
await h.close();
