// Picks the media adapter the config asks for.
import type { Config } from '../config.js';
import { createDirectMedia } from './direct.js';
import { createLivekitMedia, type MediaLog } from './livekit.js';
import type { MediaAdapter } from './media-adapter.js';

/** The media adapter for this config: peer-to-peer (direct) or a LiveKit server. */
export function createMedia(config: Pick<Config, 'media' | 'ringTimeoutSeconds'>, log?: MediaLog): MediaAdapter {
  if (config.media.mode === 'livekit') return createLivekitMedia({ ...config.media, ringTimeoutSeconds: config.ringTimeoutSeconds }, log);
  return createDirectMedia(config.media.iceServers);
}
