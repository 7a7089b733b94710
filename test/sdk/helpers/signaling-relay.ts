// An in-page stand-in for the service's live hub: relays `signal` messages between the
// agent and client endpoints and announces presence exactly like the live socket does.
import { Emitter } from '../../../sdk/core/emitter.js';
import type { ServerMessage } from '../../../sdk/core/live-connection.js';
import type { SignalingChannel } from '../../../sdk/core/media/media-session.js';
import type { DirectSignal } from '../../../protocol/live.js';
import type { CallView, Role } from '../../../sdk/core/types.js';

class Endpoint extends Emitter<{ message: ServerMessage }> implements SignalingChannel {
  present = false;
  constructor(
    readonly role: Role,
    private readonly relay: SignalingRelay,
  ) {
    super();
  }

  sendSignal(data: DirectSignal): boolean {
    if (!this.present) return false;
    // JSON round trip and a macrotask hop, like the real socket.
    const copy = JSON.parse(JSON.stringify(data)) as DirectSignal;
    setTimeout(() => this.relay.deliver(this.role, { type: 'signal', from: this.role, data: copy }), 0);
    return true;
  }
}

/** Two connected endpoints, `agent` and `client`. */
export class SignalingRelay {
  readonly agent = new Endpoint('agent', this);
  readonly client = new Endpoint('client', this);

  /** Connects a role: it gets `hello`, the other one gets `presence: true`. */
  join(role: Role): void {
    const self = this[role];
    const other = this[role === 'agent' ? 'client' : 'agent'];
    self.present = true;
    self.emit('message', {
      type: 'hello',
      role,
      call: fakeCall(),
      peers: { agent: this.agent.present, client: this.client.present },
    });
    if (other.present) other.emit('message', { type: 'presence', role, present: true });
  }

  /** Disconnects a role: the other one gets `presence: false`. */
  leave(role: Role): void {
    this[role].present = false;
    const other = this[role === 'agent' ? 'client' : 'agent'];
    if (other.present) other.emit('message', { type: 'presence', role, present: false });
  }

  deliver(from: Role, message: ServerMessage): void {
    const to = this[from === 'agent' ? 'client' : 'agent'];
    if (to.present && this[from].present) to.emit('message', message);
  }
}

function fakeCall(): CallView {
  return {
    id: 'call-1', orgId: 'demo', conversationId: 'conv-1', clientId: 'client-1', clientName: 'Bob',
    agentId: 'agent-1', agentName: 'Alice', media: 'video', status: 'ringing', linkDelivered: true,
    createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    endedAt: null, endedBy: null, endReason: null, agentAwaySince: null, invitedAt: new Date().toISOString(),
  };
}
