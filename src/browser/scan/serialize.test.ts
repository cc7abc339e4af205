import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { elementLine, MODAL_NOTE, serializePage } from './serialize.ts';
import { normalizeElementId } from './locate.ts';
import type { PageScan, ScannedElement } from './types.ts';

const box = { x: 0, y: 0, width: 10, height: 10 };

function element(partial: Partial<ScannedElement> & { id: string; order: number }): ScannedElement {
  return { frameId: 'main', tag: 'button', state: {}, inViewport: true, box, ...partial };
}

function scanWith(elements: ScannedElement[], text: PageScan['text'] = []): PageScan {
  return {
    url: 'https://shop.example/list',
    title: 'List',
    elements,
    text,
    frames: [{ frameId: 'main', url: 'https://shop.example/list' }],
    scroll: { x: 0, y: 0, scrollHeight: 800, viewportWidth: 1280, viewportHeight: 800 },
    truncated: false,
    modalOpen: false,
  };
}

describe('elementLine', () => {
  test('renders attributes compactly and quotes safely', () => {
    const line = elementLine(
      element({ id: 'e3', order: 0, tag: 'input', type: 'checkbox', label: 'Say "hi"', state: { checked: false, required: true } }),
      'https://shop.example/',
    );
    assert.equal(line, '[e3] input type=checkbox label="Say \\"hi\\"" unchecked required');
  });

  test('shortens same-origin links and lists select options with values', () => {
    const link = element({ id: 'e1', order: 0, tag: 'a', text: 'Next', href: 'https://shop.example/list?page=2' });
    assert.equal(elementLine(link, 'https://shop.example/list'), '[e1] a "Next" href=/list?page=2');
    const select = element({
      id: 'e2',
      order: 1,
      tag: 'select',
      value: 'Any',
      options: [
        { index: 0, label: 'Any', value: '', selected: true },
        { index: 1, label: 'Red', value: 'red', selected: false },
        { index: 2, label: 'Blue', value: 'Blue', selected: false },
      ],
    });
    assert.equal(elementLine(select, 'https://shop.example/'), '[e2] select value="Any" options=["Any"="", "Red"=red, "Blue"]');
  });
});

describe('serializePage', () => {
  test('interleaves text and elements in document order, frames in their own section', () => {
    const scan = scanWith(
      [element({ id: 'e1', order: 1, text: 'Buy' }), element({ id: 'f1e1', order: 0, frameId: 'f1', text: 'Pay' })],
      [
        { frameId: 'main', order: 0, kind: 'heading', text: 'Cart' },
        { frameId: 'main', order: 2, kind: 'alert', text: 'Out of stock' },
      ],
    );
    scan.frames.push({ frameId: 'f1', url: 'https://pay.example/', title: 'Payment', parentFrameId: 'main' });
    const lines = serializePage(scan).split('\n');
    assert.deepEqual(lines.slice(3), [
      '# Cart',
      '[e1] button "Buy"',
      '! Out of stock',
      '--- iframe f1 "Payment" https://pay.example/',
      '[f1e1] button "Pay"',
    ]);
  });

  const products = (count: number) => ({
    elements: Array.from({ length: count }, (_, i) => element({ id: `e${i + 1}`, order: i * 2 + 1, text: `Product number ${i + 1}` })),
    text: Array.from({ length: count }, (_, i) => ({
      frameId: 'main',
      order: i * 2,
      kind: 'text' as const,
      text: `Description of product ${i + 1}, a fine thing to own`,
    })),
  });

  test('drops plain text from the end first when the elements fit', () => {
    const { elements, text } = products(150);
    const out = serializePage(scanWith(elements, text), { maxChars: 8000 });
    assert.ok(out.length <= 8000, `length ${out.length}`);
    assert.match(out, /^\[e150\] button "Product number 150"$/m);
    assert.match(out, /^Description of product 1, a fine thing to own$/m);
    assert.match(out, /\(truncated: 0 more elements and \d+ more text lines not shown; scroll/);
  });

  test('keeps the top of a huge page, text and elements together', () => {
    const { elements, text } = products(600);
    const out = serializePage(scanWith(elements, text), { maxChars: 8000 });
    assert.ok(out.length <= 8000, `length ${out.length}`);
    assert.match(out, /^Description of product 1, a fine thing to own\n\[e1\] button "Product number 1"$/m);
    assert.doesNotMatch(out, /\[e600\]/);
    assert.match(out, /\(truncated: \d+ more elements and \d+ more text lines not shown; scroll/);
  });

  test('renders the elements of a table row in place and does not repeat them', () => {
    const scan = scanWith(
      [
        element({ id: 'e1', order: 2, tag: 'input', type: 'checkbox', label: 'Select', state: { checked: false }, inline: true }),
        element({ id: 'e2', order: 3, tag: 'a', text: 'View', href: 'https://shop.example/p/15', inline: true }),
        element({ id: 'e3', order: 4, text: 'Next page' }),
      ],
      [
        { frameId: 'main', order: 0, kind: 'text', text: 'SKU | Product | Price' },
        {
          frameId: 'main',
          order: 1,
          kind: 'text',
          text: 'Select | SKU-015 | Oven mitt | $52.50 | View',
          parts: [{ id: 'e1' }, '| SKU-015 | Oven mitt | $52.50 |', { id: 'e2' }],
        },
      ],
    );
    assert.deepEqual(serializePage(scan).split('\n').slice(3), [
      'SKU | Product | Price',
      '[e1] input type=checkbox label="Select" unchecked | SKU-015 | Oven mitt | $52.50 | [e2] a "View" href=/p/15',
      '[e3] button "Next page"',
    ]);
  });

  test('keeps lines with elements in them when the budget is tight, and counts their elements', () => {
    const { elements, text } = products(60);
    // Every product line carries its button inline.
    const rows = text.map((block, i) => ({ ...block, text: `${block.text} Product number ${i + 1}`, parts: [block.text, { id: `e${i + 1}` }] }));
    const filler = Array.from({ length: 40 }, (_, i) => ({ frameId: 'main', order: 1000 + i, kind: 'text' as const, text: `Footer note ${i} `.repeat(8) }));
    const out = serializePage(scanWith(elements.map((el) => ({ ...el, inline: true })), [...rows, ...filler]), { maxChars: 8000 });
    assert.ok(out.length <= 8000, `length ${out.length}`);
    assert.match(out, /^Description of product 60, a fine thing to own \[e60\] button "Product number 60"$/m);
    assert.doesNotMatch(out, /^\[e\d+\]/m, 'inline elements are not repeated');
    assert.match(out, /\(truncated: 0 more elements and \d+ more text lines not shown; scroll/);
    const tiny = serializePage(scanWith(elements, rows), { maxChars: 1500 });
    const shown = (tiny.match(/\[e\d+\]/g) ?? []).length;
    assert.match(tiny, new RegExp(`\\(truncated: ${60 - shown} more elements and 0 more text lines not shown`));
  });

  test('says when a modal hides the rest of the page, or of a frame', () => {
    const scan = scanWith([element({ id: 'e9', order: 0, text: 'Close' })]);
    assert.doesNotMatch(serializePage(scan), /Modal open/);
    scan.modalOpen = true;
    scan.frames[0].modalOpen = true;
    assert.deepEqual(serializePage(scan).split('\n').slice(0, 5), ['URL: https://shop.example/list', 'Title: List', MODAL_NOTE, '', '[e9] button "Close"']);
    scan.frames[0].modalOpen = undefined;
    scan.frames.push({ frameId: 'f2', url: 'https://pay.example/', parentFrameId: 'main', modalOpen: true });
    assert.match(serializePage(scan), /^Modal open in iframe f2: the rest of that frame is blocked until it is closed\.$/m);
  });

  test('says so when there is nothing to interact with', () => {
    assert.match(serializePage(scanWith([])), /\(no interactable elements found\)/);
  });
});

describe('normalizeElementId', () => {
  test('accepts the forms LLMs produce and rejects junk', () => {
    assert.equal(normalizeElementId('[e12]'), 'e12');
    assert.equal(normalizeElementId(' "f2e7" '), 'f2e7');
    assert.equal(normalizeElementId('button'), undefined);
    assert.equal(normalizeElementId('e12; drop'), undefined);
  });
});
