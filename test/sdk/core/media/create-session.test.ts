import { assert } from '@open-wc/testing';
import { Room } from 'livekit-client';
import { UnsupportedBrowserError, UnsupportedMediaModeError, browserSupportsCalls, createMediaSession, prepareMedia } from '../../../../sdk/core/media/create-session.js';
import { DirectSession } from '../../../../sdk/core/media/direct-session.js';
import { LazyMediaSession } from '../../../../sdk/core/media/lazy-session.js';
import { LiveKitSession } from '../../../../sdk/core/media/livekit-session.js';
import { SignalingRelay } from '../../helpers/signaling-relay.js';
import type { Credentials } from '../../../../sdk/core/types.js';
import { waitFor } from '../../helpers/wait.js';

const credentials = (media: Credentials['media']): Credentials => ({
  role: 'client', token: 't', expiresAt: new Date().toISOString(), liveUrl: 'ws://127.0.0.1:9/x', media,
});

describe('createMediaSession', () => {
  it('makes a DirectSession in direct mode', () => {
    const session = createMediaSession(credentials({ mode: 'direct', iceServers: [] }), new SignalingRelay().client);
    assert.instanceOf(session, DirectSession);
    session.disconnect();
  });

  it('makes a LiveKitSession in livekit mode, loaded behind a session usable at once', async () => {
    const session = createMediaSession(credentials({ mode: 'livekit', url: 'ws://127.0.0.1:9', token: 't' }), new SignalingRelay().client);
    assert.instanceOf(session, LazyMediaSession);
    assert.strictEqual(session.role, 'client');
    await waitFor(() => session.engine !== null, 5000, 'the LiveKit chunk');
    assert.instanceOf(session.engine, LiveKitSession);
    session.disconnect();
  });

  it('prepares nothing in direct mode; in LiveKit mode prepares the very room the call then joins', async () => {
    assert.isNull(prepareMedia(credentials({ mode: 'direct', iceServers: [] })));
    const livekit = credentials({ mode: 'livekit', url: 'ws://127.0.0.1:9', token: 't' });
    const prepared = prepareMedia(livekit)!;
    const room = await prepared.room;
    assert.instanceOf(room, Room);
    const session = createMediaSession(livekit, new SignalingRelay().client, undefined, prepared) as LazyMediaSession;
    await waitFor(() => session.engine !== null, 5000, 'the LiveKit chunk');
    assert.strictEqual((session.engine as LiveKitSession).room, room);
    session.disconnect();
    // A room prepared for another media server is not used.
    const elsewhere = createMediaSession(credentials({ mode: 'livekit', url: 'ws://127.0.0.1:10', token: 't' }), new SignalingRelay().client, undefined, prepared) as LazyMediaSession;
    await waitFor(() => elsewhere.engine !== null, 5000, 'the LiveKit chunk');
    assert.notStrictEqual((elsewhere.engine as LiveKitSession).room, room);
    elsewhere.disconnect();
  });

  it('refuses an unknown media mode with a stable code', () => {
    const media = { mode: 'carrier-pigeon' } as unknown as Credentials['media'];
    const error = (() => {
      try {
        createMediaSession(credentials(media), new SignalingRelay().client);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.instanceOf(error, UnsupportedMediaModeError);
    assert.strictEqual(error.code, 'media_mode_unsupported');
  });

  it('tells a browser without WebRTC or media devices apart from a capable one', () => {
    assert.isTrue(browserSupportsCalls());
    assert.isFalse(browserSupportsCalls({ navigator: { mediaDevices: {} } }));
    assert.isFalse(browserSupportsCalls({ RTCPeerConnection: RTCPeerConnection, navigator: {} }));
  });

  it('refuses with unsupported_browser where WebRTC is missing', () => {
    const original = window.RTCPeerConnection;
    // Simulates a browser without WebRTC for the length of this test.
    (window as { RTCPeerConnection?: unknown }).RTCPeerConnection = undefined;
    try {
      const error = (() => {
        try {
          createMediaSession(credentials({ mode: 'direct', iceServers: [] }), new SignalingRelay().client);
        } catch (e) {
          return e;
        }
        return null;
      })();
      assert.instanceOf(error, UnsupportedBrowserError);
      assert.strictEqual((error).code, 'unsupported_browser');
    } finally {
      window.RTCPeerConnection = original;
    }
  });
});
