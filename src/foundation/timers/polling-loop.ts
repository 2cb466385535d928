/** Settings of a `PollingLoop`. */
export interface PollingLoopOptions {
  /** Pause between two successful runs. */
  intervalMs: number;
  /** The pause after a successful run, when it depends on what the run saw (default `intervalMs`). */
  nextDelayMs?: () => number;
  /** Longest pause after repeated failures (the pause doubles per failure from `intervalMs`). */
  maxBackoffMs: number;
  /** One run; `signal` fires when the loop is stopped, so a long run can return early. */
  work: (signal: AbortSignal) => Promise<void>;
  /** Told of each failed run and how long the loop will wait before the next. */
  onError: (err: unknown, delayMs: number) => void;
}

/**
 * A cancellable polling loop whose runs never overlap each other or any other task given to `runExclusive`. Failed
 * runs back off exponentially (so a rate-limited L1 endpoint gets room), a success resets the pause. `stop()` aborts
 * the signal the run in progress was given, so the run returns early instead of finishing its work.
 */
export class PollingLoop {
  private tail: Promise<void> = Promise.resolve();
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private wakeUp: (() => void) | undefined;
  private controller = new AbortController();

  constructor(private readonly opts: PollingLoopOptions) {}

  /** Starts polling (no-op when running). */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.controller = new AbortController();
    this.running = this.run();
  }

  /** Stops polling: aborts the run in progress and resolves once it has returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  /** The signal of the current run: fires on `stop()`. */
  get signal(): AbortSignal {
    return this.controller.signal;
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
        const signal = this.controller.signal;
        await this.runExclusive(() => this.opts.work(signal));
        this.failures = 0;
        if (this.opts.nextDelayMs) delay = Math.max(0, this.opts.nextDelayMs());
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
