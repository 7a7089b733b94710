import { useCallback, useEffect, useState } from 'react';
import { CallButton } from './CallButton.jsx';

/** A helpdesk in one component: clients, the selected conversation, and the phone button. */
export function App({ serviceUrl }) {
  const [conversations, setConversations] = useState([]);
  const [selectedId, setSelectedId] = useState(null);
  const [status, setStatus] = useState('');
  const selected = conversations.find((c) => c.id === selectedId);
  const update = (conversation) => setConversations((list) => list.map((c) => (c.id === conversation.id ? conversation : c)));

  useEffect(() => {
    // The backend pushes each change of a conversation (an invite arrived by webhook…).
    const events = new EventSource('/api/events');
    events.onmessage = (e) => update(JSON.parse(e.data));
    fetch('/api/conversations').then((res) => res.json()).then(setConversations);
    return () => events.close();
  }, []);

  // A fresh agent token for each call, minted by this app's backend (tokens live at most 15 minutes).
  const getToken = useCallback(async () => {
    const res = await fetch(`/api/agent-token?conversationId=${encodeURIComponent(selectedId)}`);
    if (!res.ok) throw new Error(`No agent token (HTTP ${res.status})`);
    return (await res.json()).token;
  }, [selectedId]);

  async function start() {
    const res = await fetch(`/api/conversations/${encodeURIComponent(selectedId)}/start`, { method: 'POST' });
    if (res.ok) update(await res.json());
  }

  return (
    <>
      <nav aria-label="Clients">
        {conversations.map((c) => (
          <button key={c.id} type="button" aria-pressed={c.id === selectedId} onClick={() => setSelectedId(c.id)}>{c.clientName}</button>
        ))}
      </nav>
      <main>
        <h1>{selected?.clientName ?? 'Pick a client'}</h1>
        {selected && !selected.started && <button type="button" onClick={start}>Start conversation</button>}
        <CallButton
          serviceUrl={serviceUrl}
          getToken={getToken}
          clientSelected={Boolean(selected)}
          conversationStarted={Boolean(selected?.started)}
          agentOwns={Boolean(selected?.ownedByMe)}
          onCallCreated={({ call }) => setStatus(`Call ${call.id} is open: the invite goes into the conversation.`)}
          onCallEnded={({ cause }) => setStatus(`Call ended (${cause}).`)}
          onCallError={({ message }) => setStatus(message)}
        />
        <p role="status">{status}</p>
        <ol>{selected?.messages.map((m, i) => <Message key={i} message={m} />)}</ol>
      </main>
    </>
  );
}

/** One message; the invite's link is a button (its text ends with the link, for plain-text channels). */
function Message({ message: m }) {
  if (!m.link) return <li className={m.from}>{m.text}</li>;
  return (
    <li className={m.from}>
      {m.text.replace(m.link, '').replace(/[:\s]+$/, '')}{' '}
      <a className="join-link" href={m.link} target="_blank" rel="noopener">Join the call</a>
    </li>
  );
}
