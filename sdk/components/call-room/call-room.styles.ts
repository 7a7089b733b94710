import { css } from 'lit';
import { roomStageStyles } from './room-stage.styles.js';

// Mobile first: one column (header, stage, messages, banner, controls) where only the stage
// shrinks, so the status and the controls stay on screen from 360 px wide to desktop, in
// portrait and in landscape (a phone on its side is ~390 px tall).
const roomLayoutStyles = css`
  :host {
    --call-room-z-index: 2147483000;
    --call-room-background: #0b1020;
    --call-room-color: #f9fafb;
    --call-room-control-background: #1f2937;
    --call-room-control-active-background: #374151;
    --call-room-control-off-background: #b91c1c;
    --call-room-end-background: #dc2626;
    --call-room-rejoin-background: #2563eb;
    --call-room-presenting-background: #1d4ed8;
    --call-room-avatar-background: #4338ca;
    --call-room-control-size: 44px;
    --call-room-thumbnail-width: 12rem;
    --call-room-font: system-ui, sans-serif;
    --call-room-radius: 0.75rem;
    --call-room-docked-width: 22rem;
    --call-room-docked-height: 26rem;
    --call-room-docked-inset: auto 1rem 1rem auto;
    position: fixed;
    inset: 0;
    z-index: var(--call-room-z-index);
    display: block;
    background: var(--call-room-background);
    color: var(--call-room-color);
    font-family: var(--call-room-font);
  }
  /* Docked: a panel in the bottom right corner; the page around it stays usable. */
  :host([docked]) {
    inset: var(--call-room-docked-inset);
    width: min(var(--call-room-docked-width), calc(100vw - 2rem));
    height: min(var(--call-room-docked-height), calc(100dvh - 2rem));
    /* A pill-shaped theme (--call-room-radius: 999px) keeps a panel with corners. */
    border-radius: min(var(--call-room-radius), 1.5rem);
    overflow: hidden;
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.45);
  }
  /* Docked: the header is the handle the panel is dragged by (sdk/components/internal/dock-drag.ts). */
  :host([docked]) [part~='header'] {
    cursor: move;
    touch-action: none;
    user-select: none;
  }
  [part~='overlay'] {
    display: flex;
    flex-direction: column;
    height: 100%;
    box-sizing: border-box;
    padding: env(safe-area-inset-top, 0) env(safe-area-inset-right, 0) env(safe-area-inset-bottom, 0) env(safe-area-inset-left, 0);
    outline: none;
    /* The controls adapt to the room's width (a phone, or the docked panel), not the window's. */
    container: room / inline-size;
  }
  [part~='header'] {
    flex: none;
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.25rem 1rem;
    padding: 0.5rem 1rem;
  }
  [part~='title'] {
    flex: 1 1 12rem;
    min-width: 0;
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part~='dock'],
  [part~='undock'] {
    flex: none;
    flex-direction: row;
    padding-block: 0.25rem;
  }
  [part~='status'] {
    /* A basis, not its text's width: a long status wraps inside its box instead of pushing the
       header's buttons (Minimize) onto a second line on a desktop. */
    flex: 1 1 12rem;
    min-width: 0;
    max-width: 100%;
    overflow-wrap: anywhere;
  }
  :host([status='failed']) [part~='status'] {
    color: #fecaca;
    font-weight: 600;
  }
  [part~='messages'] {
    flex: 0 1 auto;
    /* Many notices at once scroll here rather than push the controls off a short screen. */
    max-height: 30%;
    overflow-y: auto;
  }
  [part~='notice'],
  [part~='error'] {
    margin: 0;
    padding: 0.4rem 1rem;
    text-align: center;
    overflow-wrap: anywhere;
  }
  [part~='error'] {
    background: #7f1d1d;
  }
  [part~='presenting'] {
    flex: none;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: center;
    gap: 0.5rem 1rem;
    padding: 0.25rem 1rem;
    background: var(--call-room-presenting-background);
    font-weight: 600;
  }
  [part~='controls'] {
    flex: none;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5rem;
    padding: 0.75rem;
  }
  button {
    box-sizing: border-box;
    display: inline-flex;
    flex-direction: column;
    justify-content: center;
    align-items: center;
    gap: 0.2rem;
    min-width: var(--call-room-control-size);
    min-height: var(--call-room-control-size);
    padding: 0.5rem 0.75rem;
    border: none;
    border-radius: var(--call-room-radius);
    background: var(--call-room-control-background);
    color: inherit;
    font: inherit;
    font-size: 0.8rem;
    line-height: 1.2;
    text-align: center;
    cursor: pointer;
  }
  [part~='controls'] button {
    flex: 0 1 6.5rem;
  }
  button svg {
    flex: none;
    font-size: 1.5rem;
  }
  [part~='microphone'][aria-pressed='false'],
  [part~='camera'][aria-pressed='false'] {
    background: var(--call-room-control-off-background);
  }
  button[aria-pressed='true'][part~='screen'] {
    background: var(--call-room-control-active-background);
    outline: 2px solid #93c5fd;
    outline-offset: -2px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible {
    outline: 3px solid #facc15;
    outline-offset: 2px;
  }
  [part~='end'] {
    background: var(--call-room-end-background);
    font-weight: 700;
  }
  /* A failed call: trying again is the way forward, closing is no longer destructive. */
  [part~='rejoin'] {
    background: var(--call-room-rejoin-background);
    font-weight: 700;
  }
  :host([status='failed']) [part~='end'] {
    background: var(--call-room-control-background);
  }
  [part~='stop-presenting'] {
    flex-direction: row;
    padding-inline: 1.25rem;
    background: #fff;
    color: #1e3a8a;
    font-weight: 700;
  }
  /* "Send the link again" (agent, ringing): centred like the notices, never against the edge. */
  [part~='resend'] {
    flex: none;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: center;
    gap: 0.5rem;
    padding: 0.25rem 1rem 0.5rem;
  }
  [part~='resend'] [part~='resend-failed'] {
    flex: 1 1 100%;
  }
  [part~='enable-sound'] {
    flex: none;
    align-self: center;
    margin: 0.5rem;
    background: #2563eb;
    font-size: 0.9rem;
  }
  audio {
    display: none;
  }
  /* A phone or the docked panel: four controls share one row, their labels wrap inside. */
  @container room (max-width: 480px) {
    [part~='controls'] {
      gap: 0.4rem;
      padding: 0.5rem;
    }
    [part~='controls'] button {
      position: relative;
      flex: 1 1 0;
      padding: 0.4rem 0.25rem;
      font-size: 0.72rem;
    }
    [part~='control-label'] {
      max-width: 100%;
      overflow-wrap: break-word;
    }
    /*
     * Five or six controls (the agent's) leave 50–60 px each, too narrow for "Microphone": the icons
     * stay, their words become the tooltip and the accessible name only (visually hidden).
     */
    [part~='controls']:has(> button:nth-of-type(5)) > button:has(> svg) > [part~='control-label'] {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  }
  /* A phone: the docked panel leaves the top half of the page visible. */
  @media (max-width: 480px) {
    :host([docked]) {
      height: min(var(--call-room-docked-height), 55dvh);
    }
  }
  /* A phone on its side: little height, so the bars get thinner and the icons smaller. */
  @media (max-height: 480px) {
    [part~='header'] {
      padding-block: 0.25rem;
    }
    [part~='controls'] {
      padding-block: 0.25rem;
    }
    [part~='controls'] button {
      flex-direction: row;
      gap: 0.4rem;
    }
    button svg {
      font-size: 1.25rem;
    }
  }
`;

/** Styles of <call-room>. */
export const callRoomStyles = [roomLayoutStyles, roomStageStyles];
