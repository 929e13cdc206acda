package dev.jconv.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The book's training plot (d2l's Animator): train loss, train accuracy and test accuracy per
 * epoch, on one axis from 0 to max(1, loss), written as a PNG.
 */
final class CurvePlot {
  private static final int W = 640;
  private static final int H = 420;
  private static final int LEFT = 60;
  private static final int RIGHT = 170;
  private static final int TOP = 30;
  private static final int BOTTOM = 50;

  private CurvePlot() {}

  static void write(Path file, String title, List<Training.Epoch> epochs) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int n = epochs.size();
    double yMax = 1;
    for (Training.Epoch e : epochs) {
      yMax = Math.max(yMax, e.loss());
    }
    yMax = Math.ceil(yMax * 2) / 2; // a multiple of 0.5: the five ticks fall on round numbers
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    g.setColor(new Color(230, 230, 230));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 5; i++) {
      double v = yMax * i / 5;
      int y = TOP + plotH - (int) Math.round(plotH * v / yMax);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.1f", v), LEFT - 35, y + 4);
    }
    for (int e = 1; e <= n; e++) {
      int x = LEFT + (int) Math.round(plotW * (double) e / Math.max(1, n));
      g.setColor(new Color(230, 230, 230));
      g.drawLine(x, TOP, x, TOP + plotH);
      g.setColor(Color.DARK_GRAY);
      g.drawString(Integer.toString(e), x - 4, TOP + plotH + 18);
    }
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.drawString("epoch", LEFT + plotW / 2 - 15, H - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT, 20);
    String[] names = {"train loss", "train acc", "test acc"};
    Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
    g.setStroke(new BasicStroke(2f));
    for (int s = 0; s < 3; s++) {
      g.setColor(colors[s]);
      int px = -1;
      int py = -1;
      for (Training.Epoch e : epochs) {
        double v = s == 0 ? e.loss() : s == 1 ? e.trainAcc() : e.testAcc();
        if (Double.isNaN(v)) {
          continue;
        }
        int x = LEFT + (int) Math.round(plotW * (double) e.epoch() / Math.max(1, n));
        int y = TOP + plotH - (int) Math.round(plotH * v / yMax);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        g.fillOval(x - 3, y - 3, 6, 6);
        px = x;
        py = y;
      }
      g.drawLine(LEFT + plotW + 15, TOP + 20 + 22 * s, LEFT + plotW + 40, TOP + 20 + 22 * s);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(names[s], LEFT + plotW + 46, TOP + 24 + 22 * s);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
