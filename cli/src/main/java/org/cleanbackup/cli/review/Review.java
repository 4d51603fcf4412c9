package org.cleanbackup.cli.review;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.cleanbackup.OrganizeResult;
import org.cleanbackup.RequestRefusedException;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.thumbnail.Thumbnails;
import org.cleanbackup.journal.SessionInfo;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.organize.OrganizedFile;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.similar.SimilarGroup;
import org.cleanbackup.undo.Undo;

/**
 * A plan put before a person: every group of a dedupe (or every file of an organize) with the decisions they make on
 * it, and the two things that change the disk, {@link #apply} and {@link #undo}, both through the front door
 * ({@link DedupePlan#revised} then {@link DedupePlan#execute}; {@link CleanBackup#undo}). Nothing else here writes a
 * file: the decisions live in memory until Apply, except "not duplicates", which is remembered in the cache database
 * at once (that is its point). {@link #serve} shows it on a local page, {@link #writeHtml} as one read-only file.
 *
 * <p>Thread-safe: the page's requests come on the server's threads, Apply and Undo run on a thread of their own.
 */
public final class Review {

    /** One file as the page shows it; {@code id} is the only name the page may use for it. */
    record Item(String id, MediaFile file, String role, int distance) {
    }

    /**
     * A group (or, for organize, a file) as the page shows it.
     *
     * @param kind   exact, similar, names or organize
     * @param reason why the tool keeps the copy it keeps, or where organize files it
     * @param keeper the item the tool would keep, or null (organize)
     */
    record Entry(int index, String kind, String reason, List<Item> items, Item keeper) {

        /** The largest Hamming distance in the group (0 for the other kinds). */
        int maxDistance() {
            return items.stream().mapToInt(i -> Math.max(0, i.distance())).max().orElse(0);
        }
    }

    /** The state of Apply and Undo, for the page's progress. */
    enum Stage { READY, APPLYING, APPLIED, UNDOING, UNDONE, FAILED }

    private final CleanBackup library;
    private final Supplier<Journal> journals;
    private final Thumbnails thumbnails;
    private final DedupePlan dedupe;
    private final OrganizeResult organize;
    private final List<Entry> entries;
    private final Map<String, Item> items = new HashMap<>();
    private final Map<String, FileFacts> facts = new ConcurrentHashMap<>();

    private final Map<Integer, String> keepers = new HashMap<>();
    private final Set<Integer> leftOut = new HashSet<>();
    private final Set<Integer> notDuplicates = new HashSet<>();
    private final Progress progress = new Progress();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Stage stage = Stage.READY;
    private String message = "";
    private long session = -1;
    private Thread worker;

    private Review(CleanBackup library, Supplier<Journal> journals, Thumbnails thumbnails, DedupePlan dedupe,
                   OrganizeResult organize) {
        this.library = Objects.requireNonNull(library, "library");
        this.journals = Objects.requireNonNull(journals, "journals");
        this.thumbnails = Objects.requireNonNull(thumbnails, "thumbnails");
        this.dedupe = dedupe;
        this.organize = organize;
        this.entries = dedupe != null ? entries(dedupe) : entries(organize);
        entries.forEach(e -> e.items().forEach(i -> items.put(i.id(), i)));
    }

    /**
     * A review of what {@code plan} found (every mode). Apply plans again with the decisions and the action chosen on
     * the page and carries that out through a journal from {@code journals} (opened at Apply, closed after).
     */
    public static Review of(DedupePlan plan, CleanBackup library, Supplier<Journal> journals, Thumbnails thumbnails) {
        return new Review(library, journals, thumbnails, Objects.requireNonNull(plan, "plan"), null);
    }

    /** A review of an organize plan: the files and where they go; Apply carries out the plan less what was left out. */
    public static Review of(OrganizeResult result, CleanBackup library, Supplier<Journal> journals,
                            Thumbnails thumbnails) {
        return new Review(library, journals, thumbnails, null, Objects.requireNonNull(result, "result"));
    }

    /**
     * Starts the local page (127.0.0.1, a free port, a fresh token). Nothing changes on disk until the person presses
     * Apply; closing the page changes nothing.
     */
    public ReviewServer serve() throws IOException {
        return ReviewServer.start(this);
    }

    /** Writes the review as one self-contained, read-only page (thumbnails embedded, no script from elsewhere). */
    public void writeHtml(Path file) throws IOException {
        StaticPage.write(this, file);
    }

    /** How many groups (files, for organize) the page shows. */
    public int size() {
        return entries.size();
    }

    /** Asks a running Apply or Undo to stop between files (Ctrl-C), and waits for it up to {@code millis}. */
    public void stop(long millis) throws InterruptedException {
        stop.set(true);
        Thread running;
        synchronized (this) {
            running = worker;
        }
        if (running != null) {
            running.join(millis);
        }
    }

    // ------------------------------------------------------------------------------------------ what the page reads

    List<Entry> entries() {
        return entries;
    }

    String mode() {
        return dedupe == null ? "organize" : dedupe.request().mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The action the command line asked for, the page's first choice. */
    String requestedAction() {
        if (dedupe == null) {
            return "organize";
        }
        return dedupe.request().action().map(DuplicateAction::userName).orElse("delete");
    }

    String requestedFolder() {
        return dedupe == null ? "" : dedupe.request().outputFolder().map(Path::toString).orElse("");
    }

    boolean dryRun() {
        return dedupe != null ? dedupe.request().isDryRun() : organize.request().run() == org.cleanbackup.Run.DRY_RUN;
    }

    Optional<Item> item(String id) {
        return Optional.ofNullable(items.get(id));
    }

    FileFacts facts(Item item) {
        return facts.computeIfAbsent(item.id(), id -> FileFacts.read(item.file().path()));
    }

    Thumbnails thumbnails() {
        return thumbnails;
    }

    synchronized String keeper(Entry e) {
        String chosen = keepers.get(e.index());
        return chosen != null ? chosen : e.keeper() == null ? null : e.keeper().id();
    }

    synchronized boolean leftOut(int index) {
        return leftOut.contains(index);
    }

    synchronized boolean notDuplicates(int index) {
        return notDuplicates.contains(index);
    }

    synchronized Status status() {
        return new Status(stage, message, session, progress.phase(), progress.done(), progress.total());
    }

    /** What the page polls while Apply or Undo runs. */
    record Status(Stage stage, String message, long session, String phase, long done, long total) {
    }

    // ------------------------------------------------------------------------------------------ what the page decides

    /** The person chose which copy of group {@code index} stays. */
    synchronized void choose(int index, String itemId) {
        Entry e = entry(index);
        Item item = e.items().stream().filter(i -> i.id().equals(itemId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such file in this group"));
        if (e.keeper() == null) {
            throw new IllegalArgumentException("an organize plan has no copy to keep");
        }
        if (!item.role().equals("keep") && !item.role().equals("duplicate")) {
            throw new IllegalArgumentException("only the copies that may be acted on can be chosen");
        }
        keepers.put(index, itemId);
    }

    /** The person left group {@code index} out of Apply, or took it back. */
    synchronized void leaveOut(int index, boolean out) {
        entry(index);
        if (out) {
            leftOut.add(index);
        } else {
            leftOut.remove(index);
        }
    }

    /**
     * The person said the files of group {@code index} are not duplicates: remembered in the cache database, keyed by
     * their content, so no later scan offers them; the group is also left out of this Apply.
     */
    void markNotDuplicates(int index) throws IOException {
        if (dedupe == null || dedupe.request().mode() == DedupeRequest.Mode.NAMES) {
            throw new IllegalArgumentException("only groups of identical or look-alike files can be marked");
        }
        entry(index);
        dedupe.rememberNotDuplicates(index); // outside the lock: a look-alike group's files are read to hash them
        synchronized (this) {
            notDuplicates.add(index);
            leftOut.add(index);
        }
    }

    private Entry entry(int index) {
        if (index < 0 || index >= entries.size()) {
            throw new IllegalArgumentException("no such group");
        }
        return entries.get(index);
    }

    // ------------------------------------------------------------------------------------------ Apply and Undo

    /**
     * Plans again with the decisions and {@code action} ({@code to} for move and copy), and starts carrying it out on
     * a thread of its own through the same journaled executor as the command line; the page polls {@link #status}.
     *
     * @throws RequestRefusedException  when the action breaks a safety rule (the command line's refusals)
     * @throws IllegalStateException    when a run is in progress or done, or the review is a dry run
     */
    synchronized void apply(String action, String to) {
        if (stage != Stage.READY) {
            throw new IllegalStateException("Apply runs once per review (" + stage.name().toLowerCase() + ")");
        }
        if (dryRun()) {
            throw new IllegalStateException("this review was started with --dry-run: nothing may change");
        }
        Plan plan = dedupe != null ? dedupePlan(action, to) : organizePlan();
        stage = Stage.APPLYING;
        message = plan.actions().size() + " change(s) to make";
        start(() -> {
            try (Journal journal = journals.get()) {
                ExecutionReport report = library.execute(plan, journal, progress, stop::get);
                finished(Stage.APPLIED, report);
            }
        });
    }

    private Plan dedupePlan(String action, String to) {
        DuplicateAction chosen;
        try {
            chosen = DuplicateAction.parse(action);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action '" + action + "' (move, copy, delete, hardlink)");
        }
        DedupeRequest request = dedupe.request().withAction(chosen);
        if (to != null && !to.isBlank()) {
            request = request.withOutputFolder(Path.of(to.trim()));
        }
        Map<Integer, Path> chosenKeepers = new HashMap<>();
        keepers.forEach((index, id) -> chosenKeepers.put(index, items.get(id).file().path()));
        return dedupe.revised(request, chosenKeepers, Set.copyOf(leftOut)).plan();
    }

    /** The organize plan less the files left out, and less the companions (sidecars, Live Photo videos) of those. */
    private Plan organizePlan() {
        Set<Path> out = new HashSet<>();
        leftOut.forEach(i -> entries.get(i).items().forEach(item -> out.add(item.file().path())));
        List<Action> kept = organize.plan().actions().stream()
                .filter(a -> !out.contains(a.source()))
                .filter(a -> !(a instanceof Action.Chosen c && c.companion() != null && out.contains(c.companion().of())))
                .toList();
        return new Plan(organize.plan().command(), kept);
    }

    /** Undoes the session Apply made, through the front door's undo (itself journaled). */
    synchronized void undo() {
        if (stage != Stage.APPLIED) {
            throw new IllegalStateException("there is nothing applied to undo");
        }
        long id = session;
        stage = Stage.UNDOING;
        message = "undoing session " + id;
        start(() -> {
            try (Journal journal = journals.get()) {
                Undo undo = library.undo(journal, stop::get);
                SessionInfo info = undo.session(id)
                        .orElseThrow(() -> new IllegalStateException("session " + id + " is not in the journal"));
                finished(Stage.UNDONE, undo.run(info, progress));
            }
        });
    }

    private void start(Runnable work) {
        stop.set(false);
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                synchronized (this) {
                    stage = Stage.FAILED;
                    message = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            } finally {
                synchronized (this) {
                    worker = null;
                }
            }
        }, "review-apply");
        worker = t;
        t.start();
    }

    private synchronized void finished(Stage done, ExecutionReport report) {
        stage = done;
        if (done == Stage.APPLIED) {
            session = report.sessionId();
        }
        message = report.count(Outcome.Status.DONE) + " done, " + report.count(Outcome.Status.FAILED) + " failed, "
                + report.count(Outcome.Status.SKIPPED) + " skipped (journal session " + report.sessionId() + ")"
                + (report.stoppedBecause() == null ? "" : ": " + report.stoppedBecause());
    }

    // ------------------------------------------------------------------------------------------ building the entries

    private static List<Entry> entries(DedupePlan plan) {
        List<Entry> out = new ArrayList<>();
        switch (plan.request().mode()) {
            case EXACT -> {
                for (DuplicateGroup g : plan.groups()) {
                    int n = out.size();
                    List<Item> items = new ArrayList<>();
                    Item keep = new Item(n + "-0", g.keep(), "keep", -1);
                    items.add(keep);
                    g.duplicates().forEach(f -> items.add(new Item(n + "-" + items.size(), f, "duplicate", -1)));
                    g.protectedCopies().forEach(f -> items.add(new Item(n + "-" + items.size(), f, "reference", -1)));
                    g.hardLinks().forEach(f -> items.add(new Item(n + "-" + items.size(), f, "link", -1)));
                    out.add(new Entry(n, "exact", g.keepReason(), List.copyOf(items), keep));
                }
            }
            case SIMILAR -> {
                for (SimilarGroup g : plan.similarGroups()) {
                    int n = out.size();
                    List<Item> items = new ArrayList<>();
                    Item keep = new Item(n + "-0", g.keep(), "keep", 0);
                    items.add(keep);
                    g.duplicates().forEach(m -> items.add(new Item(n + "-" + items.size(), m.file(), "duplicate",
                            m.distance())));
                    g.protectedCopies().forEach(m -> items.add(new Item(n + "-" + items.size(), m.file(), "reference",
                            m.distance())));
                    out.add(new Entry(n, "similar", g.keepReason(), List.copyOf(items), keep));
                }
            }
            case NAMES -> {
                for (NameCopy c : plan.nameCopies()) {
                    int n = out.size();
                    Item original = new Item(n + "-0", c.original(), "keep", -1);
                    Item copy = new Item(n + "-1", c.copy(), c.copy().reference() ? "reference" : "duplicate", -1);
                    String reason = switch (c.verdict()) {
                        case IDENTICAL -> "the original name; the copy has identical content";
                        case DIFFERENT -> "the original name; the copy's content differs (left alone unless"
                                + " --trust-names)";
                        case UNKNOWN -> "the original name; the contents could not be compared";
                    };
                    out.add(new Entry(n, "names", reason, List.of(original, copy), original));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<Entry> entries(OrganizeResult result) {
        List<Entry> out = new ArrayList<>();
        for (OrganizedFile f : result.files()) {
            int n = out.size();
            String reason = f.skipped() != null
                    ? "skipped: " + f.skipped().description() + (f.detail() != null ? " (" + f.detail() + ")" : "")
                    : f.target() != null ? "goes to " + f.target() : "not filed";
            out.add(new Entry(n, "organize", reason, List.of(new Item(n + "-0", f.file(),
                    f.skipped() != null ? "skipped" : "import", -1)), null));
        }
        return List.copyOf(out);
    }
}
