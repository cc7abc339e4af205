// The run viewer's only script. It (1) keeps a live run's page current: an EventSource on
// /runs/:id/events, and on each event the #run part is fetched again from /runs/:id/fragment and
// swapped in, keeping open <details> open; (2) loads long artifacts (prompt, response, page
// listing) when their <details> is opened; (3) asks before destructive buttons.
(function () {
  'use strict';

  function wireLazy(root) {
    root.querySelectorAll('details.lazy[data-src]').forEach(function (d) {
      if (d.dataset.wired) return;
      d.dataset.wired = '1';
      var load = function () {
        if (!d.open || d.dataset.loaded) return;
        d.dataset.loaded = '1';
        fetch(d.dataset.src, { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status)); })
          .then(function (text) {
            var pretty = text;
            try { var parsed = JSON.parse(text); pretty = typeof parsed.prompt === 'string' ? (parsed.system ? parsed.system + '\n\n' : '') + parsed.prompt : JSON.stringify(parsed, null, 2); } catch (e) { /* plain text */ }
            d.querySelector('pre').textContent = pretty;
          })
          .catch(function (e) { d.querySelector('pre').textContent = 'Could not load: ' + e.message; });
      };
      d.addEventListener('toggle', load);
      load();
    });
  }

  function wireConfirm(root) {
    root.querySelectorAll('form[data-confirm]').forEach(function (f) {
      if (f.dataset.wired) return;
      f.dataset.wired = '1';
      f.addEventListener('submit', function (ev) { if (!window.confirm(f.dataset.confirm)) ev.preventDefault(); });
    });
  }

  function live() {
    var run = document.getElementById('run');
    if (!run || run.dataset.terminal === 'true' || !window.EventSource) return;
    var id = run.dataset.runId;
    var source = new EventSource('/runs/' + encodeURIComponent(id) + '/events');
    var busy = false, again = false;
    window.skyportLive = { events: [], redraws: 0 };
    var redraw = function () {
      if (busy) { again = true; return; }
      busy = true;
      fetch('/runs/' + encodeURIComponent(id) + '/fragment', { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status)); })
        .then(function (text) {
          var current = document.getElementById('run');
          var open = {};
          current.querySelectorAll('details[data-key]').forEach(function (d) { open[d.dataset.key] = d.open; });
          var holder = document.createElement('div');
          holder.innerHTML = text;
          var next = holder.firstElementChild;
          next.querySelectorAll('details[data-key]').forEach(function (d) { if (d.dataset.key in open) d.open = open[d.dataset.key]; });
          current.replaceWith(next);
          wireLazy(next); wireConfirm(next);
          window.skyportLive.redraws++;
          if (next.dataset.terminal === 'true') source.close();
        })
        .catch(function () { /* the next event tries again */ })
        .finally(function () { busy = false; if (again) { again = false; redraw(); } });
    };
    source.addEventListener('run', function (ev) {
      var data = {};
      try { data = JSON.parse(ev.data); } catch (e) { return; }
      window.skyportLive.events.push({ kind: data.kind, at: data.at, received: Date.now() });
      redraw(); // 'hello' too: something may have changed between the page and the stream
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    wireLazy(document); wireConfirm(document); live();
  });
})();
