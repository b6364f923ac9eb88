package io.edgeamp.core.engine;

/** A model the engine cannot run as given: the message names the node and what is wrong. */
public class EngineException extends RuntimeException {
  public EngineException(String message) {
    super(message);
  }
}
