import { errorMessage } from '../foundation/errors/index.js';
import type { Logger } from '../foundation/log/index.js';

/**
 * What a composition root started, to stop in reverse order: on shutdown, and when a later start fails (so a
 * failed start leaves nothing running).
 */
export class Lifecycle {
  private readonly stops: { name: string; stop: () => Promise<void> | void }[] = [];

  constructor(private readonly log: Logger) {}

  /** Registers something started; returns it. */
  add<T>(name: string, value: T, stop: (v: T) => Promise<void> | void): T {
    this.stops.push({ name, stop: () => stop(value) });
    return value;
  }

  /** Stops everything, last started first; a failing stop is logged and the rest still stop. */
  async stopAll(): Promise<void> {
    while (this.stops.length > 0) {
      const { name, stop } = this.stops.pop()!;
      try {
        await stop();
        this.log.debug(`Stopped ${name}`);
      } catch (err) {
        this.log.error(`Failed to stop ${name}`, { error: errorMessage(err) });
      }
    }
  }
}
