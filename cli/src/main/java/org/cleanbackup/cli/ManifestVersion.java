package org.cleanbackup.cli;

import picocli.CommandLine;

/** {@code --version}: the Implementation-Version from the jar manifest. */
final class ManifestVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"cleanbackup " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
