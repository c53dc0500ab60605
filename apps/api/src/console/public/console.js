/* The supervisor's console: plain browser JavaScript, no build step (README "Supervisor's console").
 * Every value from the API reaches the page through textContent, never as markup; the page's only
 * scripts are this file and graphql-ws' browser build, both served from /console (CSP script-src 'self').
 * It talks to the same GraphQL API as any client: POST /graphql with the pasted token, and
 * taskChanged(planId) over graphql-ws for live updates. */
/* global document, window, sessionStorage, fetch, crypto, setTimeout, clearTimeout, location */
'use strict';

(function () {
  const TOKEN_KEY = 'console.token';
  const PLAN_KEY = 'console.planId';
  const PAGE_SIZE = 100; // the API's largest page
  const MAX_PLANS = 200;
  const MAX_HISTORY = 200;
  const MAX_TOKEN = 8192;
  const MAX_COMMENT = 4000; // the API's limit on a comment

  const STATE_LABELS = {
    ASSIGNED: 'Đã giao',
    IN_PROGRESS: 'Đang thực hiện',
    REPORTED: 'Đã báo cáo, chờ duyệt',
    VERIFIED: 'Hoàn thành (đã duyệt)',
    OVERDUE: 'Quá hạn',
    WITHDRAWN: 'Đã rút khỏi kế hoạch',
  };
  const EVENT_LABELS = {
    START: 'Bắt đầu thực hiện',
    SUBMIT_REPORT: 'Nộp báo cáo',
    VERIFY: 'Duyệt',
    REJECT: 'Từ chối',
    DEADLINE_PASSED: 'Quá hạn',
    CONTRIBUTE: 'Ý kiến phối hợp',
    REQUEST_EXTENSION: 'Xin gia hạn',
    APPROVE_EXTENSION: 'Chấp thuận gia hạn',
    DENY_EXTENSION: 'Từ chối gia hạn',
    WAIVE_COORDINATION: 'Miễn ý kiến phối hợp',
    ROLL_UP: 'Tổng hợp từ nhiệm vụ con',
    WITHDRAW: 'Rút khỏi kế hoạch',
    AMEND: 'Điều chỉnh theo kế hoạch sửa đổi',
  };
  // led: the tasks still in the plan; withdrawn ones are counted apart, in the last column
  const SCORE_FIELDS = ['led', 'verifiedOnTime', 'verifiedLate', 'pendingWithinDeadline', 'overdue', 'reportsMissing'];

  const PLANS_QUERY = `query ConsolePlans {
    me { userId agencyCode provinceCode roles }
    plans { id number title year province { name } monitoringAgency { name } }
  }`;
  const PLAN_QUERY = `query ConsolePlan($planId: ID!) {
    plan(id: $planId) { id number title monitoringAgency { name } }
    agencyScorecard(planId: $planId) {
      agency { id code name } led verifiedOnTime verifiedLate pendingWithinDeadline overdue reportsMissing averageDaysLate withdrawn
    }
    reported: tasks(planId: $planId, state: REPORTED, first: ${PAGE_SIZE}) {
      totalCount
      edges { node {
        id ordinal section title version late dueAt availableEvents leadAgency { name }
        periods { label status reportedAt report { summary value } }
      } }
    }
    overdue: tasks(planId: $planId, state: OVERDUE, first: ${PAGE_SIZE}) {
      totalCount
      edges { node { id ordinal section title dueAt leadAgency { name } } }
    }
    withdrawn: tasks(planId: $planId, state: WITHDRAWN, first: ${PAGE_SIZE}) {
      totalCount
      edges { node { id ordinal section title state leadAgency { name } history { type at comment } } }
    }
  }`;
  const TIMELINE_QUERY = `query ConsoleTimeline($taskId: ID!) {
    task(id: $taskId) { id ordinal title state history { seq type actor at comment reportSummary changes { field from to } } }
    taskTimeline(taskId: $taskId) { state enteredAt leftAt by }
  }`;
  const TRANSITION_MUTATION = `mutation ConsoleTransition($input: TransitionInput!) {
    transitionTask(input: $input) { id state version }
  }`;
  const LIVE_SUBSCRIPTION = `subscription ConsoleLive($planId: ID) { taskChanged(planId: $planId) { id state version } }`;

  const $ = (id) => document.getElementById(id);
  const dateTime = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });

  const state = {
    token: null,
    planId: null,
    live: null, // { client, dispose }
    liveEvents: 0,
    renders: 0,
    everConnected: false,
    refreshTimer: null,
    refreshing: false,
    refreshAgain: false,
    timelineTaskId: null,
    rejectDrafts: new Map(), // taskId → the comment being written: its form stays open across live refreshes
    idempotencyKeys: new Map(), // taskId:version:event → the key, reused when the request is retried
  };

  class ApiError extends Error {
    constructor(message, code) {
      super(message);
      this.code = code || null;
    }
  }

  // ---- small DOM helpers (text only) ----

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function clear(node) {
    node.replaceChildren();
  }

  function formatTime(value) {
    if (!value) return '—';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
  }

  function showError(error) {
    const box = $('error');
    const message = error instanceof Error ? error.message : String(error);
    const code = error && error.code ? ` (${error.code})` : '';
    box.textContent = `Lỗi: ${message}${code}`;
    box.dataset.code = (error && error.code) || '';
    box.hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  function notify(text) {
    $('notice').textContent = text;
    $('notice').hidden = false;
  }

  // ---- the API ----

  async function gql(query, variables) {
    let response;
    try {
      response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
        body: JSON.stringify({ query, variables: variables || {} }),
      });
    } catch (error) {
      throw new ApiError(`Không kết nối được máy chủ: ${error.message}`, 'NETWORK');
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(`Máy chủ trả lời HTTP ${response.status}`, 'HTTP');
    }
    if (body && Array.isArray(body.errors) && body.errors.length > 0) {
      const first = body.errors[0];
      throw new ApiError(String(first.message), first.extensions && first.extensions.code);
    }
    if (!response.ok || !body || !body.data) throw new ApiError(`Máy chủ trả lời HTTP ${response.status}`, 'HTTP');
    return body.data;
  }

  // An error of the token itself ends the session: the sign-in form comes back with the API's message.
  function handleFailure(error) {
    if (error && error.code === 'UNAUTHENTICATED') {
      signOut();
    }
    showError(error);
  }

  // ---- sign in / out ----

  async function signIn(token) {
    clearError();
    state.token = token;
    let data;
    try {
      data = await gql(PLANS_QUERY);
    } catch (error) {
      state.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      showError(error);
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-input').value = '';
    $('sign-in').hidden = true;
    $('workspace').hidden = false;
    $('viewer').hidden = false;
    const me = data.me;
    $('viewer-name').textContent = [me.userId, me.agencyCode, me.provinceCode, me.roles.join(', ')].filter(Boolean).join(' · ');
    renderPlans(data.plans);
    const remembered = sessionStorage.getItem(PLAN_KEY);
    const plan = data.plans.find((p) => p.id === remembered) || (data.plans.length === 1 ? data.plans[0] : null);
    if (plan) selectPlan(plan.id);
  }

  function signOut() {
    stopLive();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(PLAN_KEY);
    state.token = null;
    state.planId = null;
    state.timelineTaskId = null;
    state.rejectDrafts.clear();
    state.idempotencyKeys.clear();
    for (const id of [
      'plan-list',
      'scorecard-body',
      'scorecard-total',
      'reported-list',
      'overdue-list',
      'withdrawn-list',
      'timeline-body',
      'history-list',
    ]) {
      clear($(id));
    }
    $('viewer-name').textContent = '';
    $('plan-view').hidden = true;
    $('timeline').hidden = true;
    $('workspace').hidden = true;
    $('viewer').hidden = true;
    $('notice').hidden = true;
    $('sign-in').hidden = false;
    clearError();
  }

  // ---- plans ----

  function renderPlans(plans) {
    const list = $('plan-list');
    clear(list);
    if (plans.length === 0) list.append(el('li', { text: 'Không có kế hoạch nào trong phạm vi của mã truy cập này.' }));
    for (const plan of plans.slice(0, MAX_PLANS)) {
      const label = `${plan.number} – ${plan.title}` + (plan.province ? ` (${plan.province.name})` : '');
      list.append(
        el('li', {}, el('button', { type: 'button', dataset: { planId: plan.id }, text: label, onclick: () => selectPlan(plan.id) })),
      );
    }
    if (plans.length > MAX_PLANS) list.append(el('li', { text: `… và ${plans.length - MAX_PLANS} kế hoạch khác` }));
  }

  function selectPlan(planId) {
    state.planId = planId;
    state.timelineTaskId = null;
    $('timeline').hidden = true;
    sessionStorage.setItem(PLAN_KEY, planId);
    for (const button of $('plan-list').querySelectorAll('button')) {
      button.setAttribute('aria-current', String(button.dataset.planId === planId));
    }
    startLive(planId);
    refresh();
  }

  // Loads the plan's figures and lists; a refresh asked for while one runs runs once after it.
  async function refresh() {
    if (!state.planId || !state.token) return;
    if (state.refreshing) {
      state.refreshAgain = true;
      return;
    }
    state.refreshing = true;
    const planId = state.planId;
    try {
      const data = await gql(PLAN_QUERY, { planId });
      if (planId !== state.planId) return;
      if (!data.plan) throw new ApiError('Không tìm thấy kế hoạch', 'NOT_FOUND');
      renderPlan(data);
    } catch (error) {
      handleFailure(error);
    } finally {
      state.refreshing = false;
      if (state.refreshAgain) {
        state.refreshAgain = false;
        refresh();
      }
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, 150);
  }

  function renderPlan(data) {
    $('plan-view').hidden = false;
    const plan = data.plan;
    $('plan-title').textContent =
      `${plan.number} – ${plan.title}` + (plan.monitoringAgency ? ` · Đầu mối theo dõi: ${plan.monitoringAgency.name}` : '');
    renderScorecard(data.agencyScorecard);
    renderReported(data.reported);
    renderOverdue(data.overdue);
    renderWithdrawn(data.withdrawn);
    state.renders += 1;
    $('plan-view').dataset.renders = String(state.renders);
  }

  function scoreCells(score) {
    const cells = SCORE_FIELDS.map((field) => el('td', { className: 'number', dataset: { field }, text: score[field] }));
    const late = score.averageDaysLate;
    cells.push(
      el('td', {
        className: 'number',
        dataset: { field: 'averageDaysLate' },
        text: late === null || late === undefined ? '—' : late.toFixed(1),
      }),
      el('td', { className: 'number withdrawn', dataset: { field: 'withdrawn' }, text: score.withdrawn }),
    );
    return cells;
  }

  function renderScorecard(scores) {
    const body = $('scorecard-body');
    clear(body);
    for (const score of scores) {
      body.append(
        el('tr', { dataset: { agency: score.agency.code } }, el('th', { scope: 'row', text: score.agency.name }), ...scoreCells(score)),
      );
    }
    // the mean over all late tasks: each agency's mean weighted by its late tasks
    const total = { averageDaysLate: null };
    for (const field of [...SCORE_FIELDS, 'withdrawn']) total[field] = scores.reduce((sum, s) => sum + s[field], 0);
    const lateTasks = scores.reduce((sum, s) => sum + (s.averageDaysLate === null ? 0 : s.verifiedLate + s.overdue), 0);
    if (lateTasks > 0) {
      const days = scores.reduce((sum, s) => sum + (s.averageDaysLate === null ? 0 : s.averageDaysLate * (s.verifiedLate + s.overdue)), 0);
      total.averageDaysLate = days / lateTasks;
    }
    const foot = $('scorecard-total');
    clear(foot);
    foot.append(el('tr', { dataset: { agency: '*' } }, el('th', { scope: 'row', text: 'Tổng cộng' }), ...scoreCells(total)));
  }

  function taskHeading(task) {
    const label = `${task.section ? `${task.section} · ` : ''}${task.ordinal}. ${task.title}`;
    return el('button', { type: 'button', className: 'link task-title', text: label, onclick: () => openTimeline(task.id) });
  }

  function countLabel(connection) {
    const shown = connection.edges.length;
    return shown < connection.totalCount ? `(${shown} / ${connection.totalCount})` : `(${connection.totalCount})`;
  }

  function renderReported(connection) {
    $('reported-count').textContent = countLabel(connection);
    const list = $('reported-list');
    // a comment being typed keeps its focus and caret when a live refresh redraws the list
    const focused = document.activeElement;
    const typing = focused && focused.tagName === 'TEXTAREA' && list.contains(focused) ? focused.closest('li').dataset.taskId : null;
    const caret = typing ? [focused.selectionStart, focused.selectionEnd] : null;
    clear(list);
    if (connection.totalCount === 0) list.append(el('li', { className: 'empty', text: 'Không có báo cáo nào chờ duyệt.' }));
    for (const { node: task } of connection.edges) list.append(reportedItem(task));
    if (typing) {
      const item = Array.from(list.children).find((li) => li.dataset.taskId === typing);
      const area = item && item.querySelector('textarea');
      if (area && !area.closest('[hidden]')) {
        area.focus();
        area.setSelectionRange(caret[0], caret[1]);
      }
    }
  }

  function reportedItem(task) {
    const submitted = task.periods.filter((p) => p.status === 'SUBMITTED').pop() || null;
    const item = el(
      'li',
      { dataset: { taskId: task.id, version: task.version } },
      taskHeading(task),
      el('div', {
        className: 'meta',
        text: `Chủ trì: ${task.leadAgency.name} · Hạn: ${formatTime(task.dueAt)}${task.late ? ' · Báo cáo trễ hạn' : ''}`,
      }),
    );
    if (submitted && submitted.report) {
      const value = submitted.report.value ? `\nKết quả: ${submitted.report.value}` : '';
      item.append(
        el('div', { className: 'meta', text: `Kỳ ${submitted.label}, nộp lúc ${formatTime(submitted.reportedAt)}` }),
        el('div', { className: 'report', text: `${submitted.report.summary}${value}` }),
      );
    }
    const actions = el('div', { className: 'actions' });
    const canVerify = task.availableEvents.includes('VERIFY');
    const canReject = task.availableEvents.includes('REJECT');
    if (canVerify) {
      actions.append(
        el('button', {
          type: 'button',
          dataset: { action: 'approve' },
          text: 'Duyệt',
          onclick: (e) => fire(task, 'VERIFY', null, e.currentTarget),
        }),
      );
    }
    if (canReject) {
      const form = rejectForm(task);
      actions.append(
        el('button', {
          type: 'button',
          dataset: { action: 'reject' },
          text: 'Từ chối',
          onclick: () => {
            // open until sent or cancelled, also across a live refresh that redraws the list
            if (!state.rejectDrafts.has(task.id)) state.rejectDrafts.set(task.id, '');
            form.hidden = false;
            form.querySelector('textarea').focus();
          },
        }),
        form,
      );
      if (state.rejectDrafts.has(task.id)) form.hidden = false;
    }
    if (!canVerify && !canReject)
      actions.append(el('span', { className: 'meta', text: 'Mã truy cập này không có quyền duyệt nhiệm vụ này.' }));
    item.append(actions);
    return item;
  }

  function rejectForm(task) {
    const comment = el('textarea', {
      rows: 2,
      maxlength: MAX_COMMENT,
      placeholder: 'Lý do từ chối',
      'aria-label': 'Lý do từ chối',
      oninput: (e) => state.rejectDrafts.set(task.id, e.currentTarget.value),
    });
    comment.value = state.rejectDrafts.get(task.id) || '';
    const form = el(
      'div',
      { className: 'reject-form' },
      comment,
      el('button', {
        type: 'button',
        dataset: { action: 'confirm-reject' },
        text: 'Xác nhận từ chối',
        onclick: (e) => fire(task, 'REJECT', comment.value, e.currentTarget),
      }),
      el('button', {
        type: 'button',
        text: 'Huỷ',
        onclick: () => {
          state.rejectDrafts.delete(task.id);
          form.hidden = true;
        },
      }),
    );
    form.hidden = true;
    return form;
  }

  function renderOverdue(connection) {
    $('overdue-count').textContent = countLabel(connection);
    const list = $('overdue-list');
    clear(list);
    if (connection.totalCount === 0) list.append(el('li', { className: 'empty', text: 'Không có nhiệm vụ quá hạn.' }));
    for (const { node: task } of connection.edges) {
      list.append(
        el(
          'li',
          { dataset: { taskId: task.id } },
          taskHeading(task),
          el('div', { className: 'meta', text: `Chủ trì: ${task.leadAgency.name} · Hạn: ${formatTime(task.dueAt)}` }),
        ),
      );
    }
  }

  // Tasks an amended plan withdrew: greyed, with their state's label and the reason given; never overdue.
  function renderWithdrawn(connection) {
    $('withdrawn-count').textContent = countLabel(connection);
    const list = $('withdrawn-list');
    clear(list);
    if (connection.totalCount === 0) list.append(el('li', { className: 'empty', text: 'Không có nhiệm vụ nào bị rút khỏi kế hoạch.' }));
    for (const { node: task } of connection.edges) {
      const withdrawal = task.history.filter((event) => event.type === 'WITHDRAW').pop() || null;
      list.append(
        el(
          'li',
          { className: 'withdrawn', dataset: { taskId: task.id, state: task.state } },
          taskHeading(task),
          el('span', { className: 'state-label', text: STATE_LABELS[task.state] || task.state }),
          el('div', {
            className: 'meta',
            text: `Chủ trì: ${task.leadAgency.name}${withdrawal ? ` · Rút ngày ${formatTime(withdrawal.at)}` : ''}`,
          }),
          withdrawal && withdrawal.comment ? el('div', { className: 'meta reason', text: `Lý do: ${withdrawal.comment}` }) : null,
        ),
      );
    }
  }

  // ---- approve / reject ----

  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // available outside secure contexts too, unlike randomUUID
    return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  }

  // VERIFY or REJECT as the task was shown: expectedVersion is the version on the page (a task changed
  // since answers CONFLICT), and a retry after a lost answer reuses its idempotency key.
  async function fire(task, event, comment, button) {
    clearError();
    const attempt = `${task.id}:${task.version}:${event}`;
    if (!state.idempotencyKeys.has(attempt)) state.idempotencyKeys.set(attempt, randomKey());
    const input = { taskId: task.id, event, expectedVersion: task.version, idempotencyKey: state.idempotencyKeys.get(attempt) };
    if (comment !== null) input.comment = comment;
    if (button) button.disabled = true;
    try {
      await gql(TRANSITION_MUTATION, { input });
      state.idempotencyKeys.delete(attempt);
      state.rejectDrafts.delete(task.id);
      notify(`${event === 'VERIFY' ? 'Đã duyệt' : 'Đã từ chối'} báo cáo của nhiệm vụ ${task.ordinal}. ${task.title}`);
      await refresh();
      if (state.timelineTaskId === task.id) openTimeline(task.id);
    } catch (error) {
      if (error.code !== 'NETWORK') state.idempotencyKeys.delete(attempt); // the API answered: a new attempt is a new request
      handleFailure(error);
      if (error.code === 'CONFLICT') scheduleRefresh();
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ---- timeline ----

  async function openTimeline(taskId) {
    state.timelineTaskId = taskId;
    try {
      const data = await gql(TIMELINE_QUERY, { taskId });
      if (state.timelineTaskId !== taskId) return;
      if (!data.task) throw new ApiError('Không tìm thấy nhiệm vụ', 'NOT_FOUND');
      renderTimeline(data.task, data.taskTimeline);
    } catch (error) {
      handleFailure(error);
    }
  }

  function renderTimeline(task, entries) {
    const section = $('timeline');
    section.hidden = false;
    section.dataset.taskId = task.id;
    $('timeline-title').textContent = `${task.ordinal}. ${task.title} – ${STATE_LABELS[task.state] || task.state}`;
    const body = $('timeline-body');
    clear(body);
    for (const entry of entries) {
      body.append(
        el(
          'tr',
          { dataset: { state: entry.state } },
          el('td', { text: STATE_LABELS[entry.state] || entry.state }),
          el('td', { text: formatTime(entry.enteredAt) }),
          el('td', { text: entry.leftAt ? formatTime(entry.leftAt) : 'hiện tại' }),
          el('td', { text: entry.by || '—' }),
        ),
      );
    }
    const history = $('history-list');
    clear(history);
    const shown = task.history.slice(-MAX_HISTORY);
    if (shown.length < task.history.length) history.append(el('li', { text: `… ${task.history.length - shown.length} sự kiện trước đó` }));
    for (const event of shown) {
      const detail = event.comment || event.reportSummary;
      const changes = (event.changes || []).map((c) => `${c.field}: ${c.from === null ? '—' : c.from} → ${c.to === null ? '—' : c.to}`);
      history.append(
        el(
          'li',
          { dataset: { type: event.type } },
          `${formatTime(event.at)} · ${EVENT_LABELS[event.type] || event.type}${event.actor ? ` · ${event.actor}` : ''}`,
          detail ? el('div', { className: 'report', text: detail }) : null,
          changes.length > 0 ? el('div', { className: 'report changes', text: changes.join('\n') }) : null,
        ),
      );
    }
    section.scrollIntoView({ block: 'nearest' });
  }

  // ---- live updates (graphql-ws) ----

  function setLive(on, title) {
    const status = $('live-status');
    status.dataset.state = on ? 'on' : 'off';
    status.textContent = on ? '● Trực tuyến' : 'Ngoại tuyến';
    status.title = title || '';
  }

  function describeClose(error) {
    if (Array.isArray(error)) return error.map((e) => e.message).join('; ');
    if (error && typeof error.code === 'number')
      return `kết nối trực tuyến bị đóng (${error.code}${error.reason ? `: ${error.reason}` : ''})`;
    return error && error.message ? error.message : String(error);
  }

  function startLive(planId) {
    stopLive();
    const graphqlWs = window.graphqlWs;
    if (!graphqlWs) {
      setLive(false, 'graphql-ws chưa tải được');
      return;
    }
    state.everConnected = false;
    const client = graphqlWs.createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: { authorization: `Bearer ${state.token}` },
      lazy: false,
      retryAttempts: 10,
      keepAlive: 20_000,
      onNonLazyError: (error) => setLive(false, describeClose(error)),
      on: {
        connected: () => {
          setLive(true);
          // changes made while the connection was down were not delivered: read them now
          if (state.everConnected) scheduleRefresh();
          state.everConnected = true;
        },
        closed: (event) => setLive(false, describeClose(event)),
      },
    });
    const dispose = client.subscribe(
      { query: LIVE_SUBSCRIPTION, variables: { planId } },
      {
        next: (result) => {
          if (result.errors && result.errors.length) return showError(new ApiError(result.errors[0].message, 'LIVE'));
          state.liveEvents += 1;
          $('live-status').dataset.events = String(state.liveEvents);
          scheduleRefresh();
          const changed = result.data && result.data.taskChanged;
          if (changed && changed.id === state.timelineTaskId) openTimeline(changed.id);
        },
        error: (error) => {
          setLive(false, describeClose(error));
          showError(new ApiError(`Cập nhật trực tuyến dừng: ${describeClose(error)}`, 'LIVE'));
        },
        complete: () => setLive(false),
      },
    );
    state.live = { client, dispose };
  }

  function stopLive() {
    if (!state.live) return;
    const { client, dispose } = state.live;
    state.live = null;
    dispose();
    client.dispose();
    setLive(false);
  }

  // ---- wiring ----

  function start() {
    $('sign-in-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const raw = $('token-input')
        .value.trim()
        .replace(/^Bearer\s+/i, '');
      if (raw === '') return showError(new ApiError('Hãy dán mã truy cập (JWT)', null));
      if (raw.length > MAX_TOKEN) return showError(new ApiError(`Mã truy cập dài quá ${MAX_TOKEN} ký tự`, null));
      signIn(raw);
    });
    $('sign-out').addEventListener('click', signOut);
    $('timeline-close').addEventListener('click', () => {
      state.timelineTaskId = null;
      $('timeline').hidden = true;
    });
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) signIn(saved);
    document.body.dataset.ready = 'true';
  }

  start();
})();
