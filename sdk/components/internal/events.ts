// One typed event class per event; all bubble and cross shadow roots.
import type { CallView } from '../../core/types.js';

/** Detail of `call-created`. */
export interface CallCreatedDetail {
  call: CallView;
  /** The join link; null when the service returned an already-open call. */
  joinUrl: string | null;
}

/** Fired by <call-button> once the call exists and its room is open. */
export class CallCreatedEvent extends CustomEvent<CallCreatedDetail> {
  static readonly eventName = 'call-created';
  constructor(detail: CallCreatedDetail) {
    super(CallCreatedEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

/** Detail of `call-ended`. */
export interface CallEndedDetail {
  /** The call's id, when known. */
  callId: string | null;
  /** `local`: this participant ended/left; `remote`: the other side or the service did; `failed`: the call could not continue. */
  cause: 'local' | 'remote' | 'failed';
  /** The last known call record. */
  call: CallView | null;
}

/** Fired by <call-room> (and re-fired by <call-button>) when the call ends for any reason. */
export class CallEndedEvent extends CustomEvent<CallEndedDetail> {
  static readonly eventName = 'call-ended';
  constructor(detail: CallEndedDetail) {
    super(CallEndedEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

/** Detail of `call-error`. */
export interface CallErrorDetail {
  /** Stable code (`unauthorized`, `network_error`, `client_not_selected`…). */
  code: string;
  /** Human message, as shown. */
  message: string;
  /** HTTP status; 0 for a network failure. */
  status: number;
  /** For the integrator, not the agent: the service's own explanation (e.g. `unexpected "aud" claim value`). */
  reason: string;
}

/** Fired by <call-button> when a call could not be created. */
export class CallErrorEvent extends CustomEvent<CallErrorDetail> {
  static readonly eventName = 'call-error';
  constructor(detail: CallErrorDetail) {
    super(CallErrorEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'call-created': CallCreatedEvent;
    'call-ended': CallEndedEvent;
    'call-error': CallErrorEvent;
  }
}
