import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

export { Registry };
export type { Counter, Gauge, Histogram } from 'prom-client';

/**
 * Where a component registers its metrics. The composition root passes the node's registry (served on
 * `GET /metrics`); a component built without one (a test, a tool) gets a private registry, so there is no global one.
 */
export type MetricsRegistry = Registry;

/** What every metric name looks like: `aztec_<module>_<what>[_<unit>]`, snake_case. */
const NAME = /^aztec_[a-z0-9]+(?:_[a-z0-9]+)*$/;

type Config<C> = Omit<C, 'registers'>;

/**
 * Registers a metric on `registry` (or returns the one already registered there under that name, so two components
 * sharing a registry share the series). Names must follow `NAME`; HELP text is required by the types.
 */
function register<M>(registry: Registry, name: string, kind: abstract new (...args: never[]) => M, make: () => M): M {
  if (!NAME.test(name)) throw new Error(`metric name ${name} must be snake_case and start with aztec_`);
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return make();
  if (existing instanceof kind) return existing;
  throw new Error(`metric ${name} is already registered with another type`);
}

/** A counter on `registry`. */
export function counter<L extends string = string>(
  registry: Registry,
  config: Config<CounterConfiguration<L>>,
): Counter<L> {
  return register(registry, config.name, Counter<L>, () => new Counter<L>({ ...config, registers: [registry] }));
}

/** A gauge on `registry`; give it `collect` to read the value when scraped. */
export function gauge<L extends string = string>(registry: Registry, config: Config<GaugeConfiguration<L>>): Gauge<L> {
  return register(registry, config.name, Gauge<L>, () => new Gauge<L>({ ...config, registers: [registry] }));
}

/** A histogram on `registry` (durations in seconds, as the name says). */
export function histogram<L extends string = string>(
  registry: Registry,
  config: Config<HistogramConfiguration<L>>,
): Histogram<L> {
  return register(registry, config.name, Histogram<L>, () => new Histogram<L>({ ...config, registers: [registry] }));
}
