package io.edgeamp.core.quant;

/** A model that cannot be quantized for the device, or inconsistent quantization inputs. */
public class QuantException extends RuntimeException {
  public QuantException(String message) {
    super(message);
  }

  public QuantException(String message, Throwable cause) {
    super(message, cause);
  }
}
