// What the calls service offers its observers and needs from its surroundings (ports), and the shapes it answers with.
import type { Kysely } from 'kysely';
import type { ClientEventBody } from '../../protocol/call.js';
import type { Config } from '../config.js';
import type { MediaAdapter } from '../media/media-adapter.js';
import type { Database } from '../store/schema.js';
import type { CallView, Credentials } from './call-view.js';
import type { CredentialsIssuer, Role } from './credentials.js';
import type { RecordedEvent } from './events.js';

/** Facts a participant's browser reports (the body of POST /v1/calls/:id/events). */
export type ClientEventInput = ClientEventBody;

/** Who tells the client's presence: the live socket (direct mode) or the media server (LiveKit webhooks). */
export type PresenceSource = 'socket' | 'media';

/** In LiveKit mode the live socket is only a status channel: being in the call means being in the LiveKit room. */
export function presenceSource(media: MediaAdapter): PresenceSource {
  return media.mode === 'livekit' ? 'media' : 'socket';
}

/** Result of creating a call: `created` false when an open call on the conversation was returned. */
export interface CreateCallResult {
  created: boolean;
  call: CallView;
  credentials: Credentials;
  joinUrl: string | null;
}

/** Who observes what the service does (live hub, webhook worker). */
export interface CallsObserver {
  callChanged?(call: CallView): void;
  eventsRecorded?(callId: string, events: RecordedEvent[]): void;
  /** A newer client session took the call over (a join); older ones must stop. */
  clientSessionChanged?(callId: string, sessionId: string): void;
  outboxWritten?(): void;
}

/** What an org decides about its calls: how long a join link lives and how long a call rings unanswered. */
export interface CallPolicy {
  linkTtlSeconds: number;
  ringTimeoutSeconds: number;
}

/** Where the calls service finds an org's call policy (service/orgs/org-directory.ts); null: unknown org. */
export interface CallPolicies {
  policy(orgId: string): Promise<CallPolicy | null>;
}

/** Who is connected to a call's live socket, on any instance (the live bus: presence rows on PostgreSQL). */
export interface LivePresence {
  present(callId: string, role: Role): Promise<boolean>;
}

/** Dependencies of the calls service. */
export interface CallsServiceOptions {
  db: Kysely<Database>;
  /** linkTtlSeconds and ringTimeoutSeconds apply when `orgs` is absent or does not know the org, and to calls made before orgs. */
  config: Pick<Config, 'publicUrl' | 'linkTtlSeconds' | 'ringTimeoutSeconds' | 'agentGraceSeconds' | 'org' | 'serviceSecret'>;
  credentials: CredentialsIssuer;
  media: MediaAdapter;
  /** Per-org link lifetime and ring timeout. */
  orgs?: CallPolicies;
  /** Live presence: an agent present again is not `agent_left`, and a call it is connected to is not abandoned. */
  presence?: LivePresence;
  /** Where failures that answer no request are reported (a pino logger fits): media releases. */
  log?: CallsLog;
  now?: () => Date;
}

/** A logger taking the call id as context, then the message. */
export interface CallsLog {
  warn(context: { callId: string }, message: string): void;
  error(context: { callId: string }, message: string): void;
}
