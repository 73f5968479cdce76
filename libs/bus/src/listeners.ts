// A typed listener list: a throwing listener is skipped, never breaks the emitter.

export class Listeners<T> {
  private readonly list = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.list.add(listener);
    return () => {
      this.list.delete(listener);
    };
  }

  get size(): number {
    return this.list.size;
  }

  emit(value: T): void {
    for (const listener of [...this.list]) {
      try {
        listener(value);
      } catch {
        // A listener's failure is its own; the others still hear the event.
      }
    }
  }
}
