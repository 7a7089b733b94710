// Connection-quality indicators of <call-room> (three bars for this side and for the other side,
// each named for assistive technology and with a tooltip) and the plain-words warnings shown
// while a side's connection is poor.
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { isTerminal } from '../../core/call-state.js';
import type { CallSnapshot } from '../../core/call-session.js';
import type { QualityLevel } from '../../core/quality.js';
import { format, strings } from '../../i18n/index.js';

const BARS: Record<QualityLevel, number> = { good: 3, fair: 2, poor: 1 };

function indicator(side: 'local' | 'remote', level: QualityLevel | null, name: string): TemplateResult {
  const q = strings().inCall.quality;
  const label = format(side === 'local' ? q.local : q.remote, { name, level: q.levels[level ?? 'unknown'] ?? '' });
  const lit = level ? BARS[level] : 0;
  return html`<span part="quality quality-${side}" data-level=${level ?? 'unknown'} role="img" aria-label=${label} title=${label}>
    ${[1, 2, 3].map((bar) => html`<span part="quality-bar${bar <= lit ? ' quality-bar-on' : ''}" style="height:${bar * 4 + 2}px"></span>`)}
  </span>`;
}

/** Both indicators, while the call runs (the other side's once they are there). */
export function renderQuality(snapshot: CallSnapshot | null, otherName: string): TemplateResult | typeof nothing {
  if (!snapshot || isTerminal(snapshot.state) || snapshot.state.status === 'connecting') return nothing;
  const remote = snapshot.state.status === 'connected' || snapshot.quality.remote !== null;
  return html`<span part="qualities">
    ${indicator('local', snapshot.quality.local, otherName)} ${remote ? indicator('remote', snapshot.quality.remote, otherName) : nothing}
  </span>`;
}

/** The warnings for a poor connection, this side's first. */
export function qualityWarnings(snapshot: CallSnapshot | null, otherName: string): TemplateResult[] {
  if (!snapshot || isTerminal(snapshot.state)) return [];
  const q = strings().inCall.quality;
  const lines: TemplateResult[] = [];
  if (snapshot.quality.local === 'poor') lines.push(html`<p part="notice quality-warning quality-warning-local" role="status">${q.poorLocal}</p>`);
  if (snapshot.quality.remote === 'poor') {
    lines.push(html`<p part="notice quality-warning quality-warning-remote" role="status">${format(q.poorRemote, { name: otherName })}</p>`);
  }
  return lines;
}
