package org.tandemcds.explain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.SaliencyMap.Point;
import org.tandemcds.domain.SaliencyMap.Region;

/**
 * The lesion region of a saliency grid when the map is peaked: the 4-connected cells around the
 * peak whose value is at least {@code level} of the peak; the map counts as peaked when that region
 * covers at most {@code maxShare} of the grid. Box and contour (the convex hull of the region's
 * cells, Andrew's monotone chain) are in original pixel coordinates.
 */
final class Regions {
  private final double level;
  private final double maxShare;

  Regions(double level, double maxShare) {
    this.level = level;
    this.maxShare = maxShare;
  }

  /** Tandem's defaults: half the peak, at most a quarter of the image. */
  static Regions standard() {
    return new Regions(0.5, 0.25);
  }

  Optional<Region> find(
      float[] grid, int gridRows, int gridColumns, int imageRows, int imageColumns) {
    int peak = Maps.argmax(grid);
    if (grid[peak] <= 0) {
      return Optional.empty();
    }
    boolean[] in = component(grid, gridRows, gridColumns, peak, grid[peak] * level);
    int count = 0;
    int r0 = gridRows;
    int c0 = gridColumns;
    int r1 = -1;
    int c1 = -1;
    List<Point> corners = new ArrayList<>();
    for (int r = 0; r < gridRows; r++) {
      for (int c = 0; c < gridColumns; c++) {
        if (in[r * gridColumns + c]) {
          count++;
          r0 = Math.min(r0, r);
          c0 = Math.min(c0, c);
          r1 = Math.max(r1, r);
          c1 = Math.max(c1, c);
          for (int dr = 0; dr <= 1; dr++) {
            for (int dc = 0; dc <= 1; dc++) {
              corners.add(
                  new Point(
                      edge(c + dc, gridColumns, imageColumns), edge(r + dr, gridRows, imageRows)));
            }
          }
        }
      }
    }
    if (count > maxShare * gridRows * gridColumns) {
      return Optional.empty();
    }
    int left = edge(c0, gridColumns, imageColumns);
    int top = edge(r0, gridRows, imageRows);
    return Optional.of(
        new Region(
            left,
            top,
            edge(c1 + 1, gridColumns, imageColumns) - left,
            edge(r1 + 1, gridRows, imageRows) - top,
            hull(corners)));
  }

  /** Pixel position of grid line {@code i} of {@code cells}, clamped to the last pixel. */
  private static int edge(int i, int cells, int pixels) {
    return (int) Math.min(pixels - 1, (long) i * pixels / cells);
  }

  private static boolean[] component(float[] grid, int rows, int columns, int seed, double min) {
    boolean[] in = new boolean[grid.length];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    in[seed] = true;
    queue.add(seed);
    while (!queue.isEmpty()) {
      int at = queue.poll();
      int r = at / columns;
      int c = at % columns;
      int[][] next = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
      for (int[] n : next) {
        if (n[0] >= 0 && n[0] < rows && n[1] >= 0 && n[1] < columns) {
          int i = n[0] * columns + n[1];
          if (!in[i] && grid[i] >= min) {
            in[i] = true;
            queue.add(i);
          }
        }
      }
    }
    return in;
  }

  /** Convex hull, counter-clockwise in image coordinates, no repeated first point. */
  static List<Point> hull(List<Point> points) {
    List<Point> sorted =
        points.stream()
            .distinct()
            .sorted(Comparator.comparingInt(Point::column).thenComparingInt(Point::row))
            .toList();
    if (sorted.size() < 3) {
      return sorted;
    }
    List<Point> lower = chain(sorted);
    List<Point> reversed = new ArrayList<>(sorted);
    java.util.Collections.reverse(reversed);
    List<Point> upper = chain(reversed);
    List<Point> out = new ArrayList<>(lower.subList(0, lower.size() - 1));
    out.addAll(upper.subList(0, upper.size() - 1));
    return out;
  }

  private static List<Point> chain(List<Point> points) {
    List<Point> out = new ArrayList<>();
    for (Point p : points) {
      while (out.size() >= 2 && cross(out.get(out.size() - 2), out.get(out.size() - 1), p) <= 0) {
        out.remove(out.size() - 1);
      }
      out.add(p);
    }
    return out;
  }

  private static long cross(Point o, Point a, Point b) {
    return (long) (a.column() - o.column()) * (b.row() - o.row())
        - (long) (a.row() - o.row()) * (b.column() - o.column());
  }
}
