// Polls a peer connection's statistics and reports this side's connection quality when it
// changes (direct mode; LiveKit mode takes the quality the media server computes).
import { classifyQuality, sampleFromStats } from '../quality.js';
import type { PacketTotals, QualityLevel } from '../quality.js';

/** How often the statistics are read. */
export const QUALITY_INTERVAL_MS = 2000;

/** Options of {@link QualityMonitor}. */
export interface QualityMonitorOptions {
  /** The current connection's stats; null while there is none. */
  getStats: () => Promise<RTCStatsReport | null>;
  /** Called with each new level (null: nothing measured, e.g. no connection). */
  onLevel: (level: QualityLevel | null) => void;
  intervalMs?: number;
}

/** Reads stats every {@link QUALITY_INTERVAL_MS} while started. */
export class QualityMonitor {
  readonly #opts: QualityMonitorOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #totals: PacketTotals | null = null;
  #level: QualityLevel | null = null;

  constructor(options: QualityMonitorOptions) {
    this.#opts = options;
  }

  /** The last level reported. */
  get level(): QualityLevel | null {
    return this.#level;
  }

  /** Starts polling (again); a new connection starts its loss count afresh. */
  start(): void {
    this.stop();
    this.#totals = null;
    this.#timer = setInterval(() => void this.#poll(), this.#opts.intervalMs ?? QUALITY_INTERVAL_MS);
  }

  /** Stops polling and forgets the level. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#set(null);
  }

  async #poll(): Promise<void> {
    let report: RTCStatsReport | null;
    try {
      report = await this.#opts.getStats();
    } catch {
      report = null;
    }
    if (this.#timer === undefined) return;
    if (!report) return this.#set(null);
    const { sample, totals } = sampleFromStats(report, this.#totals);
    this.#totals = totals;
    this.#set(classifyQuality(sample));
  }

  #set(level: QualityLevel | null): void {
    if (level === this.#level) return;
    this.#level = level;
    this.#opts.onLevel(level);
  }
}
