/** The page's stylesheet (inline: the CSP allows no stylesheet fetch). */
export const PAGE_STYLE = `
:root{color-scheme:light;--ink:#1d2329;--muted:#5b6570;--line:#d9dee3;--best:#e3f4e1;--warn:#fff4d6;--warnline:#e0b12f}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;padding:24px 32px 48px;max-width:1440px;background:#fff}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 2px;display:flex;align-items:center;gap:6px}
.sub,.hint,.meta,figcaption,footer{color:var(--muted)}
.hint{margin:4px 0 12px}
nav{margin:2px 0 0}
.lead{font-size:15px;margin:6px 0 0}
a{color:#1f5fa8}
.alert{background:var(--warn);border:1px solid var(--warnline);border-left-width:6px;border-radius:4px;padding:10px 14px;margin:16px 0}
.alert ul{margin:4px 0 0;padding-left:20px}
.scroll{overflow-x:auto;position:relative}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:right;white-space:nowrap}
th[scope=row],td.text,th.text{text-align:left}
thead th{border-bottom:2px solid var(--ink);vertical-align:bottom;padding:0;white-space:normal;max-width:9em}
thead th button{all:unset;cursor:pointer;display:block;padding:5px 8px;font-weight:600;width:100%;box-sizing:border-box}
thead th button:focus-visible{outline:2px solid #1f5fa8;outline-offset:-2px}
thead th button:hover{background:#f1f4f7}
thead th[aria-sort=ascending] button::after{content:" ▲";font-size:10px}
thead th[aria-sort=descending] button::after{content:" ▼";font-size:10px}
table.plain th{padding:6px 10px;text-align:left}
.dir{color:#1f5fa8;font-weight:700}
td.best,.best.legend{background:var(--best);font-weight:700}
.best.legend{padding:1px 6px;border-radius:3px}
.star{color:#2e7d32;margin-right:3px}
td.differs{background:var(--warn);font-weight:600}
.badge{font-size:11px;background:#eef1f4;border-radius:3px;padding:1px 5px;margin-left:6px;color:var(--muted);font-weight:400}
.swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:baseline;flex:none}
.swatch-dash{display:inline-block;margin-right:6px;vertical-align:middle;flex:none}
.badge.diverged{background:#fdecea;color:#a12622}
.downloads{margin-top:10px}
.grid{display:flex;flex-wrap:wrap;gap:16px 20px}
figure{margin:0}
figure.chart svg{display:block;max-width:100%;height:auto}
figcaption{font-size:12px;max-width:240px;margin-top:2px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
.card{border:1px solid var(--line);border-radius:6px;padding:12px 14px;min-width:0}
.card-body{display:flex;flex-wrap:wrap;gap:12px 16px;align-items:flex-start}
.meta{margin:0 0 2px}.stats{margin:0 0 8px}
.note{margin:0 0 6px;color:#8a5a00}
.image-grid{display:grid;grid-template-columns:repeat(4,72px);gap:4px}
.image-grid img{width:72px;height:72px;object-fit:contain;image-rendering:pixelated;border:1px solid var(--line)}
.condition-grid img{display:block;max-width:100%;height:auto;image-rendering:pixelated;border:1px solid var(--line)}
.ok{color:#2e7d32}.bad{color:#8a5a00;font-weight:600}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
footer{margin-top:40px;font-size:12px}
`;
