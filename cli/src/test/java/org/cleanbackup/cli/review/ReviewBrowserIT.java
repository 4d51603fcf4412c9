package org.cleanbackup.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review as a person meets it, in a real browser: Debian's headless Chromium, driven through
 * {@code /usr/bin/chromedriver} by Selenium. It opens a review of a tree with identical copies and look-alikes,
 * chooses another copy to keep, marks a pair "not duplicates", applies, checks the disk, undoes, checks again, and
 * saves screenshots in {@code target/screenshots} (the docs show some of them). Skipped, with the reason, where
 * chromium or chromedriver is not installed ({@code apt-get install chromium chromium-driver}; {@code .ci/run} does).
 */
class ReviewBrowserIT {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    private final CleanBackup library = CleanBackup.builder().build();
    private Path photos;
    private Review review;
    private ReviewServer server;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no " + CHROMEDRIVER + " (apt-get install chromium-driver)");
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium)");
        photos = ReviewTrees.exactPairs(dir);
        BufferedImage beach = ReviewTrees.picture(3, 800, 600);
        jpeg(beach, photos.resolve("c/beach.jpg"), 0.95f);
        jpeg(beach, photos.resolve("c/beach-small-q50.jpg"), 0.5f);
        DedupePlan plan = library.dedupe(request());
        review = Review.of(plan, library, () -> library.openJournal(dir.resolve("journal.db"),
                CleanBackup.IfMissing.CREATE, note -> { }), org.cleanbackup.thumbnail.Thumbnails.create(null));
        assertThat(review.size()).isEqualTo(3);
        server = review.serve();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class); // a decision redraws its group
    }

    /** Look-alike mode: identical copies are look-alikes at distance 0, so the one review shows both kinds. */
    private DedupeRequest request() {
        return DedupeRequest.of(photos).withMode(DedupeRequest.Mode.SIMILAR)
                .rememberingNotDuplicates(dir.resolve("cache.db")).withHashCache(dir.resolve("cache.db"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
            review.stop(30_000);
        }
    }

    @Test
    void aPersonChoosesMarksAppliesAndUndoesInTheBrowser() throws IOException {
        browser.get(server.url().toString());
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("section.group"), 3));
        wait.until(d -> d.findElements(By.cssSelector("section.group img")).stream()
                .allMatch(img -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img))));
        screenshot("review-groups");

        Review.Entry sunset = entryWith("sunset.jpg");
        Review.Entry lake = entryWith("lake.jpg");
        Review.Entry beach = entryWith("beach.jpg");
        // the copy the tool would not keep is the one chosen
        Review.Item chosen = sunset.items().stream().filter(i -> !i.id().equals(sunset.keeper().id())).findFirst()
                .orElseThrow();
        Path chosenPath = chosen.file().path();
        Path toolsKeeper = sunset.keeper().file().path();
        click(group(sunset).findElement(By.cssSelector("button.keep-this[data-id='" + chosen.id() + "']")));
        wait.until(d -> group(sunset).findElement(By.cssSelector("figure[data-id='" + chosen.id() + "']"))
                .getAttribute("class").contains("keep"));
        assertThat(group(sunset).getText()).contains("you chose the copy that stays");

        click(group(lake).findElement(By.cssSelector("button.not-dup")));
        wait.until(d -> !group(lake).findElements(By.cssSelector(".not-dup-badge")).isEmpty());

        // the larger view: open on the look-alike, flip to the other copy with the keyboard, close
        click(group(beach).findElements(By.cssSelector(".pic")).get(1));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("viewer-image")));
        String first = browser.findElement(By.id("viewer-image")).getAttribute("src");
        browser.findElement(By.tagName("body")).sendKeys("f");
        wait.until(d -> !d.findElement(By.id("viewer-image")).getAttribute("src").equals(first));
        screenshot("review-viewer");
        browser.findElement(By.id("viewer-close")).click();

        Path beachDuplicate = beach.items().stream().filter(i -> !i.id().equals(beach.keeper().id())).findFirst()
                .orElseThrow().file().path();
        assertThat(toolsKeeper).as("nothing changes before Apply").exists();
        browser.findElement(By.id("apply")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-stage", "applied"));
        screenshot("review-applied");
        assertThat(chosenPath).exists();
        assertThat(toolsKeeper).as("the copy the person did not choose went to the trash").doesNotExist();
        assertThat(beachDuplicate).doesNotExist();
        assertThat(beach.keeper().file().path()).exists();
        lake.items().forEach(i -> assertThat(i.file().path()).as("marked not duplicates: left alone").exists());

        browser.findElement(By.id("undo")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-stage", "undone"));
        assertThat(toolsKeeper).exists();
        assertThat(beachDuplicate).exists();
        assertThat(chosenPath).exists();

        // a later scan no longer offers the pair marked not duplicates
        List<String> later = library.dedupe(request()).groups().stream()
                .flatMap(g -> java.util.stream.Stream.concat(java.util.stream.Stream.of(g.keep()), g.duplicates().stream()))
                .map(f -> f.path().getFileName().toString()).toList();
        assertThat(later).contains("beach.jpg").doesNotContain("lake.jpg", "lake copy.jpg");
    }

    @Test
    void theKeyboardMovesBetweenGroupsAndChoosesTheKeeper() {
        browser.get(server.url().toString());
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("section.group"), 3));
        WebElement body = browser.findElement(By.tagName("body"));
        body.sendKeys("j");
        wait.until(d -> d.findElements(By.cssSelector("section.group")).get(1).getAttribute("class").contains("focused"));
        body.sendKeys("2");
        // The group is drawn again once the choice lands: read its index from whichever element stands now.
        int index = wait.until(d -> Integer.valueOf(
                d.findElements(By.cssSelector("section.group")).get(1).getAttribute("data-index")));
        wait.until(d -> review.keeper(review.entries().get(index)).equals(review.entries().get(index).items().get(1).id()));
        body.sendKeys("x");
        wait.until(d -> review.leftOut(index));
        body.sendKeys(Keys.ARROW_UP);
        wait.until(d -> d.findElements(By.cssSelector("section.group")).get(0).getAttribute("class").contains("focused"));
        body.sendKeys("?");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("help")));
    }

    @Test
    void theStaticPageRendersItsGroupsWithNoServer() throws IOException {
        Path page = dir.resolve("plan.html");
        review.writeHtml(page);
        server.close(); // nothing to talk to: the page must stand alone
        browser.get(page.toUri().toString());
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("section.group"), 3));
        wait.until(d -> d.findElements(By.cssSelector("section.group img")).stream()
                .allMatch(img -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img))));
        assertThat(browser.findElements(By.cssSelector("button.keep-this"))).as("read-only").isEmpty();
        assertThat(browser.findElement(By.id("summary")).getText()).contains("3 group(s)");
    }

    private Review.Entry entryWith(String name) {
        return review.entries().stream().filter(e -> e.items().stream()
                .anyMatch(i -> i.file().path().getFileName().toString().equals(name))).findFirst().orElseThrow();
    }

    /** Clicks {@code e} once it is scrolled to the middle (the page's header stays on top and would take the click). */
    private void click(WebElement e) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private WebElement group(Review.Entry e) {
        return browser.findElement(By.id("group-" + e.index()));
    }

    private void screenshot(String name) throws IOException {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void jpeg(BufferedImage image, Path file, float quality) throws IOException {
        Files.createDirectories(file.getParent());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
