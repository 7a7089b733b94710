// LiveKit mode placeholder: config refuses LIVEKIT_* for now, so nothing calls this yet.
import type { MediaAdapter } from './media-adapter.js';

/** Settings LiveKit mode will need. */
export interface LivekitSettings {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** Not implemented: a LiveKit adapter will mint room tokens with explicit TTLs and DeleteRoom on end. */
export function createLivekitMedia(_settings: LivekitSettings): MediaAdapter {
  throw new Error('LiveKit media mode is not implemented yet');
}
