import { css } from 'lit';

/** Styles of <call-button>. */
export const callButtonStyles = css`
  :host {
    --call-button-background: #15803d;
    --call-button-color: #fff;
    --call-button-disabled-background: #d1d5db;
    --call-button-disabled-color: #4b5563;
    --call-button-radius: 999px;
    --call-button-font: inherit;
    --call-button-reason-color: #4b5563;
    --call-button-error-color: #b91c1c;
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.25rem;
    font: var(--call-button-font);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 1rem;
    border: none;
    border-radius: var(--call-button-radius);
    background: var(--call-button-background);
    color: var(--call-button-color);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: 2px;
  }
  button:disabled,
  button[aria-disabled='true'] {
    background: var(--call-button-disabled-background);
    color: var(--call-button-disabled-color);
    cursor: not-allowed;
  }
  [part~='icon'] {
    display: inline-flex;
    font-size: 1.2em;
  }
  [part~='reason'] {
    color: var(--call-button-reason-color);
    font-size: 0.85em;
  }
  [part~='error'] {
    color: var(--call-button-error-color);
    font-size: 0.85em;
  }
`;
