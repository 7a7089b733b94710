import { css } from 'lit';

// The pre-join screen: one scrolling column that fits 360 px wide, portrait or landscape; the
// preview shrinks first, the Join button stays reachable; every control is at least 44 px.
export const roomPrejoinStyles = css`
  [part~='prejoin'] {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.75rem;
    padding: 0.5rem 1rem;
    box-sizing: border-box;
  }
  [part~='prejoin-media'],
  [part~='prejoin-settings'] {
    width: min(100%, 32rem);
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    box-sizing: border-box;
  }
  /* A phone on its side: the preview beside the settings, so both fit its ~390 px height. */
  @media (orientation: landscape) and (max-height: 500px) {
    [part~='prejoin'] {
      flex-direction: row;
      align-items: flex-start;
      justify-content: center;
    }
    [part~='prejoin-media'] [part~='prejoin-preview'],
    [part~='prejoin-media'] [part~='prejoin-preview-off'] {
      max-height: 55dvh;
    }
  }
  [part~='prejoin-footer'] {
    flex: none;
    display: flex;
    justify-content: center;
    padding: 0.5rem 1rem 0.75rem;
  }
  [part~='prejoin-footer'] [part~='join'] {
    width: min(100%, 20rem);
  }
  [part~='prejoin-intro'],
  [part~='prejoin-audio-only'],
  [part~='prejoin-hint'] {
    margin: 0;
    text-align: center;
  }
  [part~='prejoin-preview'],
  [part~='prejoin-preview-off'] {
    flex: 0 1 auto;
    aspect-ratio: 4 / 3;
    max-height: 40dvh;
    width: 100%;
    min-height: 6rem;
    object-fit: cover;
    border-radius: 0.75rem;
    background: #111827;
  }
  [part~='prejoin-preview'] {
    /* A mirror, as people expect to see themselves. */
    transform: scaleX(-1);
  }
  [part~='prejoin-preview-off'] {
    display: grid;
    place-items: center;
    color: #d1d5db;
  }
  [part~='meter'] {
    flex: none;
    height: 0.5rem;
    border-radius: 0.25rem;
    background: #374151;
    overflow: hidden;
  }
  [part~='meter-fill'] {
    height: 100%;
    background: #22c55e;
    transition: width 80ms linear;
  }
  [part~='prejoin-errors'] {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  [part~='prejoin-error'] {
    margin: 0;
    padding: 0.4rem 0.75rem;
    border-radius: 0.5rem;
    background: #7f1d1d;
    overflow-wrap: anywhere;
  }
  [part~='device-selects'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
    gap: 0.5rem;
  }
  [part~='device-label'] {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    font-size: 0.875rem;
    min-width: 0;
  }
  [part~='device-select'] {
    min-height: var(--call-room-control-size);
    min-width: 0;
    font: inherit;
    border-radius: 0.5rem;
    padding: 0 0.5rem;
    background: var(--call-room-control-background);
    color: inherit;
    border: 1px solid #4b5563;
  }
  [part~='prejoin-choices'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  [part~='choice'] {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: var(--call-room-control-size);
    cursor: pointer;
  }
  [part~='choice'] input {
    width: 1.5rem;
    height: 1.5rem;
    margin: 0;
  }
  [part~='join'] {
    flex: none;
    min-height: var(--call-room-control-size);
    border: none;
    border-radius: 999px;
    font: inherit;
    font-weight: 700;
    color: #fff;
    background: var(--call-room-join-background, #15803d);
    cursor: pointer;
  }
  [part~='join']:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  [part~='join']:focus-visible,
  [part~='device-select']:focus-visible,
  [part~='choice'] input:focus-visible {
    outline: 3px solid #93c5fd;
    outline-offset: 2px;
  }
`;
