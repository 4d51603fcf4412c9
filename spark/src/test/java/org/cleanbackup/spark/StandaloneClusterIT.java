package org.cleanbackup.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster: a Spark master and a worker, each a JVM of its own on 127.0.0.1 started
 * from the test class path; the worker starts the executor JVM. The driver is this JVM (client mode, as
 * {@code spark-submit --deploy-mode client}). The groups equal the local tool's.
 */
class StandaloneClusterIT {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process p : processes.reversed()) {
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theJobRunsOnAMasterAndAWorkerInOtherJvms() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        DedupeJobTest.makeTree(tree);
        // The worker builds the executor's class path from SPARK_HOME/jars (empty here) plus the application's
        // spark.executor.extraClassPath: this test's class path.
        Path home = Files.createDirectories(dir.resolve("spark-home/jars"));
        int port = freePort();
        Process master = start("master", home.getParent(), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        awaitLog("master", "I have been elected leader", master);
        String url = "spark://127.0.0.1:" + port;
        Process worker = start("worker", home.getParent(), "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", "2", "--memory", "1g", "--webui-port", String.valueOf(freePort()),
                "--work-dir", dir.resolve("work").toString(), url);
        awaitLog("worker", "Successfully registered with master", worker);

        String flags = System.getProperty("spark.jvm.flags");
        Path out = dir.resolve("out");
        DedupeJob.Summary summary;
        try (SparkSession spark = DedupeJob.configure(SparkSession.builder().master(url))
                .appName("StandaloneClusterIT")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.memory", "512m")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", flags)
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString())
                .getOrCreate()) {
            summary = DedupeJob.run(spark,
                    JobOptions.parse("dedupe", "--input", tree.toUri().toString(), "--output", out.toString()));
            // the work ran in the worker's executor, not in this JVM
            assertThat(spark.sparkContext().getExecutorMemoryStatus().size()).isGreaterThan(1);
        }
        DedupePlan local = CleanBackup.builder().build().dedupe(org.cleanbackup.DedupeRequest.of(tree));
        assertThat(summary.exactGroups()).isEqualTo(local.groups().size()).isPositive();
        assertThat(summary.similarGroups()).isPositive();
        assertThat(out.resolve("plan.json")).isRegularFile();
        try (var logs = Files.walk(dir.resolve("work"))) {
            assertThat(logs.filter(p -> p.getFileName().toString().equals("stderr")).toList())
                    .as("an executor of the worker ran").isNotEmpty();
        }
    }

    private Process start(String name, Path sparkHome, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.flags").trim().split("\\s+")));
        // their own log at INFO (the tests' log4j2.properties says WARN): the lines awaited below
        Path logConfig = dir.resolve("log4j2-cluster.properties");
        Files.writeString(logConfig, String.join("\n", "rootLogger.level = info",
                "rootLogger.appenderRef.stdout.ref = console", "appender.console.type = Console",
                "appender.console.name = console", "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n", ""));
        command.add("-Dlog4j.configurationFile=" + logConfig.toUri());
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        // without a Spark distribution the launcher's class path builder asks which Scala build to look for
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void awaitLog(String name, String line, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Path log = dir.resolve(name + ".log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the " + name + " did not say '" + line + "':\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
