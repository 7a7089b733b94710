/** The demo helpdesk's data: one logged-in agent, a few clients, one conversation each (in memory). */
import { newCallFacts, statusText, type CallCardStatus, type CallFacts } from './call-card.js';

/** A message shown in a conversation. */
export interface Message {
  id: number;
  from: 'agent' | 'client' | 'system';
  text: string;
  /** A link to show as a button (the call's join link). */
  link?: string;
  /** The call the link joins (from the invite webhook). */
  callId?: string;
  /** That call has ended (a `call.ended` webhook): the link is shown as ended, not as a way in. */
  callEnded?: boolean;
  /** The invite as a live card: where its call stands (from the webhooks), and in words. */
  callStatus?: CallCardStatus;
  callStatusText?: string;
  at: string;
}

/** One client's conversation in the helpdesk. */
export interface Conversation {
  id: string;
  clientId: string;
  clientName: string;
  /** "Open intervention": the agent pressed Start conversation. */
  started: boolean;
  ownerId: string | null;
  ownerName: string | null;
  messages: Message[];
}

/** The agent using the demo (there is no login in the demo). */
export const CURRENT_AGENT = { id: 'agent-alice', name: 'Alice Martin' } as const;
const OTHER_AGENT = { id: 'agent-dan', name: 'Dan Okafor' } as const;

/** In-memory helpdesk state with change notification, so the page updates without a reload. */
export class Helpdesk {
  readonly #conversations = new Map<string, Conversation>();
  readonly #listeners = new Set<(c: Conversation) => void>();
  readonly #seenWebhooks = new Set<string>();
  /** What the webhooks told of each call whose invite was posted here. */
  readonly #calls = new Map<string, { conversationId: string; facts: CallFacts }>();
  #nextMessageId = 1;

  constructor() {
    const now = new Date().toISOString();
    this.#add({ id: 'conv-bob', clientId: 'client-bob', clientName: 'Bob Lambert', started: false, ownerId: null, ownerName: null, messages: [] });
    this.#add({ id: 'conv-chen', clientId: 'client-chen', clientName: 'Chen Wei', started: false, ownerId: null, ownerName: null, messages: [] });
    this.#add({
      id: 'conv-sofia', clientId: 'client-sofia', clientName: 'Sofia Rossi', started: true,
      ownerId: OTHER_AGENT.id, ownerName: OTHER_AGENT.name, messages: [],
    });
    this.addMessage('conv-bob', { from: 'client', text: 'Hi, my invoice shows the wrong address. Can someone help?', at: now });
    this.addMessage('conv-chen', { from: 'client', text: 'The export button does nothing on my screen.', at: now });
    this.addMessage('conv-sofia', { from: 'client', text: 'Following up on yesterday\'s ticket.', at: now });
  }

  #add(conversation: Conversation): void {
    this.#conversations.set(conversation.id, conversation);
  }

  /** Every conversation, in display order. */
  list(): Conversation[] {
    return [...this.#conversations.values()];
  }

  /** The conversation of a client, or undefined. */
  byClient(clientId: string): Conversation | undefined {
    return this.list().find((c) => c.clientId === clientId);
  }

  /** A conversation by id, or undefined. */
  get(id: string): Conversation | undefined {
    return this.#conversations.get(id);
  }

  /** Starts (opens an intervention on) a conversation for the current agent, unless another agent owns it. */
  start(id: string): Conversation | undefined {
    const c = this.#conversations.get(id);
    if (!c) return undefined;
    if (!c.started) {
      c.started = true;
      c.ownerId = CURRENT_AGENT.id;
      c.ownerName = CURRENT_AGENT.name;
      this.addMessage(id, { from: 'system', text: `${CURRENT_AGENT.name} started the conversation.`, at: new Date().toISOString() });
    }
    return c;
  }

  /** Appends a message and notifies listeners. */
  addMessage(conversationId: string, message: Omit<Message, 'id'>): Message | undefined {
    const c = this.#conversations.get(conversationId);
    if (!c) return undefined;
    const m = { id: this.#nextMessageId++, ...message };
    c.messages.push(m);
    for (const l of this.#listeners) l(c);
    return m;
  }

  /** Posts a call's invite as a live card ("Call invite sent"). */
  invitePosted(conversationId: string, callId: string, message: Omit<Message, 'id' | 'callId'>): Message | undefined {
    const facts = this.#calls.get(callId)?.facts ?? newCallFacts();
    this.#calls.set(callId, { conversationId, facts });
    return this.addMessage(conversationId, { ...message, callId, callStatus: facts.status, callStatusText: statusText(facts) });
  }

  /** The facts of a call whose invite was posted here, or undefined. */
  callFacts(callId: string): { conversationId: string; facts: CallFacts } | undefined {
    return this.#calls.get(callId);
  }

  /** Applies a webhook's news to a call's facts; when `update` says they changed, its invite cards show it. */
  updateCall(callId: string, update: (facts: CallFacts) => boolean): boolean {
    const entry = this.#calls.get(callId);
    if (!entry || !update(entry.facts)) return false;
    const c = this.#conversations.get(entry.conversationId);
    if (!c) return false;
    for (const m of c.messages) {
      if (m.callId !== callId) continue;
      m.callStatus = entry.facts.status;
      m.callStatusText = statusText(entry.facts);
    }
    for (const l of this.#listeners) l(c);
    return true;
  }

  /** Marks the join links of this call as ended; false when the conversation has none. */
  callEnded(conversationId: string, callId: string): boolean {
    const c = this.#conversations.get(conversationId);
    const invites = c?.messages.filter((m) => m.callId === callId) ?? [];
    if (!c || invites.length === 0) return false;
    for (const m of invites) m.callEnded = true;
    for (const l of this.#listeners) l(c);
    return true;
  }

  /** May the current agent write in this conversation? Only into one it started and owns. */
  agentMayWrite(c: Conversation): boolean {
    return c.started && c.ownerId === CURRENT_AGENT.id;
  }

  /** Records a webhook id; false when it was seen before (deliveries are at least once). */
  firstDelivery(webhookId: string): boolean {
    if (this.#seenWebhooks.has(webhookId)) return false;
    this.#seenWebhooks.add(webhookId);
    return true;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (c: Conversation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
