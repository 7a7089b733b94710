// Wire types of the Switchboard service. Defined once, as schemas, in protocol/; imported here
// as types only, so they cost the bundle nothing (lint refuses a value import from protocol/).

export type {
  CallEvent,
  CallMedia,
  CallView,
  ClientEventBody as CallEventReport,
  CreateCallResult,
  Credentials,
  JoinResult,
  MediaSettings,
  Role,
  TrackSource,
} from '../../protocol/call.js';
