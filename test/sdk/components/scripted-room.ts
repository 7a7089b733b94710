/**
 * A <call-room> whose session runs the real state machine over scripted transports: a fake live
 * socket, a fake service (fetch) and a media engine the test drives (remote videos on demand,
 * local tracks from canvases). It reaches every status the room can show in a few milliseconds,
 * without a second browser.
 */
import { Emitter } from '../../../sdk/core/emitter.js';
import type { MediaSession, MediaSessionEvents, RemoteTrack } from '../../../sdk/core/media/media-session.js';
import type { CallView, Credentials, Role, TrackSource } from '../../../sdk/core/types.js';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { loadCallRoom } from '../../../sdk/load-call-room.js';
import { FakeSocket } from '../helpers/fake-socket.js';
import { waitFor } from '../helpers/wait.js';
import { setViewport } from '@web/test-runner-commands';

const SERVICE = 'http://svc.test';
let audioContext: AudioContext | null = null;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A live video track painted with a color and a word (a stand-in for a camera or a screen). */
function canvasTrack(color: string, text: string): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext('2d')!;
  context.fillStyle = color;
  context.fillRect(0, 0, 320, 240);
  context.fillStyle = '#fff';
  context.font = '32px sans-serif';
  context.fillText(text, 20, 130);
  return canvas.captureStream(5).getVideoTracks()[0]!;
}

function silentTrack(): MediaStreamTrack {
  audioContext ??= new AudioContext();
  return audioContext.createMediaStreamDestination().stream.getAudioTracks()[0]!;
}

/** A media engine the test drives: `addRemote`, `removeRemote`, `browserStopped`, `lose`. */
export class ScriptedMedia extends Emitter<MediaSessionEvents> implements MediaSession {
  readonly presenceSource = 'signaling' as const;
  readonly #local: Record<TrackSource, MediaStreamTrack | null> = { microphone: null, camera: null, screen: null };
  readonly #remote: Partial<Record<TrackSource, RemoteTrack>> = {};
  #microphoneOn = false;
  /** Sources whose next start the browser refuses (NotAllowedError). */
  readonly refuse = new Set<TrackSource>();

  constructor(readonly role: Role) {
    super();
  }

  async connect(): Promise<void> {}
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    this.#refused('microphone', enabled);
    this.#local.microphone ??= silentTrack();
    this.#local.microphone.enabled = enabled;
    this.#microphoneOn = enabled;
    this.emit('local-tracks-changed', { source: 'microphone', track: this.#local.microphone });
  }
  async setCameraEnabled(enabled: boolean): Promise<void> {
    this.#setVideo('camera', enabled, '#166534', 'my camera');
  }
  async setScreenShareEnabled(enabled: boolean): Promise<void> {
    this.#setVideo('screen', enabled, '#1e3a8a', 'my screen');
  }
  localTrack(source: TrackSource): MediaStreamTrack | null {
    return this.#local[source];
  }
  isEnabled(source: TrackSource): boolean {
    return source === 'microphone' ? this.#microphoneOn && this.#local.microphone !== null : this.#local[source] !== null;
  }
  /** Devices asked for with switchDevice, in order. */
  readonly switched: string[] = [];
  async switchDevice(source: 'microphone' | 'camera', deviceId: string): Promise<void> {
    this.switched.push(`${source}:${deviceId}`);
  }
  preferredDevice(): string | null {
    return null;
  }
  /** Times the room asked to unblock remote audio (after `audio-blocked`). */
  audioStarted = 0;
  async startAudio(): Promise<void> {
    this.audioStarted += 1;
  }
  /** A connection quality measured (`local`) or reported by the other side (`remote`). */
  quality(side: 'local' | 'remote', level: 'good' | 'fair' | 'poor' | null): void {
    this.emit('quality', { side, level });
  }
  getStats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(null);
  }

  disconnect(): void {
    for (const source of ['microphone', 'camera', 'screen'] as const) {
      this.#local[source]?.stop();
      this.#local[source] = null;
    }
  }

  /** The other participant's camera or screen arrives. */
  addRemote(source: TrackSource): RemoteTrack {
    const track = source === 'microphone' ? silentTrack() : canvasTrack(source === 'screen' ? '#7c2d12' : '#334155', `their ${source}`);
    const remote = { track, stream: new MediaStream([track]), source };
    this.#remote[source] = remote;
    this.emit('remote-track-added', remote);
    return remote;
  }
  /** The other participant's camera or screen goes away. */
  removeRemote(source: TrackSource): void {
    const remote = this.#remote[source];
    if (!remote) return;
    delete this.#remote[source];
    this.emit('remote-track-removed', remote);
  }
  /** The browser ended a local track (its "Stop sharing" bar, an unplugged camera). */
  browserStopped(source: TrackSource): void {
    this.#local[source]?.stop();
    this.#local[source] = null;
    this.emit('local-track-ended', { source });
    this.emit('local-tracks-changed', { source, track: null });
  }
  /** The media path died for good. */
  lose(): void {
    this.emit('connection-state', { state: 'disconnected', reason: { code: 'media_lost', message: 'lost' } });
  }

  #refused(source: TrackSource, enabled: boolean): void {
    if (enabled && this.refuse.has(source)) throw new DOMException('Permission denied', 'NotAllowedError');
  }

  #setVideo(source: 'camera' | 'screen', enabled: boolean, color: string, text: string): void {
    this.#refused(source, enabled);
    this.#local[source]?.stop();
    this.#local[source] = enabled ? canvasTrack(color, text) : null;
    this.emit('local-tracks-changed', { source, track: this.#local[source] });
  }
}

/** Options of {@link openScriptedRoom}. */
export interface ScriptedRoomOptions {
  role: Role;
  /** The client's name in the call record (null: unknown). Default "Bob Lambert". */
  clientName?: string | null;
  /** Default "Alice Martin". */
  agentName?: string;
  /** Default video (the camera starts on). */
  media?: CallView['media'];
}

/** A call view of id `c1`. */
export function callView(options: ScriptedRoomOptions, status: CallView['status'] = 'ringing'): CallView {
  return {
    id: 'c1', orgId: 'demo', conversationId: 'conv', clientId: 'client-bob',
    clientName: options.clientName === undefined ? 'Bob Lambert' : options.clientName,
    agentId: 'agent-alice', agentName: options.agentName ?? 'Alice Martin',
    media: options.media ?? 'video', status, linkDelivered: true, createdAt: '', expiresAt: '', endedAt: null, endedBy: null, endReason: null, agentAwaySince: null, invitedAt: '',
  };
}

/** A room on the page and the handles that drive it. */
export interface ScriptedRoom {
  room: CallRoom;
  media: ScriptedMedia;
  /** The current live socket (a reconnect makes a new one). */
  socket: () => FakeSocket;
  /** Opens the socket and says hello; `present`: the other participant is there. */
  hello: (present: boolean) => Promise<void>;
  /** The other participant arrives or leaves. */
  presence: (present: boolean) => Promise<void>;
  /** The service says the call ended. */
  endedRemotely: () => Promise<void>;
  /** Answers the pending END CALL request (agent); until then the room says "Ending the call…". */
  confirmEnd: () => void;
  /** Answers the pending POST /v1/join (client); until then the room is connecting. */
  confirmJoin: () => void;
  /** Waits for the room's status attribute, then for its render. */
  status: (status: string) => Promise<void>;
}

/** Puts a <call-room> on the page (removed by the caller) with scripted transports. */
export async function openScriptedRoom(options: ScriptedRoomOptions): Promise<ScriptedRoom> {
  await loadCallRoom();
  FakeSocket.instances = [];
  const media = new ScriptedMedia(options.role);
  const credentials: Credentials = {
    role: options.role, token: 'call-token', expiresAt: '', liveUrl: 'ws://svc.test/v1/calls/c1/live', media: { mode: 'direct', iceServers: [] },
  };
  // The test answers these two requests when it wants (the room shows connecting / ending until then).
  const joined = deferred();
  const endAnswered = deferred();
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.endsWith('/v1/join')) {
      await joined.promise;
      return json({ call: callView(options), credentials });
    }
    if (url.endsWith('/end')) {
      await endAnswered.promise;
      return json(callView(options, 'ended'));
    }
    if (init?.method === 'POST') return json({ accepted: true }, 202);
    // GET /v1/calls/c1: the call runs (our own connection was the problem).
    return json(callView(options, 'active'));
  };
  const room = document.createElement('call-room');
  room.side = options.role;
  room.serviceUrl = SERVICE;
  room.sessionOptions = { fetch, WebSocket: FakeSocket as unknown as typeof WebSocket, createMedia: () => media };
  if (options.role === 'agent') {
    room.call = callView(options);
    room.credentials = credentials;
  } else {
    room.callId = 'c1';
    room.joinSecret = 'secret';
    // These rooms script the call itself; the pre-join has its own tests (call-room-prejoin.test.ts).
    room.skipPrejoin = true;
  }
  document.body.append(room);
  await room.updateComplete;
  const socket = () => FakeSocket.instances.at(-1)!;
  const other = options.role === 'agent' ? 'client' : 'agent';
  const settle = async () => {
    await room.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  };
  return {
    room,
    media,
    socket,
    async hello(present) {
      // After a drop the connection makes a new socket (after its backoff): say hello on that one.
      await waitFor(() => FakeSocket.instances.at(-1)?.readyState === WebSocket.CONNECTING, 3000, 'a live socket connecting');
      socket().open();
      socket().receive({ type: 'hello', role: options.role, call: callView(options, present ? 'active' : 'ringing'), peers: { agent: other === 'client' || present, client: other === 'agent' || present } });
      await settle();
    },
    async presence(present) {
      socket().receive({ type: 'presence', role: other, present });
      await settle();
    },
    async endedRemotely() {
      socket().receive({ type: 'call', call: callView(options, 'ended') });
      await settle();
    },
    confirmEnd: () => endAnswered.resolve(),
    confirmJoin: () => joined.resolve(),
    async status(status) {
      await waitFor(() => room.getAttribute('status') === status, 3000, `status ${status}`);
      await settle();
    },
  };
}

/**
 * For a describe block: opens scripted rooms and removes every one after each test; `viewport`,
 * when given, is restored after each test too (tests that resize the page).
 */
export function scriptedRooms(viewport?: { width: number; height: number }): (options: ScriptedRoomOptions) => Promise<ScriptedRoom> {
  let opened: ScriptedRoom[] = [];
  afterEach(async () => {
    for (const { room } of opened) room.remove();
    opened = [];
    if (viewport) await setViewport(viewport);
  });
  return async (options) => {
    const scripted = await openScriptedRoom(options);
    opened.push(scripted);
    return scripted;
  };
}
