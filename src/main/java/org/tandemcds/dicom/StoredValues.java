package org.tandemcds.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts PixelMed's PixelData value into one single-sample array per frame. Monochrome 16-bit data of
 * one frame is handed on without a copy; colour is reduced to luminance (ITU-R BT.601: Y = 0.299 R
 * + 0.587 G + 0.114 B, rounded; YBR data uses its Y sample as is).
 */
final class StoredValues {
  /** Sample {@code i} of the PixelData value as an unsigned integer. */
  private interface Samples {
    int at(int i);
  }

  private StoredValues() {}

  static List<short[]> frames(PixelDescription p, short[] words) {
    int size = p.rows() * p.columns();
    if (!p.fromColour()) {
      return p.numberOfFrames() == 1 && words.length == size
          ? List.of(words)
          : split(words, size, p);
    }
    return luminance(p, i -> words[i] & 0xFFFF);
  }

  static List<short[]> frames(PixelDescription p, byte[] bytes) {
    if (p.fromColour()) {
      return luminance(p, i -> bytes[i] & 0xFF);
    }
    int size = p.rows() * p.columns();
    List<short[]> frames = new ArrayList<>(p.numberOfFrames());
    for (int f = 0; f < p.numberOfFrames(); f++) {
      short[] frame = new short[size];
      for (int i = 0, at = f * size; i < size; i++, at++) {
        frame[i] = (short) (bytes[at] & 0xFF);
      }
      frames.add(frame);
    }
    return frames;
  }

  private static List<short[]> split(short[] words, int size, PixelDescription p) {
    List<short[]> frames = new ArrayList<>(p.numberOfFrames());
    for (int f = 0; f < p.numberOfFrames(); f++) {
      frames.add(Arrays.copyOfRange(words, f * size, (f + 1) * size));
    }
    return frames;
  }

  private static List<short[]> luminance(PixelDescription p, Samples samples) {
    List<short[]> frames = new ArrayList<>(p.numberOfFrames());
    for (int f = 0; f < p.numberOfFrames(); f++) {
      frames.add(luminanceFrame(p, samples, f));
    }
    return frames;
  }

  private static short[] luminanceFrame(PixelDescription p, Samples samples, int frame) {
    int size = p.rows() * p.columns();
    short[] out = new short[size];
    String pi = p.photometricInterpretation();
    if ("YBR_FULL_422".equals(pi)) {
      int base = frame * size * 2;
      for (int i = 0; i < size; i++) {
        out[i] = (short) samples.at(base + (i / 2) * 4 + (i % 2));
      }
    } else if (pi.startsWith("YBR")) {
      copyFirstSample(samples, out, frame * size * 3, p.planarConfiguration());
    } else {
      rgbToLuminance(samples, out, frame * size * 3, p.planarConfiguration());
    }
    return out;
  }

  private static void copyFirstSample(Samples samples, short[] out, int base, int planar) {
    int step = planar == 1 ? 1 : 3;
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) samples.at(base + i * step);
    }
  }

  private static void rgbToLuminance(Samples samples, short[] out, int base, int planar) {
    int n = out.length;
    for (int i = 0; i < n; i++) {
      int r = planar == 1 ? samples.at(base + i) : samples.at(base + 3 * i);
      int g = planar == 1 ? samples.at(base + n + i) : samples.at(base + 3 * i + 1);
      int b = planar == 1 ? samples.at(base + 2 * n + i) : samples.at(base + 3 * i + 2);
      out[i] = (short) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
}
