import { css } from 'lit';

/** Styles of <call-room>. */
export const callRoomStyles = css`
  :host {
    --call-room-z-index: 2147483000;
    --call-room-background: #0b1020;
    --call-room-color: #f9fafb;
    --call-room-control-background: #1f2937;
    --call-room-control-active-background: #374151;
    --call-room-control-off-background: #b91c1c;
    --call-room-end-background: #dc2626;
    --call-room-thumbnail-width: 12rem;
    --call-room-font: system-ui, sans-serif;
    position: fixed;
    inset: 0;
    z-index: var(--call-room-z-index);
    display: block;
    background: var(--call-room-background);
    color: var(--call-room-color);
    font-family: var(--call-room-font);
  }
  [part~='overlay'] {
    display: grid;
    grid-template-rows: auto 1fr auto auto;
    height: 100%;
  }
  [part~='header'] {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 1rem;
    padding: 0.75rem 1rem;
  }
  [part~='title'] {
    font-weight: 600;
  }
  [part~='stage'] {
    position: relative;
    min-height: 0;
    overflow: hidden;
    display: grid;
    place-items: center;
  }
  [part~='main-video'] {
    /* Out of the flow, so a big remote video never pushes the controls off screen. */
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: contain;
    background: #000;
  }
  [part~='placeholder'] {
    font-size: 1.25rem;
    opacity: 0.8;
    text-align: center;
    padding: 1rem;
  }
  [part~='thumbnails'] {
    position: absolute;
    right: 1rem;
    bottom: 1rem;
    display: flex;
    gap: 0.5rem;
  }
  [part~='thumbnail'] {
    width: var(--call-room-thumbnail-width);
    aspect-ratio: 4 / 3;
    max-width: 30vw;
    object-fit: cover;
    border-radius: 0.5rem;
    background: #000;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.5);
  }
  [part~='local-preview'] {
    transform: scaleX(-1);
  }
  [part~='notice'],
  [part~='error'] {
    margin: 0;
    padding: 0.5rem 1rem;
    text-align: center;
  }
  [part~='error'] {
    background: #7f1d1d;
  }
  [part~='controls'] {
    display: flex;
    justify-content: center;
    gap: 0.75rem;
    padding: 1rem;
  }
  button {
    display: inline-flex;
    flex-direction: column;
    align-items: center;
    gap: 0.25rem;
    min-width: 5.5rem;
    padding: 0.6rem 0.9rem;
    border: none;
    border-radius: 0.75rem;
    background: var(--call-room-control-background);
    color: inherit;
    font: inherit;
    font-size: 0.8rem;
    cursor: pointer;
  }
  button svg {
    font-size: 1.5rem;
  }
  [part~='microphone'][aria-pressed='false'],
  [part~='camera'][aria-pressed='false'] {
    background: var(--call-room-control-off-background);
  }
  button[aria-pressed='true'][part~='screen'] {
    background: var(--call-room-control-active-background);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: 2px;
  }
  [part~='end'] {
    background: var(--call-room-end-background);
    font-weight: 700;
  }
  [part~='enable-sound'] {
    justify-self: center;
    margin: 0.5rem;
    background: #2563eb;
    font-size: 0.9rem;
  }
  audio {
    display: none;
  }
`;
