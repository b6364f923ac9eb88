package io.edgeamp.core.artifact;

/** A quantized-model artifact that cannot be written or read; the message names the file (and layer). */
public class ArtifactException extends RuntimeException {
  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
