/**
 * Small bodies kept in memory by blob id, within a byte budget, oldest out first. A blob's bytes
 * never change (a new body is a new blob), so entries need no invalidation: a removed blob's entry
 * is simply never asked for again and ages out.
 */
export class SmallBodyCache {
  private readonly bodies = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(blobId: string): Buffer | undefined {
    return this.bodies.get(blobId);
  }

  put(blobId: string, body: Buffer): void {
    if (body.length > this.budget / 16 || this.bodies.has(blobId)) return;
    this.bodies.set(blobId, body);
    this.bytes += body.length;
    for (const [oldest, oldBody] of this.bodies) {
      if (this.bytes <= this.budget) break;
      this.bodies.delete(oldest);
      this.bytes -= oldBody.length;
    }
  }
}
