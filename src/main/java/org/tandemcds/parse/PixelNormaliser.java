package org.tandemcds.parse;

import java.util.ArrayList;
import java.util.List;
import org.tandemcds.dicom.DecodedImage;
import org.tandemcds.dicom.PixelDescription;
import org.tandemcds.dicom.VoiLut;
import org.tandemcds.domain.Frame;

/**
 * Turns stored pixel values into {@link Frame}s of floats in [0, 1], 0 displayed black.
 *
 * <p>Per frame: stored value → bits HighBit−BitsStored+1 … HighBit extracted, sign-extended when
 * PixelRepresentation is 1 → modality LUT (RescaleSlope, RescaleIntercept) → VOI, in this order of
 * preference: (1) the first WindowCenter / WindowWidth pair with the VOILUTFunction LINEAR,
 * LINEAR_EXACT or SIGMOID formulas of PS3.3 C.11.2.1.2 (an unknown function is treated as LINEAR);
 * (2) the first VOI LUT Sequence item (input: the modality value, rounded; LUT Descriptor's first
 * mapped value read as signed when PixelRepresentation is 1; output divided by 2^bits − 1); (3) the
 * frame's own 0.5 – 99.5 % percentiles of the modality values (nearest rank), mapped linearly to
 * [0, 1] and clamped (a constant frame becomes all 0) → MONOCHROME1 inverted (1 − y).
 *
 * <p>Because every step depends only on the stored value, the whole chain is evaluated once per
 * possible stored value into a lookup table of at most 65536 floats, and each pixel costs one
 * shift, one mask and one table read. Temporary memory per frame: the table and, for the percentile
 * window, a histogram of the same length; never a copy of the image. Thread-safe (immutable).
 */
public final class PixelNormaliser {
  private final double lowPercentile;
  private final double highPercentile;

  /** Percentiles in percent, e.g. 0.5 and 99.5, used when the image gives no VOI. */
  public PixelNormaliser(double lowPercentile, double highPercentile) {
    if (!(0 <= lowPercentile && lowPercentile < highPercentile && highPercentile <= 100)) {
      throw new IllegalArgumentException("percentiles " + lowPercentile + ", " + highPercentile);
    }
    this.lowPercentile = lowPercentile;
    this.highPercentile = highPercentile;
  }

  /** All frames of an image, in order. */
  public List<Frame> normalise(DecodedImage image) {
    List<Frame> frames = new ArrayList<>(image.frames().size());
    for (short[] stored : image.frames()) {
      frames.add(normalise(image.pixels(), stored));
    }
    return frames;
  }

  /** One frame of {@code rows × columns} stored values, one sample per pixel. */
  public Frame normalise(PixelDescription p, short[] stored) {
    int size = p.rows() * p.columns();
    if (stored.length < size) {
      throw new IllegalArgumentException(stored.length + " stored values for " + size + " pixels");
    }
    StoredBits bits = new StoredBits(p);
    float[] table = table(p, bits, stored, size);
    float[] out = new float[size];
    int shift = bits.shift;
    int mask = bits.mask;
    for (int i = 0; i < size; i++) {
      out[i] = table[(stored[i] >>> shift) & mask];
    }
    return new Frame(p.rows(), p.columns(), out);
  }

  private float[] table(PixelDescription p, StoredBits bits, short[] stored, int size) {
    Voi voi = chooseVoi(p, bits, stored, size);
    float[] table = new float[bits.mask + 1];
    for (int index = 0; index <= bits.mask; index++) {
      double modality = p.rescaleSlope() * bits.value(index) + p.rescaleIntercept();
      double y = voi.apply(modality);
      table[index] = (float) (p.inverted() ? 1 - y : y);
    }
    return table;
  }

  private Voi chooseVoi(PixelDescription p, StoredBits bits, short[] stored, int size) {
    if (p.windowCenters().length > 0 && p.windowWidths().length > 0) {
      Voi window = Window.of(p.windowCenters()[0], p.windowWidths()[0], p.voiLutFunction());
      if (window != null) {
        return window;
      }
    }
    if (p.voiLut().isPresent()) {
      return lut(p.voiLut().get(), p.pixelRepresentation() == 1);
    }
    return percentiles(p, bits, stored, size);
  }

  private static Voi lut(VoiLut lut, boolean signedFirst) {
    int first = signedFirst ? (short) lut.firstMapped() : lut.firstMapped();
    double top = (1 << lut.bitsPerEntry()) - 1;
    int[] data = lut.data();
    int last = lut.entries() - 1;
    return x -> {
      long index = Math.round(x) - first;
      int at = (int) Math.max(0, Math.min(last, index));
      return Math.min(1, data[at] / top);
    };
  }

  private Voi percentiles(PixelDescription p, StoredBits bits, short[] stored, int size) {
    int[] histogram = new int[bits.mask + 1];
    for (int i = 0; i < size; i++) {
      histogram[(stored[i] >>> bits.shift) & bits.mask]++;
    }
    int low = bits.valueAtRank(histogram, rank(lowPercentile, size));
    int high = bits.valueAtRank(histogram, rank(highPercentile, size));
    double a = p.rescaleSlope() * low + p.rescaleIntercept();
    double b = p.rescaleSlope() * high + p.rescaleIntercept();
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    return x -> hi <= lo ? (x > lo ? 1 : 0) : Math.max(0, Math.min(1, (x - lo) / (hi - lo)));
  }

  /** Nearest rank (1-based) of a percentile among {@code n} values. */
  private static long rank(double percent, int n) {
    return Math.max(1, Math.min(n, (long) Math.ceil(percent / 100 * n)));
  }

  /** A VOI transform from a modality value to [0, 1]. */
  interface Voi {
    double apply(double modalityValue);
  }

  /** Where the stored bits sit in a 16-bit word, and their value as a signed or unsigned number. */
  private static final class StoredBits {
    final int shift;
    final int mask;
    final int bitsStored;
    final boolean signed;

    StoredBits(PixelDescription p) {
      bitsStored = p.bitsStored();
      shift = p.highBit() - p.bitsStored() + 1;
      mask = (1 << p.bitsStored()) - 1;
      signed = p.pixelRepresentation() == 1;
    }

    int value(int index) {
      return signed ? (index << (32 - bitsStored)) >> (32 - bitsStored) : index;
    }

    /** The stored value with the given 1-based rank, counting in value order. */
    int valueAtRank(int[] histogram, long rank) {
      long seen = 0;
      int start = signed ? 1 << (bitsStored - 1) : 0;
      for (int k = 0; k <= mask; k++) {
        int index = (start + k) & mask;
        seen += histogram[index];
        if (seen >= rank) {
          return value(index);
        }
      }
      return value((start + mask) & mask);
    }
  }
}
