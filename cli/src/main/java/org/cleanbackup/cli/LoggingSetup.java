package org.cleanbackup.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback from the command-line flags, in code: parsing an XML configuration costs start-up time that a
 * command run many times a day should not pay. The terminal gets warnings (errors with {@code --quiet}, info with
 * {@code --verbose}); the log file gets {@code --log-level}, in UTF-8.
 */
final class LoggingSetup {

    private static volatile boolean verbose;

    private LoggingSetup() {
    }

    static boolean verbose() {
        return verbose;
    }

    /** Applies the flags. A log file that cannot be created is reported once and the run goes on without it. */
    static void apply(CommonOptions options) {
        verbose = options.verbose;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level fileLevel = Level.toLevel(options.logLevel.toUpperCase(Locale.ROOT), null);
        if (fileLevel == null) {
            throw new UserException("unknown --log-level '" + options.logLevel + "' (error, warn, info, debug, trace)");
        }
        Level consoleLevel = options.quiet ? Level.ERROR : options.verbose ? Level.DEBUG : Level.WARN;
        root.setLevel(fileLevel.toInt() < consoleLevel.toInt() ? fileLevel : consoleLevel);

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder(context, "%-5level %msg%n"));
        console.addFilter(threshold(context, consoleLevel));
        console.start();
        root.addAppender(console);

        Path file = options.logFile != null ? options.logFile : AppDirs.fromEnvironment().logs()
                .resolve("cleanbackup-" + LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".log");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setContext(context);
            appender.setFile(file.toString());
            appender.setAppend(true);
            appender.setEncoder(encoder(context, "%d{ISO8601} [%thread] %-5level %logger{20} - %msg%n"));
            appender.addFilter(threshold(context, fileLevel));
            appender.start();
            root.addAppender(appender);
        } catch (Exception e) {
            root.warn("cannot write the log file {}: {}", file, e.getMessage());
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static ThresholdFilter threshold(LoggerContext context, Level level) {
        ThresholdFilter filter = new ThresholdFilter();
        filter.setContext(context);
        filter.setLevel(level.levelStr);
        filter.start();
        return filter;
    }
}
