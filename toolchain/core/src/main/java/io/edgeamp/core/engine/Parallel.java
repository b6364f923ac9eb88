package io.edgeamp.core.engine;

import java.util.stream.IntStream;

/**
 * Splits work over the batch. Chunks are fixed by size, not by thread count, and partial results are
 * reduced in chunk order, so results are bit-identical however many cores run them.
 */
final class Parallel {
  private Parallel() {}

  interface ChunkBody {
    void run(int chunk, int from, int to);
  }

  static int chunks(int n, int chunkSize) {
    return (n + chunkSize - 1) / chunkSize;
  }

  static void forChunks(int n, int chunkSize, ChunkBody body) {
    int chunks = chunks(n, chunkSize);
    if (chunks <= 1) {
      if (n > 0) body.run(0, 0, n);
      return;
    }
    IntStream.range(0, chunks).parallel().forEach(c -> body.run(c, c * chunkSize, Math.min(n, (c + 1) * chunkSize)));
  }

  /** Samples per chunk: enough work per task to amortise scheduling, and at least two chunks. */
  static int chunkSize(int batch, long workPerSample) {
    int bySize = (int) Math.max(1, 200_000 / Math.max(1, workPerSample));
    return Math.max(1, Math.min(bySize, (batch + 1) / 2));
  }
}
