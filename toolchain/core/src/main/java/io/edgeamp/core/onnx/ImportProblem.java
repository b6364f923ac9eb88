package io.edgeamp.core.onnx;

/**
 * A problem found while converting one part of a model, before the importer knows the file and node it
 * belongs to; {@link OnnxImporter} turns it into an {@link OnnxFormatException} with that context.
 */
final class ImportProblem extends Exception {
  private static final long serialVersionUID = 1L;

  ImportProblem(String message) {
    super(message);
  }
}
