'use strict';
/*
 * Tandem review panel: worklist and case view over the review API (/api/review/...).
 * Vanilla JS, served by Tandem; nothing is loaded from the internet.
 */
(function () {
  const $ = (id) => document.getElementById(id);
  const FINDING_LABELS = {
    cardiomegaly: 'Cardiomegaly', pleural_effusion: 'Pleural effusion', pneumothorax: 'Pneumothorax',
    nodule_mass: 'Nodule / mass', consolidation: 'Consolidation',
  };
  const label = (f) => FINDING_LABELS[f] || f;
  const state = { session: null, items: [], selected: 0, current: null, finding: null, overlayFinding: null };
  const viewer = new window.TandemViewer.Viewer($('image-canvas'));
  window.TandemViewer.drawColourBar($('colour-bar'));
  window.tandemPanel = { state, viewer };

  // ---- HTTP ----
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.session) headers['X-CSRF-Token'] = state.session.csrfToken;
    const res = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw await failure(res);
    return res.status === 204 ? null : res.json();
  }
  async function failure(res) {
    let detail = res.statusText;
    try {
      const oo = await res.json();
      detail = (oo.issue && oo.issue[0] && (oo.issue[0].diagnostics || oo.issue[0].details?.text)) || detail;
    } catch (e) { /* not JSON */ }
    const err = new Error(detail);
    err.status = res.status;
    return err;
  }
  function showError(err) {
    const el = $('error');
    if (!err) { el.hidden = true; el.textContent = ''; return; }
    el.textContent = err.status === 403
      ? `Not allowed: ${err.message}. Your account needs the clinician role to review suggestions.`
      : err.message;
    el.hidden = false;
  }

  // ---- views and routing ----
  function show(view) {
    for (const v of ['login-view', 'worklist-view', 'case-view']) $(v).hidden = v !== view;
  }
  async function start() {
    try {
      state.session = await api('GET', '/api/review/session');
      signedIn();
      await route();
    } catch (err) {
      if (err.status === 401) { show('login-view'); $('username').focus(); } else showError(err);
    }
  }
  function signedIn() {
    $('who').textContent = `${state.session.displayName} (${state.session.username})`;
    $('logout').hidden = false;
  }
  async function route() {
    showError(null);
    const m = location.pathname.match(/^\/review\/suggestions\/([A-Za-z0-9\-.]+)$/);
    if (m) await openCase(m[1]); else await openWorklist();
  }
  function navigate(path) { history.pushState({}, '', path); return route(); }
  window.addEventListener('popstate', () => { route(); });
  $('home-link').addEventListener('click', (e) => { e.preventDefault(); navigate('/review'); });
  $('back-link').addEventListener('click', (e) => { e.preventDefault(); navigate('/review'); });

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      state.session = await api('POST', '/api/review/login',
        { username: $('username').value, password: $('password').value });
      $('password').value = '';
      signedIn();
      if (!state.session.roles.includes('clinician')) {
        show(null);
        showError(Object.assign(new Error('signed in without the clinician role'), { status: 403 }));
        return;
      }
      await route();
    } catch (err) { showError(err); }
  });
  $('logout').addEventListener('click', async () => {
    try { await api('POST', '/api/review/logout'); } catch (err) { /* session already gone */ }
    state.session = null; location.assign('/review');
  });

  // ---- worklist ----
  async function openWorklist() {
    $('banner-model').textContent = '';
    const data = await api('GET', '/api/review/panel/worklist?status=' + encodeURIComponent($('status-filter').value));
    state.items = data.items;
    show('worklist-view');
    renderWorklist();
  }
  function age(seconds) {
    if (seconds < 3600) return Math.max(1, Math.round(seconds / 60)) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' d';
  }
  function studyDate(d) { return d && d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d; }
  const RANK = { critical: 0, warning: 1, info: 2 };
  function visibleItems() {
    const q = $('filter').value.trim().toLowerCase();
    const items = state.items.filter((it) => !q || [it.patient, it.studyDescription, it.id, it.modality,
      ...it.positive.map((p) => p.finding + ' ' + label(p.finding))].join(' ').toLowerCase().includes(q));
    const sorts = {
      critical: (a, b) => (RANK[a.indicator] - RANK[b.indicator]) || (b.ageSeconds - a.ageSeconds),
      oldest: (a, b) => b.ageSeconds - a.ageSeconds,
      newest: (a, b) => a.ageSeconds - b.ageSeconds,
      patient: (a, b) => a.patient.localeCompare(b.patient),
      study: (a, b) => b.studyDate.localeCompare(a.studyDate),
    };
    return items.sort(sorts[$('sort').value]);
  }
  function renderWorklist() {
    const body = $('worklist').tBodies[0];
    body.textContent = '';
    const items = visibleItems();
    state.visible = items;
    state.selected = Math.min(state.selected, Math.max(0, items.length - 1));
    $('worklist-count').textContent = `(${items.length})`;
    items.forEach((it, i) => {
      const tr = body.insertRow();
      tr.dataset.id = it.id;
      tr.tabIndex = -1;
      if (i === state.selected) tr.classList.add('selected');
      const flag = document.createElement('span');
      flag.className = 'flag ' + it.indicator;
      flag.textContent = it.indicator === 'critical' ? 'CRITICAL' : it.indicator === 'warning' ? 'positive' : 'none';
      tr.insertCell().append(flag);
      tr.insertCell().textContent = it.patient || '(unknown)';
      tr.insertCell().textContent = studyDate(it.studyDate);
      tr.insertCell().textContent = [it.modality, it.studyDescription].filter(Boolean).join(' · ');
      tr.insertCell().textContent = it.positive.length
        ? it.positive.map((p) => `${label(p.finding)} ${p.probability.toFixed(2)}`).join(', ') : '—';
      tr.insertCell().textContent = age(it.ageSeconds);
      tr.insertCell().textContent = it.status;
      tr.addEventListener('click', () => openFromWorklist(it.id));
    });
  }
  function openFromWorklist(id) {
    performance.clearMarks(); performance.clearMeasures();
    performance.mark('case-open');
    navigate('/review/suggestions/' + id);
  }
  function moveSelection(delta) {
    const rows = $('worklist').tBodies[0].rows;
    if (!rows.length) return;
    rows[state.selected]?.classList.remove('selected');
    state.selected = Math.max(0, Math.min(rows.length - 1, state.selected + delta));
    rows[state.selected].classList.add('selected');
    rows[state.selected].scrollIntoView({ block: 'nearest' });
  }
  $('filter').addEventListener('input', () => { state.selected = 0; renderWorklist(); });
  $('sort').addEventListener('change', renderWorklist);
  $('status-filter').addEventListener('change', () => openWorklist().catch(showError));

  // ---- case view ----
  async function openCase(id) {
    if (performance.getEntriesByName('case-open').length === 0) performance.mark('case-open');
    show('case-view');
    viewer.clear();
    $('findings').textContent = ''; $('note').textContent = ''; $('review-result').textContent = '';
    document.body.dataset.drawnCase = '';
    setActionsEnabled(null);
    const [view, detail, image] = await Promise.all([
      api('GET', `/api/review/suggestions/${id}/case`),
      api('GET', `/api/review/suggestions/${id}`),
      fetchImage(id),
    ]).catch((err) => { showError(err); throw err; });
    state.current = { id, view, detail, doc: view.document };
    state.finding = null;
    state.overlayFinding = defaultOverlayFinding(view.document);
    renderHeader();
    renderFindings();
    renderNote();
    renderReview();
    if (image) {
      viewer.setImage(image.values, image.rows, image.columns, image.center, image.width, image);
      $('no-image').hidden = true;
    } else {
      $('no-image').hidden = false;
    }
    applyOverlay();
    viewer.draw();
    performance.mark('case-drawn');
    const m = performance.measure('case-open-to-drawn', 'case-open', 'case-drawn');
    document.body.dataset.drawnCase = id;
    document.body.dataset.drawnMs = String(Math.round(m.duration));
  }
  async function fetchImage(id) {
    const res = await fetch(`/api/review/suggestions/${id}/image`, { credentials: 'same-origin' });
    if (res.status === 404) return null;
    if (!res.ok) throw await failure(res);
    const h = (n) => Number(res.headers.get(n));
    const buffer = await res.arrayBuffer();
    return { values: new Uint16Array(buffer), rows: h('X-Rows'), columns: h('X-Columns'),
      center: h('X-Window-Center'), width: h('X-Window-Width'), offset: h('X-Value-Offset'),
      scale: h('X-Value-Scale'), inverted: res.headers.get('X-Inverted') === 'true' };
  }
  function defaultOverlayFinding(doc) {
    const withMap = doc.findings.filter((f) => f.saliency);
    const positive = withMap.filter((f) => f.positive).sort((a, b) => b.probability - a.probability);
    return (positive[0] || withMap[0] || {}).finding || null;
  }
  function renderHeader() {
    const { view, doc } = state.current;
    $('case-title').textContent = view.patient || '(unknown patient)';
    $('case-meta').textContent = [studyDate(view.studyDate), view.modality, view.studyDescription]
      .filter(Boolean).join(' · ');
    $('mode').textContent = 'mode: ' + doc.mode;
    $('banner-model').textContent =
      `Model ${doc.model.name} ${doc.model.version} · sha256 ${doc.model.sha256.slice(0, 12)}…`;
    $('banner-model').title = 'sha256 ' + doc.model.sha256;
  }
  function bar(cls, value) {
    const outer = document.createElement('div');
    outer.className = 'bar';
    const inner = document.createElement('span');
    inner.className = cls;
    inner.style.width = (Math.max(0, Math.min(1, value)) * 100).toFixed(1) + '%';
    outer.append(inner);
    return outer;
  }
  function renderFindings() {
    const list = $('findings');
    list.textContent = '';
    for (const f of state.current.doc.findings) {
      const li = document.createElement('li');
      li.dataset.finding = f.finding;
      li.tabIndex = 0;
      li.setAttribute('role', 'button');
      li.setAttribute('aria-pressed', String(state.finding === f.finding));
      if (state.finding === f.finding) li.classList.add('selected');
      const verdict = document.createElement('span');
      verdict.className = 'verdict ' + (f.positive ? 'positive' : 'negative');
      verdict.textContent = f.positive ? 'above threshold' : 'below threshold';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = label(f.finding);
      const nums = document.createElement('span');
      nums.className = 'muted nums';
      nums.textContent = `p = ${f.probability.toFixed(2)} (threshold ${f.threshold.toFixed(2)})`
        + (f.saliency ? '' : ' · no saliency map');
      const prob = document.createElement('div');
      prob.className = 'prob';
      prob.title = `calibrated probability ${f.probability.toFixed(3)}, threshold ${f.threshold.toFixed(3)}`;
      const fill = document.createElement('span'); fill.className = 'fill';
      fill.style.width = (f.probability * 100).toFixed(1) + '%';
      const thr = document.createElement('span'); thr.className = 'thr';
      thr.style.left = (f.threshold * 100).toFixed(1) + '%';
      prob.append(fill, thr);
      const contrib = document.createElement('div');
      contrib.className = 'contrib';
      const c = f.contribution;
      for (const [k, cls, v] of [['image', 'm-image', c.gateImage], ['note', 'm-note', c.gateNote], ['joint', 'm-joint', c.gateJoint]]) {
        const l = document.createElement('span'); l.textContent = k;
        const n = document.createElement('span'); n.textContent = v.toFixed(2);
        contrib.append(l, bar(cls, v), n);
      }
      const parts = [];
      if (c.withoutNote !== undefined) parts.push(`without note p = ${c.withoutNote.toFixed(2)}`);
      if (c.withoutImage !== undefined) parts.push(`without image p = ${c.withoutImage.toFixed(2)}`);
      contrib.title = 'modality contributions (gate weights)' + (parts.length ? '; ' + parts.join(', ') : '');
      if (parts.length) nums.textContent += ' · ' + parts.join(' · ');
      li.append(verdict, name, nums, prob, contrib);
      li.addEventListener('click', () => selectFinding(f.finding));
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectFinding(f.finding); } });
      list.append(li);
    }
  }
  function selectFinding(finding) {
    state.finding = state.finding === finding ? null : finding;
    if (state.finding) state.overlayFinding = state.finding;
    renderFindings();
    renderNote();
    applyOverlay();
  }
  function stepFinding(delta) {
    const names = state.current.doc.findings.map((f) => f.finding);
    const i = state.finding ? names.indexOf(state.finding) : (delta > 0 ? -1 : names.length);
    selectFinding(names[(i + delta + names.length) % names.length]);
  }
  function applyOverlay() {
    const f = state.current.doc.findings.find((x) => x.finding === state.overlayFinding);
    const s = f && f.saliency;
    viewer.setOverlay(s || null);
    $('overlay-label').textContent = s
      ? `${label(f.finding)} · ${s.method} · max ${s.rawMaximum.toPrecision(3)}` : 'no saliency map';
    $('colour-min').textContent = '0';
    $('colour-max').textContent = s ? '1 (= max)' : '1';
  }
  $('overlay-toggle').addEventListener('change', (e) => viewer.setOverlayVisible(e.target.checked));
  $('overlay-opacity').addEventListener('input', (e) => viewer.setOpacity(e.target.value / 100));
  $('fit-button').addEventListener('click', () => viewer.fit());
  $('actual-button').addEventListener('click', () => viewer.actualSize());
  $('wl-reset').addEventListener('click', () => viewer.resetWindow());
  viewer.onchange = () => {
    const im = viewer.image;
    if (!im) { $('wl-readout').textContent = ''; return; }
    const m = im.meta;
    const center = m.offset + (m.inverted ? 65535 - im.center : im.center) * m.scale;
    $('wl-readout').textContent = `W ${Math.round(im.width * m.scale)} / L ${Math.round(center)}`;
    $('zoom-readout').textContent = `zoom ${(viewer.scale * 100).toFixed(0)}% · ${im.columns}×${im.rows}`;
  };

  // ---- note with evidence spans ----
  function renderNote() {
    const box = $('note');
    box.textContent = '';
    const { doc } = state.current;
    if (!doc.notes.length) { box.textContent = 'No note was used for this suggestion.'; return; }
    for (const note of doc.notes) {
      const head = document.createElement('div');
      head.className = 'muted';
      head.textContent = [note.reference, note.date, note.author].filter(Boolean).join(' · ');
      const body = document.createElement('div');
      body.className = 'note-text';
      body.dataset.reference = note.reference;
      const spans = [];
      for (const f of doc.findings) {
        if (state.finding && f.finding !== state.finding) continue;
        for (const e of f.evidence) if (e.note === note.reference) spans.push({ ...e, finding: f.finding });
      }
      body.append(...highlighted(note.text, spans));
      box.append(head, body);
    }
  }
  /** Text nodes and marks: each maximal stretch covered by the same spans is one mark. */
  function highlighted(text, spans) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(Math.max(0, Math.min(text.length, s.start))); cuts.add(Math.max(0, Math.min(text.length, s.end))); }
    const points = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) { out.push(document.createTextNode(text.slice(a, b))); continue; }
      covering.sort((x, y) => Math.abs(y.score) - Math.abs(x.score));
      const mark = document.createElement('mark');
      mark.className = covering[0].score >= 0 ? 'ev-for' : 'ev-against';
      mark.dataset.start = String(a);
      mark.dataset.end = String(b);
      mark.dataset.findings = covering.map((s) => s.finding).join(' ');
      mark.title = covering.map((s) => `${label(s.finding)}: ${s.score >= 0 ? 'supports' : 'argues against'}, score ${s.score >= 0 ? '+' : ''}${s.score.toFixed(3)}`).join('\n');
      mark.textContent = text.slice(a, b);
      out.push(mark);
    }
    return out;
  }

  // ---- review actions ----
  function report() { return state.current.detail.resources.DiagnosticReport; }
  function setActionsEnabled(status) {
    $('accept-button').disabled = status !== 'preliminary';
    $('reject-button').disabled = status !== 'preliminary';
    $('amend-button').disabled = !['preliminary', 'final', 'amended'].includes(status);
    $('history-button').disabled = !status;
  }
  function renderReview() {
    const d = state.current.detail;
    const r = report();
    setActionsEnabled(d.status);
    const box = $('review-result');
    box.textContent = '';
    const line = document.createElement('div');
    line.id = 'review-status';
    line.dataset.status = d.status;
    const interpreter = (r.resultsInterpreter || []).map((x) => x.display || x.reference).join(', ');
    const last = d.feedback.length ? d.feedback[d.feedback.length - 1] : null;
    const words = { preliminary: 'Pending review (preliminary AI suggestion)', final: 'Accepted (final)',
      amended: 'Amended', cancelled: 'Rejected (cancelled)' };
    line.textContent = `${words[d.status] || d.status} · version ${d.version}`
      + (interpreter ? ` · by ${interpreter}` : '')
      + (last ? ` · ${last.action} at ${last.recordedAt.replace('T', ' ').slice(0, 19)} UTC` : '');
    box.append(line);
    if (last && last.reason) {
      const reason = document.createElement('div');
      reason.textContent = 'Reason: ' + last.reason;
      box.append(reason);
    }
    if (r.conclusion) {
      const c = document.createElement('div');
      c.className = 'muted';
      c.textContent = 'Conclusion: ' + r.conclusion;
      box.append(c);
    }
  }
  async function act(action, body) {
    const { id, detail } = state.current;
    try {
      await api('POST', `/api/review/suggestions/${id}/${action}`, { version: detail.version, ...body });
      state.current.detail = await api('GET', `/api/review/suggestions/${id}`);
      showError(null);
      renderReview();
    } catch (err) { showError(err); }
  }
  function dialog(id) {
    const d = $(id);
    d.querySelectorAll('button.cancel').forEach((b) => { b.onclick = () => d.close(); });
    d.showModal();
    return d;
  }
  function accept() { if (!$('accept-button').disabled) dialog('accept-dialog'); }
  $('accept-form').addEventListener('submit', () => act('accept', {}));
  /**
   * Each finding's Observation as it stands now: the report lists one result per finding, in the
   * order of the findings (report stage); the amend API names Observations by id.
   */
  function findingObservations() {
    const results = report().result || [];
    const findings = state.current.doc.findings;
    if (results.length !== findings.length) throw new Error('the report does not list one result per finding');
    const byId = new Map((state.current.detail.resources.Observation || []).map((o) => [o.id, o]));
    return findings.map((f, i) => {
      const id = results[i].reference.replace(/^Observation\//, '');
      const code = byId.get(id)?.interpretation?.[0]?.coding?.[0]?.code;
      return { finding: f.finding, id, present: code ? code === 'POS' : f.positive };
    });
  }
  function amend() {
    if ($('amend-button').disabled) return;
    let observations;
    try { observations = findingObservations(); } catch (err) { showError(err); return; }
    const set = $('amend-findings');
    set.querySelectorAll('label').forEach((l) => l.remove());
    for (const o of observations) {
      const l = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox'; box.name = o.finding; box.checked = o.present;
      box.dataset.observation = o.id; box.dataset.was = String(o.present);
      l.append(box, ' ' + label(o.finding));
      set.append(l);
    }
    $('amend-conclusion').value = report().conclusion || '';
    $('amend-reason').value = '';
    dialog('amend-dialog');
  }
  $('amend-form').addEventListener('submit', () => {
    const present = {}; // only the findings the clinician changed
    $('amend-findings').querySelectorAll('input').forEach((b) => {
      if (String(b.checked) !== b.dataset.was) present[b.dataset.observation] = b.checked;
    });
    act('amend', { present, conclusion: $('amend-conclusion').value, reason: $('amend-reason').value || undefined });
  });
  function reject() { if (!$('reject-button').disabled) dialog('reject-dialog'); }
  $('reject-form').addEventListener('submit', (e) => {
    const code = $('reject-code').value;
    if (!code) { e.preventDefault(); $('reject-code').focus(); return; }
    const comment = $('reject-comment').value.trim();
    act('reject', { reason: comment ? `${code}: ${comment}` : code });
  });
  async function historyDialog() {
    if (!state.current) return;
    const { id } = state.current;
    try {
      const [detail, audit] = await Promise.all([api('GET', `/api/review/suggestions/${id}`),
        api('GET', `/api/review/suggestions/${id}/audit`)]);
      const body = $('history-body');
      body.textContent = '';
      body.append(table('Report versions', ['version', 'status', 'last updated', 'interpreter'],
        detail.reportHistory.map((r) => [r.meta?.versionId, r.status, r.meta?.lastUpdated,
          (r.resultsInterpreter || []).map((x) => x.display).join(', ')])));
      body.append(table('Review feedback', ['when', 'action', 'who', 'reason'],
        detail.feedback.map((f) => [f.recordedAt, f.action, f.actor, f.reason || ''])));
      body.append(table('Audit trail', ['when', 'event', 'who', 'what'],
        audit.events.map((a) => [a.recorded, `${a.type}/${a.action}`, a.agent, a.description])));
      dialog('history-dialog');
    } catch (err) { showError(err); }
  }
  function table(title, heads, rows) {
    const wrap = document.createElement('div');
    const h = document.createElement('h3'); h.textContent = title;
    const t = document.createElement('table'); t.className = 'history';
    const hr = t.createTHead().insertRow();
    heads.forEach((x) => { const th = document.createElement('th'); th.textContent = x; hr.append(th); });
    const tb = t.createTBody();
    rows.forEach((r) => { const tr = tb.insertRow(); r.forEach((x) => { tr.insertCell().textContent = x ?? ''; }); });
    wrap.append(h, t);
    return wrap;
  }
  $('accept-button').addEventListener('click', accept);
  $('amend-button').addEventListener('click', amend);
  $('reject-button').addEventListener('click', reject);
  $('history-button').addEventListener('click', historyDialog);
  $('help-button').addEventListener('click', () => dialog('help-dialog'));

  // ---- keyboard ----
  document.addEventListener('keydown', (e) => {
    if (document.querySelector('dialog[open]') || e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (typing) { if (e.key === 'Escape') e.target.blur(); return; }
    if (e.key === '?') { dialog('help-dialog'); return; }
    if (!$('worklist-view').hidden) {
      const keys = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
      if (keys[e.key]) { e.preventDefault(); moveSelection(keys[e.key]); }
      else if (e.key === 'Enter' && state.visible && state.visible[state.selected]) openFromWorklist(state.visible[state.selected].id);
      else if (e.key === '/') { e.preventDefault(); $('filter').focus(); }
      return;
    }
    if ($('case-view').hidden || !state.current) return;
    const actions = {
      Escape: () => navigate('/review'), a: accept, m: amend, r: reject, h: historyDialog,
      o: () => { $('overlay-toggle').checked = !$('overlay-toggle').checked; viewer.setOverlayVisible($('overlay-toggle').checked); },
      '[': () => stepFinding(-1), ']': () => stepFinding(1), w: () => viewer.resetWindow(),
      0: () => viewer.fit(), 1: () => viewer.actualSize(),
      '+': () => viewer.zoomAt(1.25, viewer.canvas.width / 2, viewer.canvas.height / 2),
      '-': () => viewer.zoomAt(0.8, viewer.canvas.width / 2, viewer.canvas.height / 2),
    };
    if (actions[e.key]) { e.preventDefault(); actions[e.key](); }
  });

  start();
})();
