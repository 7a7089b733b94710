// The call's state changes in one place: a pure transition function.

/** Statuses of a call. */
export const CallStatus = {
  created: 'created',
  ringing: 'ringing',
  active: 'active',
  client_left: 'client_left',
  ended: 'ended',
} as const;
/** A call status. */
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

/** Who ended a call. */
export type EndedBy = 'agent' | 'client' | 'system' | 'api';

/** What can happen to a call. */
export type LifecycleEvent =
  | { type: 'link_delivered' }
  | { type: 'client_joined' }
  | { type: 'client_left' }
  | { type: 'end'; by: EndedBy; reason: string };

/** Next status after an event; the same status means nothing changes. */
export function transition(status: CallStatus, event: LifecycleEvent): CallStatus {
  if (status === 'ended') return status;
  switch (event.type) {
    case 'link_delivered':
      return status === 'created' ? 'ringing' : status;
    case 'client_joined':
      return 'active';
    case 'client_left':
      return status === 'active' ? 'client_left' : status;
    case 'end':
      return 'ended';
  }
}

/** True while nobody has joined yet, so the ring timeout applies. */
export function isRinging(status: CallStatus): boolean {
  return status === 'created' || status === 'ringing';
}
