// Peer-to-peer media over one RTCPeerConnection, signaled through the live socket.
//
// Connection generations: whenever the client (re)appears, the agent alone opens a fresh
// RTCPeerConnection under a new generation id and offers; the client opens its fresh one
// when an offer of a new generation arrives. Every description and candidate carries its
// generation, so nothing of an earlier connection can reach the current one, and the two
// sides never both start a connection at once (an earlier design let both sides open
// fresh connections together; the glare sometimes lost every ICE candidate). Within a
// generation, renegotiation (screen share, camera back on) uses "perfect negotiation"
// with the client as the polite peer.
import type { DirectSignal } from '../../../protocol/live.js';
import { Emitter } from '../emitter.js';
import { classifyMediaError } from '../local-media.js';
import type { ServerMessage } from '../live-connection.js';
import type { Role, TrackSource } from '../types.js';
import type { MediaConnectionState, MediaSession, MediaSessionEvents, RemoteTrack, SignalingChannel, SwitchableSource } from './media-session.js';
import { DEFAULT_CAPTURE, DeviceChoice } from './device-choice.js';
import type { CaptureFunctions } from './device-choice.js';
import { QualityMonitor } from './quality-monitor.js';

/** `data` of a `signal` message in direct mode (schema and sizes in protocol/live.ts). */
export type { DirectSignal };

export type { CaptureFunctions };

/** Options of {@link DirectSession}. */
export interface DirectSessionOptions {
  /** This participant's role; the client is the polite peer. */
  role: Role;
  /** The live connection (or anything with the same `on('message')` / `sendSignal`). */
  signaling: SignalingChannel;
  /** STUN/TURN servers from `credentials.media.iceServers`. */
  iceServers?: RTCIceServer[];
  /** How local tracks are captured; real devices by default. */
  capture?: Partial<CaptureFunctions>;
}

interface LocalSlot {
  track: MediaStreamTrack | null;
  /** Its id is what `sources` announces; the sender keeps it across replaceTrack. */
  stream: MediaStream;
  sender: RTCRtpSender | null;
}

const SOURCES: readonly TrackSource[] = ['microphone', 'camera', 'screen'];

/** The direct-mode {@link MediaSession}. */
export class DirectSession extends Emitter<MediaSessionEvents> implements MediaSession {
  readonly role: Role;
  readonly presenceSource = 'signaling' as const;
  readonly #peerRole: Role;
  readonly #polite: boolean;
  readonly #signaling: SignalingChannel;
  readonly #iceServers: RTCIceServer[];
  readonly #capture: CaptureFunctions;
  readonly #slots: Record<TrackSource, LocalSlot> = {
    microphone: { track: null, stream: new MediaStream(), sender: null },
    camera: { track: null, stream: new MediaStream(), sender: null },
    screen: { track: null, stream: new MediaStream(), sender: null },
  };
  readonly #remoteSources = new Map<string, TrackSource>();
  readonly #remoteTracks = new Map<string, RemoteTrack>();
  readonly #pending = new Map<TrackSource, Promise<void>>();
  readonly #devices = new DeviceChoice();
  readonly #quality = new QualityMonitor({
    getStats: () => this.getStats(),
    onLevel: (level) => {
      this.emit('quality', { side: 'local', level });
      this.#send({ kind: 'quality', level });
    },
  });
  #pc: RTCPeerConnection | null = null;
  /** Generation id of `#pc` (set by the agent's offer). */
  #generation: string | null = null;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswerPending = false;
  #signalQueue: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(options: DirectSessionOptions) {
    super();
    this.role = options.role;
    this.#peerRole = options.role === 'agent' ? 'client' : 'agent';
    this.#polite = options.role === 'client';
    this.#signaling = options.signaling;
    this.#iceServers = options.iceServers ?? [];
    this.#capture = { ...DEFAULT_CAPTURE, ...options.capture };
  }

  /** Starts following the signaling channel. */
  connect(): Promise<void> {
    if (!this.#unsubscribe && !this.#closed) {
      this.#unsubscribe = this.#signaling.on('message', (message) => this.#onMessage(message));
    }
    return Promise.resolve();
  }

  /** The current peer connection's stats (null without a peer). */
  async getStats(): Promise<RTCStatsReport | null> {
    return this.#pc ? this.#pc.getStats() : null;
  }

  localTrack(source: TrackSource): MediaStreamTrack | null {
    const track = this.#slots[source].track;
    return track?.readyState === 'live' ? track : null;
  }

  isEnabled(source: TrackSource): boolean {
    const track = this.localTrack(source);
    return track !== null && track.enabled;
  }

  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#serial('microphone', async () => {
      const track = this.localTrack('microphone');
      if (track) {
        track.enabled = enabled;
      } else if (enabled) {
        await this.#install('microphone', await this.#captureOrThrow('microphone'));
      }
      this.#send({ kind: 'mute', source: 'microphone', muted: !enabled });
      this.emit('local-tracks-changed', { source: 'microphone', track: this.localTrack('microphone') });
    });
  }

  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#serial('camera', async () => {
      if (enabled === this.isEnabled('camera')) return;
      if (enabled) {
        await this.#install('camera', await this.#captureOrThrow('camera'));
      } else {
        // Stopping (not just disabling) the track releases the device: its light goes off.
        await this.#uninstall('camera', false);
      }
      this.#send({ kind: 'mute', source: 'camera', muted: !enabled });
    });
  }

  setScreenShareEnabled(enabled: boolean): Promise<void> {
    return this.#serial('screen', async () => {
      if (enabled === this.isEnabled('screen')) return;
      if (enabled) {
        // A fresh stream per share, so the other side sees a new, correctly labelled track.
        this.#slots.screen.stream = new MediaStream();
        await this.#install('screen', await this.#captureOrThrow('screen'));
      } else {
        await this.#uninstall('screen', true);
      }
    });
  }

  switchDevice(source: SwitchableSource, deviceId: string): Promise<void> {
    return this.#serial(source, async () => {
      const current = this.localTrack(source);
      const track = await this.#devices.choose(source, deviceId, current !== null, () => this.#captureOrThrow(source));
      if (!current || !track) return;
      track.enabled = current.enabled;
      // Same sender: replaceTrack, no renegotiation; the old device is released.
      await this.#install(source, track);
    });
  }

  preferredDevice(source: SwitchableSource): string | null {
    return this.#devices.get(source) ?? null;
  }

  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#quality.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    for (const source of SOURCES) {
      const slot = this.#slots[source];
      slot.track?.stop();
      slot.track = null;
      slot.sender = null;
    }
    this.#closePeer();
    this.emit('connection-state', { state: 'closed' });
  }

  #onMessage(message: ServerMessage): void {
    if (this.#closed) return;
    if (message.type === 'hello') {
      if (message.peers[this.#peerRole]) this.#peerAppeared();
    } else if (message.type === 'presence' && message.role === this.#peerRole) {
      if (message.present) {
        this.#peerAppeared();
      } else {
        this.#closePeer();
        this.emit('quality', { side: 'remote', level: null });
        this.emit('remote-participant', { role: this.#peerRole, present: false });
      }
    } else if (message.type === 'signal' && message.from === this.#peerRole) {
      const data = message.data;
      this.#signalQueue = this.#signalQueue.then(() => this.#onSignal(data)).catch((error: unknown) => this.#fail(error));
    }
  }

  #peerAppeared(): void {
    this.emit('remote-participant', { role: this.#peerRole, present: true });
    // The agent starts the new generation; the client waits for its offer.
    if (!this.#polite) this.#addLocalTracks(this.#openPeer(crypto.randomUUID()));
  }

  /** A fresh RTCPeerConnection for `generation`, replacing any earlier one. */
  #openPeer(generation: string): RTCPeerConnection {
    this.#closePeer();
    const pc = new RTCPeerConnection({ iceServers: this.#iceServers });
    this.#pc = pc;
    this.#generation = generation;
    this.#makingOffer = false;
    this.#ignoreOffer = false;
    this.#settingRemoteAnswerPending = false;
    pc.addEventListener('negotiationneeded', () => void this.#negotiate(pc));
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate && pc === this.#pc) this.#send({ kind: 'candidate', generation, candidate: candidate.toJSON() });
    });
    pc.addEventListener('track', (event) => this.#onTrack(event));
    pc.addEventListener('connectionstatechange', () => {
      if (pc !== this.#pc) return;
      // A network change can break the path; an ICE restart renegotiates it without a new connection.
      if (pc.connectionState === 'failed') pc.restartIce();
      this.emit('connection-state', { state: toConnectionState(pc.connectionState) });
    });
    this.emit('connection-state', { state: 'connecting' });
    this.#quality.start();
    return pc;
  }

  /** Announces the local sources and mute states, then adds the local tracks to `pc`. */
  #addLocalTracks(pc: RTCPeerConnection): void {
    this.#sendSources();
    const mic = this.#slots.microphone.track;
    if (mic) this.#send({ kind: 'mute', source: 'microphone', muted: !mic.enabled });
    this.#send({ kind: 'mute', source: 'camera', muted: !this.isEnabled('camera') });
    if (this.#quality.level) this.#send({ kind: 'quality', level: this.#quality.level });
    for (const source of SOURCES) {
      const slot = this.#slots[source];
      // A track captured while the offer was being applied was added by #install already.
      const added = slot.sender !== null && pc.getSenders().includes(slot.sender);
      if (slot.track && !added) slot.sender = pc.addTrack(slot.track, slot.stream);
    }
  }

  #closePeer(): void {
    const pc = this.#pc;
    if (!pc) return;
    this.#pc = null;
    this.#generation = null;
    this.#quality.stop();
    for (const source of SOURCES) this.#slots[source].sender = null;
    pc.close();
    for (const remote of this.#remoteTracks.values()) this.emit('remote-track-removed', remote);
    this.#remoteTracks.clear();
  }

  async #negotiate(pc: RTCPeerConnection): Promise<void> {
    try {
      this.#makingOffer = true;
      await pc.setLocalDescription();
      if (pc === this.#pc && pc.localDescription && this.#generation) {
        this.#send({ kind: 'description', generation: this.#generation, description: pc.localDescription.toJSON() });
      }
    } catch (error) {
      if (pc === this.#pc) this.#fail(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #onSignal(data: DirectSignal): Promise<void> {
    if (this.#closed) return;
    switch (data.kind) {
      case 'sources':
        for (const [streamId, source] of Object.entries(data.sources)) this.#remoteSources.set(streamId, source);
        return;
      case 'mute':
        this.emit('remote-mute', { source: data.source, muted: data.muted });
        return;
      case 'quality':
        this.emit('quality', { side: 'remote', level: data.level });
        return;
      case 'candidate': {
        const pc = this.#pc;
        // A candidate of an earlier connection: that connection is gone.
        if (!pc || data.generation !== this.#generation) return;
        try {
          await pc.addIceCandidate(data.candidate);
        } catch (error) {
          // Only the candidates of an offer we chose to ignore may fail here.
          if (!this.#ignoreOffer) throw error;
        }
        return;
      }
      case 'description':
        return this.#onDescription(data.description, data.generation);
    }
  }

  async #onDescription(description: RTCSessionDescriptionInit, generation: string): Promise<void> {
    if (generation !== this.#generation) {
      // Only the agent starts generations: the client follows a new one, the agent drops stale ones.
      if (!this.#polite || description.type !== 'offer') return;
      return this.#answerNewGeneration(description, generation);
    }
    const pc = this.#pc;
    if (!pc) return;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) return;
    if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') return;
    this.#settingRemoteAnswerPending = description.type === 'answer';
    await pc.setRemoteDescription(description);
    this.#settingRemoteAnswerPending = false;
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      if (pc === this.#pc && pc.localDescription) this.#send({ kind: 'description', generation, description: pc.localDescription.toJSON() });
    }
  }

  /** Client: a fresh connection for the agent's new generation, answered with the local tracks. */
  async #answerNewGeneration(offer: RTCSessionDescriptionInit, generation: string): Promise<void> {
    const pc = this.#openPeer(generation);
    await pc.setRemoteDescription(offer);
    // Added after the offer, the tracks take over its transceivers: one answer, no glare.
    this.#addLocalTracks(pc);
    await pc.setLocalDescription();
    if (pc === this.#pc && pc.localDescription) this.#send({ kind: 'description', generation, description: pc.localDescription.toJSON() });
  }

  #onTrack(event: RTCTrackEvent): void {
    const { track } = event;
    const stream = event.streams[0] ?? new MediaStream([track]);
    const source = this.#remoteSources.get(stream.id) ?? (track.kind === 'audio' ? 'microphone' : 'camera');
    const remote: RemoteTrack = { track, stream, source };
    this.#remoteTracks.set(track.id, remote);
    stream.addEventListener('removetrack', (removal) => {
      if (removal.track !== track || !this.#remoteTracks.has(track.id)) return;
      this.#remoteTracks.delete(track.id);
      this.emit('remote-track-removed', remote);
    });
    this.emit('remote-track-added', remote);
  }

  async #install(source: TrackSource, track: MediaStreamTrack): Promise<void> {
    if (this.#closed) {
      track.stop();
      return;
    }
    const slot = this.#slots[source];
    slot.track?.stop();
    for (const old of slot.stream.getTracks()) slot.stream.removeTrack(old);
    slot.stream.addTrack(track);
    slot.track = track;
    track.addEventListener('ended', () => void this.#onLocalEnded(source, track));
    const pc = this.#pc;
    if (pc) {
      if (slot.sender && pc.getSenders().includes(slot.sender)) {
        await slot.sender.replaceTrack(track);
      } else {
        this.#sendSources();
        slot.sender = pc.addTrack(track, slot.stream);
      }
    }
    this.emit('local-tracks-changed', { source, track });
  }

  /** Stops a source's track; `removeSender` renegotiates it away (screen), else the sender just goes blank. */
  async #uninstall(source: TrackSource, removeSender: boolean): Promise<void> {
    const slot = this.#slots[source];
    const track = slot.track;
    slot.track = null;
    track?.stop();
    if (track) slot.stream.removeTrack(track);
    const pc = this.#pc;
    if (pc && slot.sender && pc.getSenders().includes(slot.sender) && pc.signalingState !== 'closed') {
      if (removeSender) {
        pc.removeTrack(slot.sender);
        slot.sender = null;
      } else {
        await slot.sender.replaceTrack(null);
      }
    }
    this.emit('local-tracks-changed', { source, track: null });
  }

  async #onLocalEnded(source: TrackSource, track: MediaStreamTrack): Promise<void> {
    if (this.#slots[source].track !== track || this.#closed) return;
    await this.#uninstall(source, source === 'screen');
    if (source !== 'screen') this.#send({ kind: 'mute', source, muted: true });
    this.emit('local-track-ended', { source });
  }

  async #captureOrThrow(source: TrackSource): Promise<MediaStreamTrack> {
    try {
      return await (source === 'screen' ? this.#capture.screen() : this.#capture[source](this.#devices.get(source)));
    } catch (error) {
      throw classifyMediaError(error, source);
    }
  }

  #sendSources(): void {
    const sources: Record<string, TrackSource> = {};
    for (const source of SOURCES) sources[this.#slots[source].stream.id] = source;
    this.#send({ kind: 'sources', sources });
  }

  #send(signal: DirectSignal): void {
    if (!this.#closed) this.#signaling.sendSignal(signal);
  }

  #serial(source: TrackSource, operation: () => Promise<void>): Promise<void> {
    const previous = this.#pending.get(source) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.#pending.set(source, next);
    return next;
  }

  #fail(error: unknown): void {
    this.emit('error', { error: error instanceof Error ? error : new Error(String(error)) });
  }
}

/** ICE `disconnected` is transient by definition (it may come back by itself): `reconnecting`, as in LiveKit mode. */
function toConnectionState(state: RTCPeerConnectionState): MediaConnectionState {
  if (state === 'new') return 'connecting';
  return state === 'disconnected' ? 'reconnecting' : state;
}
