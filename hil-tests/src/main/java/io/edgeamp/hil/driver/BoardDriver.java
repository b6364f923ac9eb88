package io.edgeamp.hil.driver;

import io.edgeamp.hil.board.Board;
import java.io.IOException;
import java.nio.file.Path;

/** Flashes a firmware onto a board and opens its harness console (blocking; runs on a worker thread). */
public interface BoardDriver {
  BoardSession open(Board board, Path elf, Timeouts t, Path logDir) throws IOException;
}
