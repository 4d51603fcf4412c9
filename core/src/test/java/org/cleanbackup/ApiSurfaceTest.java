package org.cleanbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the library's API small (docs/architecture.md, "API"): the front door's public signatures name only API
 * types, and each example of README's "For Java developers" needs imports from at most three of our packages.
 */
class ApiSurfaceTest {

    /** The packages a caller of the front door may meet; the others (internal, cache, metadata, companions) are not API. */
    static final Set<String> API_PACKAGES = Set.of("org.cleanbackup", "org.cleanbackup.model", "org.cleanbackup.scan",
            "org.cleanbackup.hash", "org.cleanbackup.dates", "org.cleanbackup.phash", "org.cleanbackup.group",
            "org.cleanbackup.similar", "org.cleanbackup.names", "org.cleanbackup.plan", "org.cleanbackup.execute",
            "org.cleanbackup.journal", "org.cleanbackup.undo", "org.cleanbackup.report", "org.cleanbackup.organize",
            "org.cleanbackup.compress", "org.cleanbackup.thumbnail", "org.cleanbackup.sound",
            "org.cleanbackup.fingerprint");

    private static final int MAX_PACKAGES_PER_EXAMPLE = 3;

    /** Every class of core's main output, by name (top-level and nested). */
    private static List<String> coreClasses() throws IOException, URISyntaxException {
        Path root = Path.of(CleanBackup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).map(Path::toString).filter(f -> f.endsWith(".class"))
                    .filter(f -> !f.endsWith("package-info.class") && !f.endsWith("module-info.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.')).sorted().toList();
        }
    }

    @Test
    void theFrontDoorNamesOnlyApiTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        int types = 0;
        for (String name : coreClasses()) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (!type.getPackageName().equals("org.cleanbackup") || !isPublicFromOutside(type)) {
                continue;
            }
            types++;
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    check(m.getGenericReturnType(), m.toGenericString(), leaks);
                    checkSignature(m, leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers()) && !c.isSynthetic()) {
                    checkSignature(c, leaks);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) && !f.isSynthetic()) {
                    check(f.getGenericType(), f.toGenericString(), leaks);
                }
            }
            if (type.isRecord()) {
                for (RecordComponent rc : type.getRecordComponents()) {
                    check(rc.getGenericType(), type.getName() + "." + rc.getName(), leaks);
                }
            }
            if (type.getGenericSuperclass() != null) {
                check(type.getGenericSuperclass(), type.getName() + " extends", leaks);
            }
            for (Type t : type.getGenericInterfaces()) {
                check(t, type.getName() + " implements", leaks);
            }
        }
        assertThat(types).as("public types of the front door found").isGreaterThanOrEqualTo(10);
        assertThat(leaks).as("front-door signatures naming types outside the API packages").isEmpty();
    }

    @Test
    void theCheckSeesATypeInsideAGenericArgument() {
        List<String> leaks = new ArrayList<>();
        check(new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {org.cleanbackup.internal.Pools.class};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        }, "List<Pools>", leaks);
        assertThat(leaks).singleElement().asString().contains("org.cleanbackup.internal.Pools");
    }

    private static boolean isPublicFromOutside(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    private static void checkSignature(Executable e, List<String> leaks) {
        for (Type t : e.getGenericParameterTypes()) {
            check(t, e.toGenericString(), leaks);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(t, e.toGenericString(), leaks);
        }
    }

    /** Walks {@code type} with its generic arguments, bounds and array components. */
    private static void check(Type type, String where, List<String> leaks) {
        switch (type) {
            case Class<?> c when c.isArray() -> check(c.getComponentType(), where, leaks);
            case Class<?> c -> {
                String pkg = c.getPackageName();
                if (pkg.startsWith("org.cleanbackup") && !API_PACKAGES.contains(pkg)) {
                    leaks.add(where + ": " + c.getName());
                }
            }
            case ParameterizedType p -> {
                check(p.getRawType(), where, leaks);
                for (Type a : p.getActualTypeArguments()) {
                    check(a, where, leaks);
                }
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    check(b, where, leaks);
                }
                for (Type b : w.getLowerBounds()) {
                    check(b, where, leaks);
                }
            }
            case GenericArrayType a -> check(a.getGenericComponentType(), where, leaks);
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) {
                    check(b, where, leaks);
                }
            }
            default -> throw new AssertionError("unexpected kind of type: " + type);
        }
    }

    private static final Pattern OUR_IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.cleanbackup(?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);

    /** Our packages {@code source} imports (a static import counts its class's package). */
    static Set<String> importedPackages(String source) {
        Set<String> packages = new TreeSet<>();
        Matcher m = OUR_IMPORT.matcher(source);
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    @Test
    void eachExampleImportsAtMostThreeOfOurPackages() throws IOException {
        // the build runs a module's tests in its own folder; the examples live in core and phash-java
        List<Path> examples = new ArrayList<>();
        for (String module : List.of(".", "../phash-java")) {
            Path folder = Path.of(module, "src/test/java/org/cleanbackup/examples");
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(examples::add);
            }
        }
        assertThat(examples).as("the examples README names").hasSizeGreaterThanOrEqualTo(3);
        TreeMap<String, Set<String>> tooMany = new TreeMap<>();
        for (Path example : examples) {
            Set<String> packages = importedPackages(Files.readString(example));
            assertThat(packages).as(example + " imports the library").isNotEmpty();
            if (packages.size() > MAX_PACKAGES_PER_EXAMPLE) {
                tooMany.put(example.getFileName().toString(), packages);
            }
        }
        assertThat(tooMany).isEmpty();
    }

    @Test
    void importsAreCountedByPackage() {
        assertThat(importedPackages("""
                import static org.cleanbackup.model.ProgressListener.NONE;
                import java.util.List;
                import org.cleanbackup.CleanBackup;
                import org.cleanbackup.DedupePlan;
                import org.cleanbackup.journal.Journal;
                """)).containsExactly("org.cleanbackup", "org.cleanbackup.journal", "org.cleanbackup.model");
    }

    @Test
    void readmesJavaExampleNamesAtMostThreeOfOurPackages() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## For Java developers");
        assertThat(section).as("README's section for Java developers").isPositive();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String code = readme.substring(start, readme.indexOf("```", start));
        TreeMap<String, String> simpleNames = new TreeMap<>(); // simple name -> package, for every top-level class
        for (String name : coreClasses()) {
            if (!name.contains("$")) {
                simpleNames.put(name.substring(name.lastIndexOf('.') + 1), name.substring(0, name.lastIndexOf('.')));
            }
        }
        Set<String> packages = new TreeSet<>();
        Matcher word = Pattern.compile("\\b[A-Z]\\w*\\b").matcher(code.replaceAll("//.*", ""));
        while (word.find()) {
            if (simpleNames.containsKey(word.group())) {
                packages.add(simpleNames.get(word.group()));
            }
        }
        assertThat(packages).as("our packages README's example names").contains("org.cleanbackup")
                .hasSizeLessThanOrEqualTo(MAX_PACKAGES_PER_EXAMPLE);
    }
}
