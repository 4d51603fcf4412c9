package org.cleanbackup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.cleanbackup.RequestRefusedException.Rule;
import org.cleanbackup.organize.Layout;
import org.cleanbackup.organize.OrganizePlanner.CopyNameReport;
import org.cleanbackup.organize.OrganizePlanner.Transfer;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.similar.Sensitivity;

/**
 * What {@link CleanBackup#organize(OrganizeRequest)} imports and how: the photos and videos of the sources, filed
 * into the destination by capture date. Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * OrganizeRequest.of(List.of(phoneDump), library).withLayout(new Layout("{yyyy}/{MM}-{MMMM}", Locale.ENGLISH))
 *         .moving().skippingSimilar(Sensitivity.STANDARD)
 * }</pre>
 *
 * @param sources      folders to import from (absolute)
 * @param destination  the library to import into (absolute)
 * @param layout       the folder pattern under the destination
 * @param transfer     copy (the default) or move: the planner's {@link Transfer}
 * @param copyNames    how OS copy names ({@code x (1).jpg}) of a duplicate are reported: the planner's
 *                     {@link CopyNameReport}
 * @param similar      the look-alike filter: off, or how far apart two images may be and still count as one
 * @param hasher       the perceptual-hash backend of the similar filter, or empty for the fastest
 * @param hashCache    the perceptual-hash cache database of the similar filter, or empty for none
 * @param threads      threads for hashing and reading metadata, at least 1
 * @param run          a real run, or a dry run (the destination then need not be writable)
 * @param command      what the journal records as the command
 * @since 0.3
 */
public record OrganizeRequest(List<Path> sources, Path destination, Layout layout, Transfer transfer,
                              CopyNameReport copyNames, Optional<Sensitivity> similar, Optional<PerceptualHasher> hasher,
                              Optional<Path> hashCache, int threads, Run run, String command) {

    /** Validates the request (the folders are checked against the disk by {@link #check()}). */
    public OrganizeRequest {
        sources = sources.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        destination = destination.toAbsolutePath().normalize();
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(copyNames, "copyNames");
        Objects.requireNonNull(similar, "similar");
        Objects.requireNonNull(hasher, "hasher");
        Objects.requireNonNull(hashCache, "hashCache");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(command, "command");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("name at least one source folder");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** Copies the photos and videos of {@code sources} into {@code destination}/yyyy/MM, skipping what it holds. */
    public static OrganizeRequest of(List<Path> sources, Path destination) {
        return new OrganizeRequest(sources, destination, Layout.of(Layout.DEFAULT), Transfer.COPY,
                CopyNameReport.AS_DUPLICATES, Optional.empty(), Optional.empty(), Optional.empty(),
                Runtime.getRuntime().availableProcessors(), Run.FOR_REAL, "organize");
    }

    /** The same request with this folder pattern. */
    public OrganizeRequest withLayout(Layout layout) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, hasher, hashCache,
                threads, run, command);
    }

    /**
     * The same request with the folder pattern {@code pattern} ({@code {yyyy}/{MM}-{MMMM}}: see {@link Layout}),
     * month names in {@code locale}.
     */
    public OrganizeRequest withLayout(String pattern, Locale locale) {
        return withLayout(new Layout(pattern, locale));
    }

    /** The same request, moving the files instead of copying them. */
    public OrganizeRequest moving() {
        return withTransfer(Transfer.MOVE);
    }

    /** The same request with this transfer. */
    public OrganizeRequest withTransfer(Transfer transfer) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, hasher, hashCache,
                threads, run, command);
    }

    /** The same request, reporting identical OS copy names as copy names of their original. */
    public OrganizeRequest reportingCopyNames() {
        return new OrganizeRequest(sources, destination, layout, transfer, CopyNameReport.AS_COPY_NAMES, similar, hasher,
                hashCache, threads, run, command);
    }

    /**
     * The same request, also skipping images that look the same as one already in the destination, and importing
     * only the best of each group of look-alikes in the sources.
     */
    public OrganizeRequest skippingSimilar(Sensitivity sensitivity) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, Optional.of(sensitivity), hasher,
                hashCache, threads, run, command);
    }

    /** The same request, hashing look-alikes with this backend. */
    public OrganizeRequest withPerceptualHasher(PerceptualHasher backend) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, Optional.of(backend),
                hashCache, threads, run, command);
    }

    /** The same request, keeping perceptual hashes in the cache database {@code file}. */
    public OrganizeRequest withHashCache(Path file) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, hasher,
                Optional.of(file), threads, run, command);
    }

    /** The same request with {@code n} threads. */
    public OrganizeRequest withThreads(int n) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, hasher, hashCache, n,
                run, command);
    }

    /** The same request for a dry run. */
    public OrganizeRequest asDryRun() {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, hasher, hashCache,
                threads, Run.DRY_RUN, command);
    }

    /** The same request, recorded in the journal as {@code command}. */
    public OrganizeRequest describedAs(String command) {
        return new OrganizeRequest(sources, destination, layout, transfer, copyNames, similar, hasher, hashCache,
                threads, run, command);
    }

    /**
     * Checks the folders before anything is scanned: every source is a folder, the destination is not inside a
     * source (the library would import itself) and no source is inside the destination, and the destination can be
     * created (and, unless a dry run, written).
     *
     * @throws RequestRefusedException naming the rule and the folders
     */
    public void check() {
        for (Path source : sources) {
            if (!Files.isDirectory(source)) {
                throw new RequestRefusedException(Rule.SOURCE_NOT_A_FOLDER, source, null, null);
            }
            Path realSource = Folders.realPath(source, source);
            Path realDest = Folders.realPath(destination, destination);
            if (realDest.startsWith(realSource)) {
                throw new RequestRefusedException(Rule.DEST_INSIDE_SOURCE, destination, source,
                        "the library would import itself");
            }
            if (realSource.startsWith(realDest)) {
                throw new RequestRefusedException(Rule.SOURCE_INSIDE_DEST, destination, source,
                        "its files would count as already imported, and moves would stay in place");
            }
        }
        if (run == Run.DRY_RUN) {
            Folders.checkCreatable(destination, destination);
        } else {
            Folders.checkWritable(destination, destination);
        }
    }

    PerceptualHasher perceptualHasher() {
        return hasher.orElseGet(PerceptualHashers::fastest);
    }
}
