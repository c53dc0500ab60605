// Whether this instance is shutting down: GET /health/ready answers 503 from the first moment, so a
// load balancer stops sending before the listener closes.
export class ShutdownState {
  private reason: string | null = null;

  get draining(): boolean {
    return this.reason !== null;
  }

  get why(): string | null {
    return this.reason;
  }

  begin(reason: string): void {
    this.reason ??= reason;
  }
}
