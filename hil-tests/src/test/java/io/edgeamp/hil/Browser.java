package io.edgeamp.hil;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Debian's Chromium driven by Playwright for Java: the driver ships inside the Maven artifact, the
 * browser is /usr/bin/chromium (no download; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 from the pom), a fresh
 * user-data directory per use, everything closed by close() even when the test failed.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Paths.get(System.getProperty("edgeamp.chromium", "/usr/bin/chromium"));
  public final Playwright playwright;
  public final BrowserContext context;
  public final Page page;

  public Browser(Path userDataDir) throws Exception {
    Files.createDirectories(userDataDir);
    Playwright pw = Playwright.create();
    BrowserContext ctx = null;
    try {
      ctx = pw.chromium().launchPersistentContext(userDataDir, new BrowserType.LaunchPersistentContextOptions()
          .setExecutablePath(CHROMIUM).setHeadless(true).setViewportSize(1400, 1000)
          .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync")));
      this.page = ctx.pages().isEmpty() ? ctx.newPage() : ctx.pages().get(0);
    } catch (RuntimeException e) {
      if (ctx != null) {
        ctx.close();
      }
      pw.close();
      throw e;
    }
    this.playwright = pw;
    this.context = ctx;
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      playwright.close();
    }
  }
}
