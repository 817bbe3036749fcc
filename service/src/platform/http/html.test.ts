import { bilingualDocument, cardTable, html, htmlDocument, raw } from './html.js';

const HOSTILE = '<script>alert("x")</script>&\'';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;';

describe('the page kit escapes by default', () => {
  it('escapes the five characters that matter', () => {
    expect(String(html`${'<a href="x">&\''}`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    expect(String(html`<p>${'<script>'}</p>`)).toBe('<p>&lt;script&gt;</p>');
  });

  it('escapes every interpolation: text, attributes, numbers, arrays; null and undefined are empty', () => {
    expect(String(html`<a href="/x?q=${HOSTILE}" title='${HOSTILE}'>${HOSTILE}</a>`)).toBe(
      `<a href="/x?q=${ESCAPED}" title='${ESCAPED}'>${ESCAPED}</a>`,
    );
    expect(String(html`<td>${42}</td><td>${null}</td><td>${undefined}</td><td>${false}</td>`)).toBe(
      '<td>42</td><td></td><td></td><td>false</td>',
    );
    expect(String(html`<ul>${['<b>', html`<li>${'<i>'}</li>`]}</ul>`)).toBe('<ul>&lt;b&gt;<li>&lt;i&gt;</li></ul>');
  });

  it('passes markup through only when it is Html: made by html or by the explicit raw', () => {
    const inner = html`<b>${'&'}</b>`;
    expect(String(html`<p>${inner}${raw('<hr>')}</p>`)).toBe('<p><b>&amp;</b><hr></p>');
    // Anything that merely looks like markup is text: a string, or an object shaped like Html.
    const lookalike = { toString: () => '<hr>', text: '<hr>' };
    expect(String(html`<p>${lookalike}</p>`)).toBe('<p>&lt;hr&gt;</p>');
  });
});

describe('the documents', () => {
  it('one language: its lang, an escaped title, the one stylesheet, no scripts, not indexed', () => {
    const page = htmlDocument({ lang: 'en', title: HOSTILE, body: html`<p>${HOSTILE}</p>`, refreshSeconds: 30 });
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain(`<title>${ESCAPED}</title>`);
    expect(page).toContain(`<p>${ESCAPED}</p>`);
    expect(page).toContain('<meta http-equiv="refresh" content="30">');
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).toMatch(/<style>body\{[^<]+<\/style>/);
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it('both languages: Albanian first, each in its own lang section under its heading; the title names both', () => {
    const catalogues = { sq: { title: 'Dëshmi <1>', text: 'Tekst' }, en: { title: 'Receipt <1>', text: 'Text' } };
    const page = bilingualDocument(
      catalogues,
      (m) => m.title,
      (m) => html`<p>${m.text}</p>`,
    );
    expect(page).toContain('<html lang="sq">');
    expect(page).toContain('<title>Dëshmi &lt;1&gt; / Receipt &lt;1&gt;</title>');
    expect(page).toContain(
      '<body><section lang="sq"><h1>Dëshmi &lt;1&gt;</h1><p>Tekst</p></section><section lang="en"><h1>Receipt &lt;1&gt;</h1><p>Text</p></section></body>',
    );
    expect(
      bilingualDocument(
        { sq: 'Privacy Bridge', en: 'Privacy Bridge' },
        (t) => t,
        () => html``,
      ),
    ).toContain('<title>Privacy Bridge</title>');
  });
});

describe('the card table', () => {
  it('escapes headers, cells and the data-label attribute; no rows, no table', () => {
    expect(String(cardTable(['Name "n"', 'Value'], [[HOSTILE, ['a', 'b']]]))).toBe(
      `<div class="cards"><table><tr><th>Name &quot;n&quot;</th><th>Value</th></tr><tr><td data-label="Name &quot;n&quot;">${ESCAPED}</td><td data-label="Value">a,b</td></tr></table></div>`,
    );
    expect(String(cardTable(['Name'], []))).toBe('');
  });
});
