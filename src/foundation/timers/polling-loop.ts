/** Settings of a `PollingLoop`. */
export interface PollingLoopOptions {
  /** Pause between two successful runs. */
  intervalMs: number;
  /** Longest pause after repeated failures (the pause doubles per failure from `intervalMs`). */
  maxBackoffMs: number;
  work: () => Promise<void>;
  /** Told of each failed run and how long the loop will wait before the next. */
  onError: (err: unknown, delayMs: number) => void;
}

/**
 * A cancellable polling loop whose runs never overlap each other or any other task given to `runExclusive`. Failed
 * runs back off exponentially (so a rate-limited L1 endpoint gets room), a success resets the pause.
 */
export class PollingLoop {
  private tail: Promise<void> = Promise.resolve();
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly opts: PollingLoopOptions) {}

  /** Starts polling (no-op when running). */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.run();
  }

  /** Stops polling; resolves once the run in progress has returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  /** Ends the current pause early. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Runs `fn` after every run or task before it has finished (a mutex). */
  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let delay = this.opts.intervalMs;
      try {
        await this.runExclusive(this.opts.work);
        this.failures = 0;
      } catch (err) {
        this.failures++;
        delay = Math.min(this.opts.maxBackoffMs, this.opts.intervalMs * 2 ** Math.min(this.failures, 20));
        if (!this.stopped) this.opts.onError(err, delay);
      }
      if (this.stopped) break;
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
