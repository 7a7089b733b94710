// The demo helpdesk page: a client list, the selected conversation, and <call-button>.
// Plain JavaScript on purpose: it is what an integrator writes around the SDK.

/** @typedef {{ id: number, from: 'agent'|'client'|'system', text: string, link?: string, callId?: string, callEnded?: boolean, callStatus?: string, callStatusText?: string, at: string }} Message */
/** @typedef {{ id: string, clientId: string, clientName: string, started: boolean, ownerId: string|null, ownerName: string|null, messages: Message[] }} Conversation */

const { agent } = /** @type {{ serviceUrl: string, agent: { id: string, name: string } }} */ (/** @type {any} */ (window).DEMO);

/** @type {Map<string, Conversation>} */
const conversations = new Map();
/** @type {string | null} */
let selectedId = null;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const callButton = /** @type {any} */ ($('call'));

$('agent-name').textContent = agent.name;

async function load() {
  const res = await fetch('/api/conversations');
  /** @type {Conversation[]} */
  const list = await res.json();
  for (const c of list) conversations.set(c.id, c);
  render();
}

function render() {
  const ul = $('client-list');
  ul.replaceChildren(
    ...[...conversations.values()].map((c) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'client';
      b.dataset.conversation = c.id;
      b.setAttribute('aria-current', String(c.id === selectedId));
      b.innerHTML = `<span class="name"></span><span class="meta"></span>`;
      /** @type {HTMLElement} */ (b.querySelector('.name')).textContent = c.clientName;
      /** @type {HTMLElement} */ (b.querySelector('.meta')).textContent = c.started ? `Open · ${c.ownerName ?? ''}` : 'Not started';
      b.addEventListener('click', () => select(c.id));
      li.append(b);
      return li;
    }),
  );

  const c = selectedId ? conversations.get(selectedId) : undefined;
  const start = /** @type {HTMLButtonElement} */ ($('start-conversation'));
  const composer = /** @type {HTMLFormElement} */ ($('composer'));
  callButton.clientSelected = Boolean(c);
  callButton.conversationStarted = Boolean(c?.started);
  callButton.agentOwns = Boolean(c && c.ownerId === agent.id);
  if (!c) {
    $('conv-title').textContent = 'No client selected';
    $('conv-state').textContent = 'Pick a client on the left.';
    start.hidden = true;
    composer.hidden = true;
    $('messages').replaceChildren();
    return;
  }
  $('conv-title').textContent = c.clientName;
  $('conv-state').textContent = !c.started
    ? 'Conversation not started.'
    : c.ownerId === agent.id ? 'Open · you own this conversation.' : `Open · owned by ${c.ownerName ?? 'another agent'}.`;
  start.hidden = c.started;
  composer.hidden = !(c.started && c.ownerId === agent.id);
  $('messages').replaceChildren(...c.messages.map(renderMessage));
}

/** @param {Message} m */
function renderMessage(m) {
  const li = document.createElement('li');
  li.className = `message from-${m.from}`;
  const p = document.createElement('p');
  // The invite's text carries the link for plain-text channels; here it is a button.
  p.textContent = m.link ? m.text.replace(m.link, '').replace(/[:\s]+$/, '') : m.text;
  li.append(p);
  if (m.callStatus) {
    // The invite is a live card: where its call stands, kept current by the webhooks (over SSE).
    li.classList.add('call-card');
    li.dataset.callStatus = m.callStatus;
    const status = document.createElement('p');
    status.className = 'call-status';
    status.setAttribute('role', 'status');
    status.textContent = m.callStatusText ?? '';
    li.append(status);
  }
  if (m.link && m.callEnded) {
    // The call is over: an old invite must not look like a way into it.
    const ended = document.createElement('button');
    ended.type = 'button';
    ended.className = 'join-link';
    ended.disabled = true;
    ended.textContent = 'Call ended';
    li.append(ended);
  } else if (m.link) {
    const a = document.createElement('a');
    a.href = m.link;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.className = 'join-link';
    a.textContent = 'Join the call';
    li.append(a);
  }
  const time = document.createElement('time');
  time.dateTime = m.at;
  time.textContent = new Date(m.at).toLocaleTimeString();
  li.append(time);
  return li;
}

/** @param {string} id */
function select(id) {
  selectedId = id;
  render();
}

$('start-conversation').addEventListener('click', async () => {
  if (!selectedId) return;
  const res = await fetch(`/api/conversations/${encodeURIComponent(selectedId)}/start`, { method: 'POST' });
  if (res.ok) {
    const c = /** @type {Conversation} */ (await res.json());
    conversations.set(c.id, c);
    render();
  }
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const input = /** @type {HTMLInputElement} */ (form.elements.namedItem('text'));
  if (!selectedId || !input.value.trim()) return;
  await fetch(`/api/conversations/${encodeURIComponent(selectedId)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: input.value.trim() }),
  });
  input.value = '';
});

// A fresh, short-lived agent token per call attempt, minted by this app's backend.
callButton.tokenProvider = async () => {
  if (!selectedId) throw new Error('No conversation selected');
  const res = await fetch(`/api/agent-token?conversationId=${encodeURIComponent(selectedId)}`);
  if (!res.ok) throw new Error(`Could not get an agent token (${res.status})`);
  const body = /** @type {{ token: string }} */ (await res.json());
  return body.token;
};

const stream = new EventSource('/api/stream');
stream.addEventListener('conversation', (event) => {
  const c = /** @type {Conversation} */ (JSON.parse(/** @type {MessageEvent<string>} */ (event).data));
  conversations.set(c.id, c);
  render();
});

void load();
