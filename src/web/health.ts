// /healthz: each part registers a check; the box is ok once every part is up.
export type Check = () => Promise<void> | void;

export class Health {
  private readonly checks = new Map<string, Check>();
  register(name: string, check: Check): void {
    this.checks.set(name, check);
  }
  async report(): Promise<{ status: 'ok' | 'fail'; components: Record<string, string> }> {
    const components: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of this.checks) {
      try {
        await Promise.race([check(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out')), 2000).unref())]);
        components[name] = 'ok';
      } catch (err) {
        ok = false;
        components[name] = `fail: ${(err as Error).message}`;
      }
    }
    return { status: ok ? 'ok' : 'fail', components };
  }
}
