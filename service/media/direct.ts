// Direct mode: peer-to-peer WebRTC, signaling over the live socket, ICE servers from config.
import type { IceServer } from '../config.js';
import type { CredentialsMedia, MediaAdapter } from './media-adapter.js';

/** A media adapter for peer-to-peer calls: it only hands out ICE servers. */
export function createDirectMedia(iceServers: IceServer[]): MediaAdapter {
  const media: CredentialsMedia = { mode: 'direct', iceServers };
  return {
    mode: 'direct',
    prepareCall: () => Promise.resolve(),
    credentialsMedia: () => Promise.resolve(structuredClone(media)),
    releaseCall: () => Promise.resolve(),
    // Peer-to-peer media has nothing on a server to lose.
    restoreCalls: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
}
