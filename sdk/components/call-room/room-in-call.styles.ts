// Styles of the in-call tools: timer, quality bars, devices panel, fixes for blocked devices.
import { css } from 'lit';

/** Styles of room-timer.ts, room-quality.ts, room-devices.ts and room-permission-help.ts. */
export const inCallStyles = css`
  [part~='timer'] {
    flex: none;
    font-variant-numeric: tabular-nums;
    opacity: 0.85;
  }
  [part~='qualities'] {
    flex: none;
    display: inline-flex;
    gap: 0.5rem;
    align-items: flex-end;
  }
  [part~='quality'] {
    display: inline-flex;
    align-items: flex-end;
    gap: 2px;
    height: 14px;
  }
  [part~='quality-bar'] {
    width: 4px;
    border-radius: 1px;
    background: rgb(255 255 255 / 0.3);
  }
  [part~='quality'][data-level='good'] [part~='quality-bar-on'] {
    background: #4ade80;
  }
  [part~='quality'][data-level='fair'] [part~='quality-bar-on'] {
    background: #facc15;
  }
  [part~='quality'][data-level='poor'] [part~='quality-bar-on'] {
    background: #f87171;
  }
  [part~='devices'] {
    flex: none;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: flex-end;
    gap: 0.5rem 1rem;
    padding: 0.5rem 1rem;
    background: rgb(0 0 0 / 0.35);
  }
  [part~='device-field'] {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    font-size: 0.8rem;
    min-width: 0;
    max-width: 100%;
  }
  [part~='device-select'] {
    min-height: 44px;
    max-width: min(18rem, 80vw);
    font: inherit;
    font-size: 0.9rem;
    border-radius: 0.5rem;
  }
  /* The steps to unblock a device, under its message: the same margins as the messages. */
  [part~='fix'] {
    margin: 0;
    padding: 0.4rem 1rem;
    font-size: 0.85rem;
    text-align: center;
    overflow-wrap: anywhere;
  }
`;
