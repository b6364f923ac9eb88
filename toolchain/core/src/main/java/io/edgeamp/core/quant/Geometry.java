package io.edgeamp.core.quant;

/**
 * Window geometry of a conv or pool layer along H (the kernel is (k_h, 1)), as {@code ea_conv_shape_t}
 * / {@code ea_pool_shape_t}: output row oh reads input rows oh*strideH - padTop + i, i &lt; kH, rows
 * outside the input are skipped (conv: zero; max: never win; avg: count as zero); output column ow
 * reads input column ow*strideW. {@code padBottom} is informative (implied by the output height).
 * Resize uses {@code factorH, factorW} (output row o reads input row o / factorH).
 */
public record Geometry(int kH, int strideH, int strideW, int padTop, int padBottom, int factorH, int factorW) {
  public static final Geometry NONE = new Geometry(1, 1, 1, 0, 0, 1, 1);

  public static Geometry window(int kH, int strideH, int strideW, int padTop, int padBottom) {
    return new Geometry(kH, strideH, strideW, padTop, padBottom, 1, 1);
  }

  public static Geometry resize(int factorH, int factorW) {
    return new Geometry(1, 1, 1, 0, 0, factorH, factorW);
  }
}
