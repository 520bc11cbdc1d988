/**
 * The admin web's stylesheet and its one small script, served from the app itself (no
 * CDN: the service must work offline). Colours keep at least 4.5:1 contrast (WCAG 2.1 AA);
 * focus is always visible; the layout reflows for a tablet (≥ 768 px) and a laptop.
 * The script only enhances: every form works without it.
 */

/** The stylesheet. */
export const FORVALTNING_CSS = `
:root { --tekst:#1b1b1b; --dempet:#4a4a4a; --bakgrunn:#ffffff; --flate:#f3f5f8; --linje:#767f8c; --primar:#0a4a85; --primar-mork:#063461;
  --feil:#b3261e; --ok:#1d6b32; --fokus:#ffbf47; font-size:100%; }
* { box-sizing:border-box; }
body { margin:0; font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif; color:var(--tekst); background:var(--bakgrunn); line-height:1.5; }
a { color:var(--primar); text-underline-offset:2px; }
a:hover { color:var(--primar-mork); }
:focus-visible { outline:3px solid var(--tekst); outline-offset:2px; box-shadow:0 0 0 6px var(--fokus); }
.hopp { position:absolute; left:-10000px; top:0; background:var(--fokus); color:#000; padding:.5rem 1rem; z-index:10; }
.hopp:focus { left:1rem; }
.topp { display:flex; flex-wrap:wrap; align-items:center; gap:.5rem 1.5rem; padding:.75rem 1.5rem; background:var(--primar-mork); color:#fff; }
.topp a { color:#fff; }
.merke a { font-weight:700; font-size:1.25rem; text-decoration:none; }
.merke span { opacity:.95; margin-left:.25rem; }
.topp nav ul { list-style:none; display:flex; flex-wrap:wrap; gap:.25rem 1rem; margin:0; padding:0; }
.topp nav a { display:inline-block; padding:.35rem .1rem; text-decoration:none; border-bottom:3px solid transparent; }
.topp nav a[aria-current="page"], .topp nav a:hover { border-bottom-color:var(--fokus); }
.bruker { margin-left:auto; display:flex; align-items:center; gap:.75rem; }
.bruker form { margin:0; }
main { max-width:75rem; margin:0 auto; padding:1.5rem; }
main:focus { outline:none; }
h1 { font-size:1.75rem; margin:.25rem 0 1rem; }
h2 { font-size:1.3rem; margin:1.75rem 0 .75rem; }
h3 { font-size:1.1rem; margin:1.25rem 0 .5rem; }
.bunn { border-top:1px solid var(--linje); color:var(--dempet); padding:1rem 1.5rem; font-size:.9rem; }
.melding { border-left:6px solid var(--ok); background:#e8f3eb; padding:.75rem 1rem; margin:0 0 1rem; }
.okt-varsel { border-left:6px solid var(--feil); background:#fff4d6; padding:.75rem 1rem; margin:0; }
.okt-varsel[hidden], .okt-varsel [hidden] { display:none; }
.melding-feil { border-left-color:var(--feil); background:#fbeceb; }
.feiloppsummering { border:3px solid var(--feil); padding:1rem 1.25rem; margin-bottom:1.5rem; }
.feiloppsummering h2 { margin-top:0; color:var(--feil); }
.feiloppsummering a { color:var(--feil); font-weight:600; }
.felt { margin-bottom:1rem; }
.felt label, fieldset legend { display:block; font-weight:600; margin-bottom:.25rem; }
.hint { color:var(--dempet); margin:0 0 .25rem; font-size:.95rem; }
.feiltekst { color:var(--feil); font-weight:600; margin:0 0 .25rem; }
.felt-feil input, .felt-feil textarea, .felt-feil select { border-color:var(--feil); border-width:3px; }
.pakrevd { font-weight:400; color:var(--dempet); }
input[type=text], input[type=password], input[type=date], input[type=number], input[type=email], input[type=search], input[type=file], select, textarea {
  font:inherit; color:inherit; padding:.5rem .6rem; border:2px solid var(--linje); border-radius:4px; background:#fff; width:100%; max-width:36rem; min-height:2.75rem; }
textarea { max-width:48rem; }
.bredde-kort { max-width:9rem; } .bredde-middels { max-width:18rem; }
fieldset { border:1px solid var(--linje); border-radius:6px; padding:1rem 1.25rem; margin:0 0 1.25rem; }
.avkryss { display:grid; grid-template-columns:auto 1fr; gap:0 .6rem; align-items:start; margin:.4rem 0; }
.avkryss input { width:1.4rem; height:1.4rem; margin:.15rem 0 0; }
.avkryss .hint { grid-column:2; }
.rad { display:flex; flex-wrap:wrap; gap:0 1.25rem; }
.rad > .felt { flex:1 1 14rem; }
button, .knapp { font:inherit; font-weight:600; display:inline-block; padding:.6rem 1.1rem; min-height:2.75rem; border-radius:4px; border:2px solid var(--primar);
  background:var(--primar); color:#fff; cursor:pointer; text-decoration:none; }
button:hover, .knapp:hover { background:var(--primar-mork); border-color:var(--primar-mork); color:#fff; }
button.sekundar, .knapp.sekundar { background:#fff; color:var(--primar); }
button.sekundar:hover { background:var(--flate); color:var(--primar-mork); }
button.fare { background:var(--feil); border-color:var(--feil); }
.lenkeknapp { background:none; border:none; color:inherit; text-decoration:underline; padding:.25rem; min-height:auto; font-weight:400; }
.lenkeknapp:hover { background:none; color:inherit; }
.knapper { display:flex; flex-wrap:wrap; gap:.75rem; margin:1rem 0; }
.tabell { overflow-x:auto; margin:0 0 1rem; }
table { border-collapse:collapse; width:100%; }
caption { text-align:left; font-weight:600; padding:.25rem 0 .5rem; }
th, td { text-align:left; vertical-align:top; padding:.5rem .6rem; border-bottom:1px solid var(--linje); }
th { background:var(--flate); }
td.tall, th.tall { text-align:right; font-variant-numeric:tabular-nums; }
.status { display:inline-block; padding:.1rem .5rem; border-radius:999px; border:1px solid currentColor; font-size:.9rem; white-space:nowrap; }
.fakta { display:grid; grid-template-columns:minmax(10rem, 16rem) 1fr; gap:.35rem 1rem; margin:0 0 1rem; }
.fakta dt { font-weight:600; } .fakta dd { margin:0; overflow-wrap:anywhere; }
.kort { background:var(--flate); border-radius:6px; padding:1rem 1.25rem; margin:0 0 1rem; }
/* min(…, 100%): a 20rem column did not fit a 320 px window, which then scrolled sideways (WCAG 1.4.10). */
.kolonner { display:grid; grid-template-columns:repeat(auto-fit, minmax(min(20rem, 100%), 1fr)); gap:1.5rem; }
.sokeskjema { background:var(--flate); padding:1rem 1.25rem; border-radius:6px; margin-bottom:1.25rem; }
.sokeskjema .rad > .felt { flex:1 1 12rem; }
.sider { display:flex; justify-content:space-between; align-items:center; gap:1rem; margin:1rem 0; }
.nokkeltall { display:grid; grid-template-columns:repeat(auto-fit, minmax(11rem, 1fr)); gap:1rem; margin:0 0 1.5rem; padding:0; list-style:none; }
.nokkeltall li { background:var(--flate); border-radius:6px; padding:.75rem 1rem; }
.nokkeltall strong { display:block; font-size:1.5rem; }
.diagram { max-width:100%; height:auto; }
.diagramramme { overflow-x:auto; }
details.filtre { margin:0 0 1.25rem; }
details.filtre > summary { cursor:pointer; font-weight:600; padding:.5rem 0; min-height:44px; }
details.filtre[open] > summary { margin-bottom:.5rem; }
.forhandsvisning { display:block; width:100%; max-width:40rem; height:auto; border:2px solid var(--linje); border-radius:4px; background:#fff; }
.engang { font-family:ui-monospace,"DejaVu Sans Mono",monospace; font-size:1.1rem; padding:.75rem; background:#fff8e1; border:2px dashed var(--tekst); overflow-wrap:anywhere; }
code, .mono { font-family:ui-monospace,"DejaVu Sans Mono",monospace; overflow-wrap:anywhere; }
td.tid, .tid { white-space:nowrap; font-variant-numeric:tabular-nums; }
.jobbfeil { overflow-wrap:anywhere; min-width:12rem; }
.beholdt { background:var(--flate); border-left:4px solid var(--ok); padding:.5rem .75rem; margin:.5rem 0; }
.beholdt p { margin:0; overflow-wrap:anywhere; }
.visuelt-skjult { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.innlogging { max-width:26rem; margin:2rem auto; }
@media (max-width: 48rem) {
  main { padding:1rem; }
  .fakta { grid-template-columns:1fr; }
  .fakta dt { margin-top:.5rem; }
  .bruker { margin-left:0; }
  /* A chart keeps at least this width (its text stays readable) and scrolls sideways instead. */
  .diagram { min-width:34rem; }
}
@media print { .topp, .bunn, form, .hopp { display:none; } }
`;

/**
 * The script: live cover-page preview (reloads the preview as the form changes), a
 * confirmation before destructive actions, "select all" in lists with checkboxes, and the
 * warning before an idle session ends.
 */
export const FORVALTNING_JS = `
'use strict';
(function () {
  document.querySelectorAll('form[data-forhandsvisning]').forEach(function (form) {
    var frame = document.getElementById(form.getAttribute('data-forhandsvisning'));
    var base = form.getAttribute('data-forhandsvisning-url');
    if (!frame || !base) return;
    var timer;
    var update = function () {
      var params = new URLSearchParams();
      form.querySelectorAll('input[name]:not([type=hidden]), textarea[name]').forEach(function (el) { params.append(el.name, el.value); });
      frame.src = base + '?' + params.toString();
    };
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 600); });
  });
  document.querySelectorAll('form[data-bekreft]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-bekreft'))) e.preventDefault();
    });
  });
  document.querySelectorAll('input[data-velg-alle]').forEach(function (all) {
    all.addEventListener('change', function () {
      document.querySelectorAll('input[name="' + all.getAttribute('data-velg-alle') + '"]').forEach(function (box) { box.checked = all.checked; });
    });
  });
  // Filters fold away on a phone; on a wider screen they are open from the start.
  if (window.matchMedia && window.matchMedia('(min-width: 48rem)').matches) {
    document.querySelectorAll('details[data-apne-bred]').forEach(function (d) { d.open = true; });
  }
  var summary = document.getElementById('feiloppsummering');
  if (summary) summary.focus();
  // Five minutes before the session ends (idle an hour, or at its ten hours), a warning; its
  // button keeps an idle session (WCAG 2.2.1). Only a 204 is kept: a session already gone
  // answers with a redirect to the login page, and the page is reloaded to show it.
  var idle = Number(document.body.getAttribute('data-okt-ms'));
  var maksAt = Date.now() + Number(document.body.getAttribute('data-okt-maks-ms'));
  var warning = document.getElementById('okt-varsel');
  if (idle > 0 && warning) {
    var keep = warning.querySelector('button');
    var timer;
    var arm = function () {
      clearTimeout(timer);
      warning.hidden = true;
      var atMaks = maksAt <= Date.now() + idle;
      var endsAt = atMaks ? maksAt : Date.now() + idle;
      timer = setTimeout(function () {
        warning.querySelector('[data-okt="inaktiv"]').hidden = atMaks;
        warning.querySelector('[data-okt="maks"]').hidden = !atMaks;
        keep.hidden = atMaks;
        warning.hidden = false;
        if (!atMaks) keep.focus();
      }, Math.max(endsAt - 5 * 60000 - Date.now(), 0));
    };
    keep.addEventListener('click', function () {
      fetch(keep.getAttribute('data-okt-url'), { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' }).then(
        function (r) { if (r.status === 204) arm(); else window.location.reload(); },
        function () { window.location.reload(); }
      );
    });
    arm();
  }
})();
`;
