/**
 * Sleeps that can be cut short: a loop idles with `sleep` and whoever has news (a new message, a
 * stop, a drain) ends every pending sleep with `wakeAll`.
 */
export class Sleepers {
  private readonly pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise<void>((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.pending.delete(finish);
        done();
      };
      const timer = setTimeout(finish, ms);
      this.pending.add(finish);
    });
  }

  wakeAll(): void {
    for (const finish of [...this.pending]) finish();
  }
}
