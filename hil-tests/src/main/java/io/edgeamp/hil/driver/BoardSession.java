package io.edgeamp.hil.driver;

/** A flashed, booted board with its harness console; closing it stops the emulator / releases the console. */
public interface BoardSession extends AutoCloseable {
  HarnessClient harness();

  @Override
  void close();
}
