// The stage of <call-room>: the other participant's screen or camera in the main place, the
// small videos, a name label on every video, and a name with an avatar when there is no video.
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { isPeerPresent } from '../../core/call-state.js';
import type { CallSnapshot } from '../../core/call-session.js';
import { format, strings } from '../../i18n/index.js';
import { personIcon } from '../internal/icons.js';
import { initials } from '../internal/initials.js';

/** What the stage renders from. */
export interface StageInput {
  snapshot: CallSnapshot | null;
  /** The other participant's name; null when the call record does not say it. */
  otherName: string | null;
  /** What to call them in labels when their name is unknown ("the client"). */
  fallbackName: string;
  /** A stable stream for a local track (a new MediaStream per render would restart the video). */
  previewStream: (track: MediaStreamTrack) => MediaStream;
}

/** Gives the tile its video's shape, so the tile (and its name label) sits on the picture, not on the letterbox. */
function fitTileToVideo(event: Event): void {
  const video = event.currentTarget as HTMLVideoElement;
  if (video.videoWidth > 0 && video.videoHeight > 0) video.parentElement?.style.setProperty('--video-aspect', String(video.videoWidth / video.videoHeight));
}

/** A video with its visible name label; `parts` go on the video (the tile gets `tile` plus `tileParts`). */
function tile(parts: string, tileParts: string, stream: MediaStream, label: string): TemplateResult {
  return html`<figure part="tile ${tileParts}">
    <video part=${parts} autoplay playsinline muted .srcObject=${stream} @loadedmetadata=${fitTileToVideo} @resize=${fitTileToVideo}></video>
    <figcaption part="video-label" title=${label}>${label}</figcaption>
  </figure>`;
}

/** The stage: main video or placeholder, then the thumbnails. */
export function renderStage(input: StageInput): TemplateResult {
  const { snapshot } = input;
  const name = input.otherName ?? input.fallbackName;
  const screen = snapshot?.remote.screen ?? null;
  const camera = snapshot && !snapshot.remoteMuted.camera ? snapshot.remote.camera : null;
  const localCamera = snapshot?.enabled.camera ? snapshot.local.camera : null;
  const labels = strings().room.videoLabels;
  const thumbnails: TemplateResult[] = [];
  if (screen && camera) thumbnails.push(tile('thumbnail remote-camera', 'thumbnail-tile', camera.stream, format(labels.remoteCamera, { name })));
  if (localCamera) thumbnails.push(tile('thumbnail local-preview', 'thumbnail-tile', input.previewStream(localCamera), labels.localCamera));
  let main: TemplateResult;
  if (screen) main = tile('main-video remote-screen', 'main-tile', screen.stream, format(labels.remoteScreen, { name }));
  else if (camera) main = tile('main-video remote-camera', 'main-tile', camera.stream, format(labels.remoteCamera, { name }));
  else main = renderPlaceholder(input.otherName, snapshot !== null && isPeerPresent(snapshot.state));
  return html`
    <div part="stage" class=${screen && thumbnails.length ? 'sharing' : ''}>
      ${main}
      ${thumbnails.length ? html`<div part="thumbnails">${thumbnails}</div>` : nothing}
    </div>
  `;
}

/** No video of them: who the call is with (the status is in the header, not repeated here). */
function renderPlaceholder(name: string | null, present: boolean): TemplateResult {
  const letters = name ? initials(name) : '';
  return html`<div part="placeholder">
    <div part="avatar" aria-hidden="true">${letters || personIcon}</div>
    ${name ? html`<div part="name" title=${name}>${name}</div>` : nothing}
    ${present ? html`<div part="camera-off">${strings().room.stage.cameraOff}</div>` : nothing}
  </div>`;
}
