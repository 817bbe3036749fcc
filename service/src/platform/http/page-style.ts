/**
 * The one stylesheet of every page (people's and operators'). Phone first: nothing wider than the screen
 * (long values wrap anywhere), label/value lists stack, and below 40rem each row of a card table (`.cards`)
 * becomes a card whose cells carry their column's name; operators' wide tables (`.wide`) scroll instead.
 */
export const PAGE_STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem 2rem;color:#1d2327;line-height:1.45;overflow-wrap:anywhere}',
  'section[lang]+section[lang]{border-top:3px solid #888;margin-top:3rem}h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.1rem}',
  'header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ccd0d4;padding:.75rem 0}header h1{margin:0}',
  'section.order{border:1px solid #ddd;border-radius:6px;padding:0 .75rem .5rem;margin:1rem 0}dl{display:grid;grid-template-columns:minmax(8rem,35%) 1fr;gap:.2rem .75rem;margin:.5rem 0}dt{color:#555}dd{margin:0}',
  'ul{padding-left:1.2rem}.when{color:#555;white-space:nowrap}.note{color:#555;font-size:.9rem}',
  'table{border-collapse:collapse;margin:.5rem 0}.cards table{width:100%}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}code{word-break:break-all}',
  '.wide{overflow-x:auto}.wide table{min-width:100%}.wide td,.wide th{white-space:nowrap;overflow-wrap:normal}td.n{text-align:right}',
  '.bad{color:#b32d2e;font-weight:600}.ok{color:#00713a}.muted{color:#50575e;font-size:.9rem}',
  'button,input{font:inherit;padding:.45rem .8rem}input[type=password]{width:100%;max-width:30rem;box-sizing:border-box}form.inline{display:inline}',
  '@media (max-width:40rem){dl{grid-template-columns:1fr}dt{font-weight:600;margin-top:.4rem}.cards table,.cards tbody,.cards tr,.cards td{display:block;width:auto}.cards tr:first-child{display:none}.cards tr{border:1px solid #ccc;border-radius:6px;margin:.5rem 0;padding:.25rem .5rem}.cards td{border:0;padding:.1rem 0}.cards td[data-label]:not([data-label=""])::before{content:attr(data-label) ": ";color:#555}}',
].join('');
