package org.cleanbackup.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shape of docs/architecture.md: packages depend in one direction, down the pipeline. Values and callbacks
 * at the bottom; scan, the facts about a file (hash, metadata, dates, perceptual hash), group, plan, execute, undo
 * and report above them; the features that combine stages (organize, compress) on top; then the front door and the
 * command line. Lives in the cli module because it is the one that sees every module's classes.
 */
class ArchitectureTest {

    /** Bottom to top: a layer may use the layers below it, never one above. */
    private static final List<Layer> LAYERS = List.of(
            new Layer("values and callbacks", "org.cleanbackup.model.."),
            new Layer("support", "org.cleanbackup.internal"),
            new Layer("scan", "org.cleanbackup.scan.."),
            new Layer("facts", "org.cleanbackup.hash..", "org.cleanbackup.internal.hash..", "org.cleanbackup.metadata..",
                    "org.cleanbackup.dates..", "org.cleanbackup.phash", "org.cleanbackup.cache..",
                    "org.cleanbackup.companions..", "org.cleanbackup.thumbnail..", "org.cleanbackup.fingerprint.."),
            new Layer("group", "org.cleanbackup.group..", "org.cleanbackup.names..", "org.cleanbackup.similar..",
                    "org.cleanbackup.sound.."),
            new Layer("plan", "org.cleanbackup.plan.."),
            new Layer("execute", "org.cleanbackup.journal..", "org.cleanbackup.execute.."),
            new Layer("undo and report", "org.cleanbackup.undo..", "org.cleanbackup.report.."),
            new Layer("features", "org.cleanbackup.organize..", "org.cleanbackup.compress.."),
            new Layer("front door", "org.cleanbackup"),
            new Layer("command line", "org.cleanbackup.cli.."));

    private static final String PROVIDERS = "perceptual-hash providers";

    private static JavaClasses classes;

    record Layer(String name, String... packages) {
    }

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cleanbackup");
    }

    @Test
    void everyModuleIsImported() {
        // the rules below would pass vacuously on a class path that lacks a module
        for (String type : List.of("org.cleanbackup.CleanBackup", "org.cleanbackup.cli.Main",
                "org.cleanbackup.phash.java.ScalarDctKernel", "org.cleanbackup.phash.nativ.NativeDctKernel", "org.cleanbackup.model.MediaFile")) {
            if (!classes.contain(type)) {
                throw new AssertionError(type + " was not imported");
            }
        }
    }

    @Test
    void layersDependDownwardOnly() {
        LayeredArchitecture rule = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer(PROVIDERS).definedBy("org.cleanbackup.phash.java..", "org.cleanbackup.phash.nativ..");
        for (Layer layer : LAYERS) {
            rule = rule.layer(layer.name()).definedBy(layer.packages());
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            List<String> above = new ArrayList<>();
            LAYERS.subList(i + 1, LAYERS.size()).forEach(l -> above.add(l.name()));
            if (i <= 3 || LAYERS.get(i).name().equals("features")) {
                above.add(PROVIDERS); // a provider decodes and hashes with the facts layer, and compresses JPEGs
            }
            rule = rule.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        rule = rule.whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer(PROVIDERS).mayOnlyBeAccessedByLayers("command line");
        rule.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.cleanbackup.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void thePerceptualHashProvidersAreIndependentOfEachOther() {
        noClasses().that().resideInAPackage("org.cleanbackup.phash.nativ..")
                .should().dependOnClassesThat().resideInAPackage("org.cleanbackup.phash.java..")
                .because("each provider stands alone; core chooses between them by priority")
                .check(classes);
    }

    @Test
    void theCommandLineUsesNoInternals() {
        noClasses().that().resideInAPackage("org.cleanbackup.cli..")
                .should().dependOnClassesThat().resideInAPackage("..internal..")
                .because("the command is a client of the library's API")
                .check(classes);
    }
}
