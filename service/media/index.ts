// Picks the media adapter the config asks for.
import type { Config } from '../config.js';
import { createDirectMedia } from './direct.js';
import type { MediaAdapter } from './media-adapter.js';

/** The media adapter for this config (only direct mode exists; config refuses livekit). */
export function createMedia(config: Pick<Config, 'media'>): MediaAdapter {
  return createDirectMedia(config.media.iceServers);
}
