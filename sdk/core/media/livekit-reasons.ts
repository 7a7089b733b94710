// Why a LiveKit room closed or refused us, in words the call screen and the logs can use.
// (English here because they explain a server-side fact; the UI may map `code` to its own text.)
import { ConnectionError, ConnectionErrorReason, DisconnectReason } from 'livekit-client';
import type { MediaDisconnectReason } from './media-session.js';

const DISCONNECT_REASONS: Partial<Record<DisconnectReason, MediaDisconnectReason>> = {
  [DisconnectReason.CLIENT_INITIATED]: { code: 'client_initiated', message: 'You left the call.' },
  [DisconnectReason.DUPLICATE_IDENTITY]: { code: 'duplicate_identity', message: 'This call was opened in another tab or on another device.' },
  [DisconnectReason.SERVER_SHUTDOWN]: { code: 'server_shutdown', message: 'The media server shut down.' },
  [DisconnectReason.PARTICIPANT_REMOVED]: { code: 'participant_removed', message: 'You were removed from the call.' },
  [DisconnectReason.ROOM_DELETED]: { code: 'room_deleted', message: 'The call was ended.' },
  [DisconnectReason.ROOM_CLOSED]: { code: 'room_closed', message: 'The call was closed because everyone left.' },
  [DisconnectReason.STATE_MISMATCH]: { code: 'state_mismatch', message: 'The media server lost this session; rejoin the call.' },
  [DisconnectReason.JOIN_FAILURE]: { code: 'join_failure', message: 'Could not join the call’s media.' },
  [DisconnectReason.SIGNAL_CLOSE]: { code: 'signal_closed', message: 'The connection to the media server was lost.' },
  [DisconnectReason.CONNECTION_TIMEOUT]: { code: 'connection_timeout', message: 'The connection to the media server timed out.' },
  [DisconnectReason.MEDIA_FAILURE]: { code: 'media_failure', message: 'Audio and video stopped flowing.' },
};

const UNKNOWN: MediaDisconnectReason = { code: 'unknown', message: 'The connection to the media server closed.' };

/** A human reason for LiveKit's `RoomEvent.Disconnected` reason. */
export function describeDisconnect(reason: DisconnectReason | undefined): MediaDisconnectReason {
  return (reason === undefined ? undefined : DISCONNECT_REASONS[reason]) ?? UNKNOWN;
}

/** A human reason for a failed `room.connect()`. */
export function describeConnectFailure(error: unknown): MediaDisconnectReason {
  if (!(error instanceof ConnectionError)) return { code: 'join_failure', message: DISCONNECT_REASONS[DisconnectReason.JOIN_FAILURE]!.message };
  switch (error.reason) {
    case ConnectionErrorReason.NotAllowed:
      // The server answers 401 to a bad or expired token and 404 to a room that does not exist (any more).
      return error.status === 404
        ? { code: 'room_not_found', message: 'This call’s media room no longer exists.' }
        : { code: 'not_allowed', message: 'The media server refused this call’s credentials.' };
    case ConnectionErrorReason.ServerUnreachable:
    case ConnectionErrorReason.WebSocket:
      return { code: 'server_unreachable', message: 'The media server cannot be reached.' };
    case ConnectionErrorReason.Timeout:
      return { code: 'connection_timeout', message: DISCONNECT_REASONS[DisconnectReason.CONNECTION_TIMEOUT]!.message };
    case ConnectionErrorReason.LeaveRequest:
      return describeDisconnect(error.context as DisconnectReason);
    case ConnectionErrorReason.Cancelled:
      return { code: 'cancelled', message: 'Joining the call’s media was cancelled.' };
    default:
      return { code: 'join_failure', message: DISCONNECT_REASONS[DisconnectReason.JOIN_FAILURE]!.message };
  }
}
