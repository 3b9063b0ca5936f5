
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Test knobs a simulator reads on every API call: settings that start off and can be changed or reset. */
export class KnobSettingsStore<T extends object> {
  private settings: T;

  constructor(private readonly off: T) {
    this.settings = { ...off };
  }

  get(): T {
    return { ...this.settings };
  }

  update(changes: Partial<T>): T {
    this.settings = { ...this.settings, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) };
    return this.get();
  }

  reset(): void {
    this.settings = { ...this.off };
  }
}
